package p4p_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"p4p"
)

func TestParseNetwork(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		name string
	}{
		{"labs.fyre.co", true, "labs"},
		{"example-qa.fyre.co", true, "example-qa"},
		{"a.b.fyre.co", true, "a"},
		{"Labs.fyre.co", true, "Labs"},
		{"x1.fyre.co", true, "x1"},
		{"evilfyre.co", false, ""},        // Python's suffix check would take it (spec 3.1)
		{"example-qa-fyre.co", false, ""}, // the EL typo (spec 6.18)
		{"fyre.co", false, ""},
		{".fyre.co", false, ""},
		{"labs.fyre.com", false, ""},
		{"labs.fyre.co.", false, ""},
		{"-labs.fyre.co", false, ""},
		{"labs-.fyre.co", false, ""},
		{"la bs.fyre.co", false, ""},
		{"labs:80.fyre.co", false, ""},
		{"a/b.fyre.co", false, ""},
		{"a..b.fyre.co", false, ""},
		{strings.Repeat("a", 64) + ".fyre.co", false, ""},
		{strings.Repeat("a", 63) + ".fyre.co", true, strings.Repeat("a", 63)},
		{strings.Repeat("a.", 130) + "fyre.co", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		n, err := p4p.ParseNetwork(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseNetwork(%q) error %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err != nil && !errors.Is(err, p4p.ErrNetwork) {
			t.Errorf("ParseNetwork(%q) error %v does not wrap ErrNetwork", tt.in, err)
		}
		if tt.ok && n.Name() != tt.name {
			t.Errorf("ParseNetwork(%q).Name() = %q, want %q", tt.in, n.Name(), tt.name)
		}
	}
}

func TestNetworkPatternAgrees(t *testing.T) {
	re := regexp.MustCompile(p4p.NetworkPattern)
	for _, s := range []string{"labs.fyre.co", "evilfyre.co", "a-b.c.fyre.co", "-a.fyre.co", "a b.fyre.co", ".fyre.co", "x.fyre.co\n",
		strings.Repeat("a", 64) + ".fyre.co"} {
		if got, want := re.MatchString(s), p4p.Network(s).Validate() == nil; got != want {
			t.Errorf("NetworkPattern matches %q: %v, Validate accepts it: %v", s, got, want)
		}
	}
}

func FuzzParseNetwork(f *testing.F) {
	for _, s := range []string{"labs.fyre.co", "evilfyre.co", "a-.fyre.co", "x.y.fyre.co", ""} {
		f.Add(s)
	}
	re := regexp.MustCompile(p4p.NetworkPattern)
	f.Fuzz(func(t *testing.T, s string) {
		n, err := p4p.ParseNetwork(s)
		if err != nil {
			if !errors.Is(err, p4p.ErrNetwork) {
				t.Fatalf("ParseNetwork(%q): %v does not wrap ErrNetwork", s, err)
			}
			return
		}
		if !strings.HasSuffix(s, ".fyre.co") || n.Name() == "" || strings.ContainsAny(n.Name(), "/:?# ") {
			t.Fatalf("ParseNetwork(%q) accepted a name that is not one", s)
		}
		if len(s) <= p4p.MaxNetworkLength && !re.MatchString(s) {
			t.Fatalf("ParseNetwork accepts %q, NetworkPattern does not", s)
		}
	})
}

// FuzzNetworkPattern: what NetworkPattern matches within the length
// limit, ParseNetwork accepts, so that the schema written from it refuses
// nothing the rule allows and allows nothing it refuses.
func FuzzNetworkPattern(f *testing.F) {
	for _, s := range []string{"labs.fyre.co", "a-b.c.fyre.co", "x.fyre.co\n", "-a.fyre.co"} {
		f.Add(s)
	}
	re := regexp.MustCompile(p4p.NetworkPattern)
	f.Fuzz(func(t *testing.T, s string) {
		if re.MatchString(s) && len(s) <= p4p.MaxNetworkLength && p4p.Network(s).Validate() != nil {
			t.Fatalf("NetworkPattern matches %q, ParseNetwork refuses it: %v", s, p4p.Network(s).Validate())
		}
	})
}

func ExampleParseNetwork() {
	n, err := p4p.ParseNetwork("labs.fyre.co")
	fmt.Println(n.Name(), err)
	_, err = p4p.ParseNetwork("evilfyre.co")
	fmt.Println(err)
	// Output:
	// labs <nil>
	// not a Livefyre network name: "evilfyre.co" does not end in .fyre.co after a name, as example.fyre.co does (spec 3.1)
}
