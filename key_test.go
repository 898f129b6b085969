package p4p_test

import (
	"encoding/base64"
	"testing"

	"p4p"
)

func TestNewKey(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		k := p4p.NewKey()
		if len(k) != 28 {
			t.Fatalf("NewKey() = %q: %d characters, want 28", k, len(k))
		}
		b, err := base64.StdEncoding.DecodeString(k)
		if err != nil || len(b) != 20 {
			t.Fatalf("NewKey() = %q: decodes to %d bytes, %v; want 20 bytes of base64", k, len(b), err)
		}
		if seen[k] {
			t.Fatalf("NewKey() = %q twice", k)
		}
		seen[k] = true
	}
}
