package profile_test

import "testing"

// BenchmarkCheck checks a realistic full profile of about 1 KB, as the mock
// does on every pull.
func BenchmarkCheck(b *testing.B) {
	v := newValidator(b)
	body := fixture(b, "full-strings.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Check(body, "u-1001"); err != nil {
			b.Fatal(err)
		}
	}
}
