package p4p

import (
	"errors"
	"fmt"
	"strings"
)

// NetworkSuffix ends every Livefyre network name (spec 3.1).
const NetworkSuffix = ".fyre.co"

// MaxNetworkLength bounds a network name, as DNS bounds a host name.
const MaxNetworkLength = 253

// NetworkPattern is the network-name rule as a regular expression, for
// schemas that describe it (schemas/scenario.schema.json); ParseNetwork
// is the rule itself, and a test keeps the two in step. A network name is
// one or more DNS labels followed by ".fyre.co".
const NetworkPattern = `^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+fyre\.co$`

// ErrNetwork is wrapped by every error about a network name.
var ErrNetwork = errors.New("not a Livefyre network name")

// Network is a full Livefyre network name, such as "labs.fyre.co": the
// domain claim of every token (spec 2.1) and what the SDKs take as input.
//
// The 2.x SDKs' validators disagree on the suffix: Python checks that the
// name ends in "fyre.co", Java in ".fyre.co" (spec 3.1). p4p takes Java's
// stricter rule, which every real network name meets, so that
// "evilfyre.co" is refused everywhere. Each label before the suffix is a
// DNS label (letters, digits and inner dashes), since the name becomes a
// host name, {name}.quill.fyre.co (spec 3.1, 6.18). Case is kept as
// given: the SDKs compare the domain claim byte for byte (spec 2.4).
type Network string

// ParseNetwork returns s as a Network, or an error wrapping ErrNetwork
// that says what is wrong with it.
func ParseNetwork(s string) (Network, error) {
	n := Network(s)
	return n, n.Validate()
}

// Validate reports what is wrong with n, if anything.
func (n Network) Validate() error {
	s := string(n)
	rest, ok := strings.CutSuffix(s, NetworkSuffix)
	switch {
	case s == "":
		return fmt.Errorf("%w: empty; want a full network name such as example.fyre.co (spec 3.1)", ErrNetwork)
	case len(s) > MaxNetworkLength:
		return fmt.Errorf("%w: %d bytes, over the limit of %d", ErrNetwork, len(s), MaxNetworkLength)
	case !ok || rest == "":
		return fmt.Errorf("%w: %s does not end in .fyre.co after a name, as example.fyre.co does (spec 3.1)", ErrNetwork, clipQuote(s))
	}
	for _, label := range strings.Split(rest, ".") {
		if !dnsLabel(label) {
			return fmt.Errorf("%w: %s: each part before .fyre.co must be 1 to 63 letters, digits and inner dashes (spec 3.1)", ErrNetwork, clipQuote(s))
		}
	}
	return nil
}

// Name is the network's first label, "labs" for "labs.fyre.co": the
// networkName of Livefyre's URLs (spec 1.4, 3.1).
func (n Network) Name() string {
	name, _, _ := strings.Cut(string(n), ".")
	return name
}

func (n Network) String() string { return string(n) }

func dnsLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// clipQuote quotes s for a message, cut to 64 bytes.
func clipQuote(s string) string {
	const max = 64
	if len(s) > max {
		return fmt.Sprintf("%q…", s[:max])
	}
	return fmt.Sprintf("%q", s)
}
