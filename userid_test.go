package p4p_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"p4p"
)

func TestParseUserID(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"u-1", true}, {"a.b_c-D9", true}, {"system", true}, {"1", true},
		{strings.Repeat("x", p4p.MaxUserIDLength), true},
		{strings.Repeat("x", p4p.MaxUserIDLength+1), false},
		{".", false}, {"..", false}, {"...", true}, {".a", true}, {"a.", true}, {"_.", true}, {"-", true},
		{"", false}, {"a b/c", false}, {"a/b", false}, {"é", false}, {"a+b", false}, {"a%20b", false}, {"a\x00", false}, {"a@b", false},
	}
	for _, tt := range tests {
		_, err := p4p.ParseUserID(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseUserID(%q) error %v, want ok %v", tt.in, err, tt.ok)
		}
		if err != nil && !errors.Is(err, p4p.ErrUserID) {
			t.Errorf("ParseUserID(%q) error %v does not wrap ErrUserID", tt.in, err)
		}
	}
}

func FuzzParseUserID(f *testing.F) {
	for _, s := range []string{"u-1", "a b/c", "", "system", "é", ".", "..", "...", ".a"} {
		f.Add(s)
	}
	re := regexp.MustCompile(p4p.UserIDPattern)
	f.Fuzz(func(t *testing.T, s string) {
		_, err := p4p.ParseUserID(s)
		if got, want := err == nil, re.MatchString(s); got != want {
			t.Fatalf("ParseUserID(%q) accepts: %v; UserIDPattern matches: %v", s, got, want)
		}
	})
}

func ExampleParseUserID() {
	_, err := p4p.ParseUserID("a b/c")
	fmt.Println(err)
	// Output:
	// not a user id: "a b/c": only letters, digits, '_', '.' and '-' are allowed (spec 2.3)
}
