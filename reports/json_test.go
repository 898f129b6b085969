package reports

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// jsonCodec is a report type's exported JSON writer and reader, and the
// format they share, for the tests that every JSON report must pass.
type jsonCodec[T any] struct {
	write  func(*T, io.Writer) error
	read   func(io.Reader) (*T, error)
	format jsonFormat[T]
}

var (
	conformanceCodec = jsonCodec[Conformance]{(*Conformance).WriteJSON, ReadConformance, conformanceJSON}
	loadCodec        = jsonCodec[Load]{(*Load).WriteJSON, ReadLoad, loadJSON}
)

// checkGolden writes want, compares it with testdata/golden and checks
// that reading it back gives want.
func (j jsonCodec[T]) checkGolden(t *testing.T, golden string, want *T) {
	t.Helper()
	var b bytes.Buffer
	if err := j.write(want, &b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, golden, b.Bytes())
	got, err := j.read(&b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reading what WriteJSON wrote differs from what it was given (-want +got):\n%s", diff)
	}
}

// clone is a deep copy of v made by a JSON round trip.
func (j jsonCodec[T]) clone(t *testing.T, v *T) *T {
	t.Helper()
	var b bytes.Buffer
	if err := j.write(v, &b); err != nil {
		t.Fatal(err)
	}
	d, err := j.read(&b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// rejectCase is an input a reader must refuse, and part of the error.
type rejectCase struct{ name, in, want string }

// checkRejects checks that each input is refused with an error that
// starts with prefix and holds the case's want.
func (j jsonCodec[T]) checkRejects(t *testing.T, prefix string, tests []rejectCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := j.read(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.want)
			}
			if got := err.Error(); !strings.HasPrefix(got, prefix) || !strings.Contains(got, tt.want) {
				t.Errorf("got error %q, want \"%s…%s…\"", got, prefix, tt.want)
			}
		})
	}
}

// checkSizeLimit reads objects of sizes around a limit of 100 bytes,
// and one a byte over MaxReportSize, which must fail with prefix and
// "larger than 64 MiB". Each object is head, padding, and `"]}`.
func (j jsonCodec[T]) checkSizeLimit(t *testing.T, prefix, head string) {
	t.Helper()
	const limit = 100
	tests := []struct {
		name    string
		size    int64 // bytes of input
		wantErr string
	}{
		{"under the limit", limit - 1, ""},
		{"at the limit", limit, ""},
		{"one byte over", limit + 1, "larger than 100 bytes"},
		{"far over", 1 << 20, "larger than 100 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := j.format.readLimited(paddedObject(head, tt.size), limit)
			if got := errString(err); got != tt.wantErr {
				t.Errorf("got error %q, want %q", got, tt.wantErr)
			}
		})
	}
	if testing.Short() {
		t.Skip("reading 64 MiB")
	}
	_, err := j.read(paddedObject(head, MaxReportSize+1))
	if got, want := errString(err), prefix+"larger than 64 MiB"; got != want {
		t.Errorf("got error %q, want %q", got, want)
	}
}

// checkRoundTrip is the body of a fuzz test: when data is accepted, the
// value must write, read back and be unchanged (empty and nil slices
// and maps aside). It returns the accepted value, or nil.
func (j jsonCodec[T]) checkRoundTrip(t *testing.T, data []byte) *T {
	t.Helper()
	v, err := j.read(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	var out bytes.Buffer
	if err := j.write(v, &out); err != nil {
		t.Fatalf("WriteJSON of an accepted value: %v", err)
	}
	again, err := j.read(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("reading WriteJSON's output: %v\n%s", err, out.Bytes())
	}
	if diff := cmp.Diff(v, again, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("value changed in a round trip (-first +second):\n%s", diff)
	}
	return v
}

// paddedObject is a valid JSON object of exactly size bytes, size >=
// len(head)+2: head, which leaves a string in a list open, then 'a's,
// then `"]}`.
func paddedObject(head string, size int64) io.Reader {
	const tail = `"]}`
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
