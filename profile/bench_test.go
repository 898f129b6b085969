package profile_test

import "testing"

// BenchmarkCheck checks a realistic full profile of about 1 KB, as the mock
// does on every pull; "library" is the same body through the JSON Schema
// library alone, the path Check took before its fast path (and still takes
// for an invalid body), so that the ratio is measured in one run.
func BenchmarkCheck(b *testing.B) {
	v := newValidator(b)
	body := fixture(b, "full-strings.json")
	for _, bc := range []struct {
		name  string
		check func([]byte, string) (any, error)
	}{
		{"fast", func(body []byte, id string) (any, error) { return v.Check(body, id) }},
		{"library", func(body []byte, id string) (any, error) { return v.CheckLibrary(body, id) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.check(body, "u-1001"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
