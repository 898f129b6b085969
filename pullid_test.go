package p4p_test

import (
	"fmt"
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

func ExamplePullID_AtLeast() {
	// A later pull of the user answers for an earlier one whose end went
	// unseen; "10" is later than "9" as a number, not as a string.
	fmt.Println(p4p.PullID("10").AtLeast("9"), p4p.PullID("9").AtLeast("10"))
	// Output: true false
}
