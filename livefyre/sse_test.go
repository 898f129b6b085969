package livefyre

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func readAll(t testing.TB, r io.Reader) ([]sseMessage, error) {
	sr := newSSEReader(r)
	var got []sseMessage
	for {
		m, err := sr.next()
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got = append(got, m)
	}
}

func TestSSE(t *testing.T) {
	tests := []struct {
		name, in string
		want     []sseMessage
	}{
		{"plain", "event: a\nid: 1\ndata: x\n\n", []sseMessage{{"a", "1", "x"}}},
		{"multi-line data", "data: one\ndata:two\ndata\n\n", []sseMessage{{"message", "", "one\ntwo\n"}}},
		{"CR and CRLF", "data: a\rdata: b\r\n\r\ndata: c\r\r", []sseMessage{{"message", "", "a\nb"}, {"message", "", "c"}}},
		{"comments and unknown fields", ": hi\nfoo: 1\nretry: 5\ndata: x\n\n", []sseMessage{{"message", "", "x"}}},
		{"no data is no event", "event: a\n\ndata: x\n\n", []sseMessage{{"message", "", "x"}}},
		{"id persists", "id: 7\ndata: a\n\ndata: b\n\n", []sseMessage{{"message", "7", "a"}, {"message", "7", "b"}}},
		{"id with NUL ignored", "id: 1\x002\ndata: a\n\n", []sseMessage{{"message", "", "a"}}},
		{"one space only", "data:  two spaces\n\n", []sseMessage{{"message", "", " two spaces"}}},
		{"BOM", "\uFEFFdata: a\n\n", []sseMessage{{"message", "", "a"}}},
		{"incomplete event dropped", "data: a\n\ndata: b\n", []sseMessage{{"message", "", "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One byte at a time too, so a CR at a read's end is handled.
			for _, r := range []io.Reader{strings.NewReader(tt.in), iotest.OneByteReader(strings.NewReader(tt.in))} {
				got, err := readAll(t, r)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(sseMessage{})); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestSSELimits(t *testing.T) {
	long := "data: " + strings.Repeat("x", MaxEventBytes) + "\n\n"
	if _, err := readAll(t, strings.NewReader(long)); err == nil {
		t.Error("a line over MaxEventBytes: got no error")
	}
	line := "data: " + strings.Repeat("x", 1000) + "\n"
	many := strings.Repeat(line, MaxEventBytes/1000+1) + "\n"
	if _, err := readAll(t, strings.NewReader(many)); err == nil {
		t.Error("event data over MaxEventBytes: got no error")
	}
	broken := io.MultiReader(strings.NewReader("data: a\n"), iotest.ErrReader(errors.New("boom")))
	if _, err := readAll(t, broken); err == nil || err.Error() != "boom" {
		t.Errorf("got %v, want the read error", err)
	}
}

func FuzzSSE(f *testing.F) {
	for _, seed := range []string{
		"event: a\nid: 1\ndata: {\"type\":\"ping.accepted\"}\n\n",
		": c\r\ndata: a\r\ndata: b\r\r",
		"\uFEFFdata\n\nid: \x00\nretry: x\n:\n\n",
		"data: {\"time\":\"bad\"}\n\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := newSSEReader(iotest.HalfReader(strings.NewReader(string(in))))
		for range len(in) + 1 {
			m, err := r.next()
			if err != nil {
				return
			}
			if len(m.Data) > MaxEventBytes {
				t.Fatalf("data of %d bytes", len(m.Data))
			}
			if m.Type == "" || strings.ContainsAny(m.Type+m.ID, "\r\n") || strings.ContainsRune(m.ID, 0) {
				t.Fatalf("bad message %+v", m)
			}
			decodeEvent(m)
		}
		t.Fatal("more events than input bytes")
	})
}
