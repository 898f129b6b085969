package p4p

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"4096", 4096}, {"100B", 100}, {"512MiB", 512 << 20}, {"512mib", 512 << 20},
		{"1.5GiB", 3 << 29}, {"2GB", 2e9}, {"64M", 64 << 20}, {"1 TiB", 1 << 40}, {" 10KB ", 10_000},
	} {
		got, err := ParseSize(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "-1MiB", "MiB", "1.5B", "NaN", "Inf", "0x10", "1e300", "2PiB", "12 apples", strings.Repeat("1", 40)} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{{0, "0B"}, {100, "100B"}, {1536, "1.5KiB"}, {512 << 20, "512MiB"}, {3 << 29, "1.5GiB"}} {
		if got := FormatSize(c.in); got != c.want {
			t.Errorf("FormatSize(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"0", "512MiB", "1.5GiB", "2GB", "-1", "1e3K", "0x1p4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			return
		}
		if n < 0 || n > 1<<50 {
			t.Fatalf("ParseSize(%q) = %d, out of range", s, n)
		}
		// What FormatSize writes reads back close to the value it rounded.
		back, err := ParseSize(FormatSize(n))
		if err != nil {
			t.Fatalf("ParseSize(FormatSize(%d) = %q): %v", n, FormatSize(n), err)
		}
		if diff := back - n; diff > n/10+1 || -diff > n/10+1 {
			t.Fatalf("FormatSize(%d) = %q reads back as %d", n, FormatSize(n), back)
		}
	})
}
