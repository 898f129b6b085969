package p4p_test

import (
	"fmt"
	"strconv"
	"testing"

	"p4p"
)

func TestPullIDAtLeast(t *testing.T) {
	tests := []struct {
		a, b p4p.PullID
		want bool
	}{
		{"7", "7", true}, {"8", "7", true}, {"7", "8", false}, {"10", "9", true}, {"9", "10", false},
		{"x", "x", true}, {"x", "y", false}, {"7", "x", false}, {"x", "7", false}, {"", "", true}, {"", "1", false},
		{"18446744073709551615", "1", true},
	}
	for _, tt := range tests {
		if got := tt.a.AtLeast(tt.b); got != tt.want {
			t.Errorf("PullID(%q).AtLeast(%q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// FuzzPullID: AtLeast orders the ids a Livefyre hands out: every id is
// at least itself, and of two different ids at most one is at least the
// other unless both are numbers that compare equal ("7" and "07").
func FuzzPullID(f *testing.F) {
	for _, s := range [][2]string{{"7", "10"}, {"x", "7"}, {"07", "7"}, {"", "0"}, {"18446744073709551616", "1"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		x, y := p4p.PullID(a), p4p.PullID(b)
		if !x.AtLeast(x) {
			t.Fatalf("%q is not at least itself", a)
		}
		if x.AtLeast(y) && y.AtLeast(x) && a != b {
			n, errA := strconv.ParseUint(a, 10, 64)
			m, errB := strconv.ParseUint(b, 10, 64)
			if errA != nil || errB != nil || n != m {
				t.Fatalf("%q and %q are each at least the other", a, b)
			}
		}
	})
}

func ExamplePullID_AtLeast() {
	// A later pull of the user answers for an earlier one whose end went
	// unseen; "10" is later than "9" as a number, not as a string.
	fmt.Println(p4p.PullID("10").AtLeast("9"), p4p.PullID("9").AtLeast("10"))
	// Output: true false
}
