package reports

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestJSONRoundTrip(t *testing.T) {
	want := sample()
	var b bytes.Buffer
	if err := want.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "conformance.json.golden", b.Bytes())
	got, err := ReadConformance(&b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadConformance(WriteJSON(c)) differs from c (-want +got):\n%s", diff)
	}
}

func TestReadConformanceRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "not a JSON object"},
		{"null", "null", "not a JSON object"},
		{"array", `[{"suite":"x"}]`, "not a JSON object"},
		{"string", `"report"`, "not a JSON object"},
		{"truncated", `{"suite":"x"`, "unexpected EOF"},
		{"trailing object", `{"suite":"x"} {}`, "data after the report object"},
		{"trailing garbage", `{"suite":"x"}garbage`, "data after the report object"},
		{"unknown field", `{"suite":"x","rps":100}`, `unknown field "rps"`},
		{"unknown nested field", `{"suite":"x","results":[{"id":"A","color":"red"}]}`, `unknown field "color"`},
		{"no suite", `{"passed":true}`, "no suite"},
		{"wrong type", `{"suite":7}`, "cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadConformance(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.want)
			}
			if got := err.Error(); !strings.HasPrefix(got, "read report: ") || !strings.Contains(got, tt.want) {
				t.Errorf("got error %q, want \"read report: …%s…\"", got, tt.want)
			}
		})
	}
}

func TestReadConformanceSizeLimit(t *testing.T) {
	const limit = 100
	tests := []struct {
		name    string
		limit   int64
		size    int64 // bytes of input
		wantErr string
	}{
		{"under the limit", limit, limit - 1, ""},
		{"at the limit", limit, limit, ""},
		{"one byte over", limit, limit + 1, "larger than 100 bytes"},
		{"far over", limit, 1 << 20, "larger than 100 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readConformance(reportOfSize(tt.size), tt.limit)
			if got := errString(err); got != tt.wantErr {
				t.Errorf("got error %q, want %q", got, tt.wantErr)
			}
		})
	}
	if testing.Short() {
		t.Skip("reading 64 MiB")
	}
	_, err := ReadConformance(reportOfSize(MaxReportSize + 1))
	if got, want := errString(err), "read report: larger than 64 MiB"; got != want {
		t.Errorf("ReadConformance: got error %q, want %q", got, want)
	}
}

// reportOfSize is a valid report of exactly size bytes, size >= 40.
func reportOfSize(size int64) io.Reader {
	head, tail := `{"suite":"p4p conformance","users":["`, `"]}`
	pad := size - int64(len(head)+len(tail))
	return io.MultiReader(strings.NewReader(head), io.LimitReader(repeatReader('a'), pad), strings.NewReader(tail))
}

// repeatReader reads its byte for ever.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	if len(p) > 0 {
		p[0] = byte(r)
	}
	for i := 1; i < len(p); i *= 2 {
		copy(p[i:], p[:i])
	}
	return len(p), nil
}

// errString is err's message, or "" for nil.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func FuzzReadConformance(f *testing.F) {
	var b bytes.Buffer
	if err := sample().WriteJSON(&b); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		b.String(),
		`{"suite":"x"}`,
		`{"suite":"x","started":"2025-03-14T09:26:53.589+05:30","duration_ms":-0}`,
		`{"suite":"\ud800\u0000<>&","users":[],"results":[{"notes":[],"evidence":[{"response":{}}]}]}`,
		`{"suite":"x","results":[{"evidence":[{"request":{"header":{"A":null,"B":[]}},"response":null}]}]}`,
		"{\"suite\":\"\xff\xfe\"}",
		`{"suite":"x"} trailing`,
		`[]`,
		`null`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadConformance(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := c.WriteJSON(&out); err != nil {
			t.Fatalf("WriteJSON of an accepted report: %v", err)
		}
		again, err := ReadConformance(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("ReadConformance of WriteJSON's output: %v\n%s", err, out.Bytes())
		}
		if diff := cmp.Diff(c, again, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("report changed in a round trip (-first +second):\n%s", diff)
		}
	})
}
