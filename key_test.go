package p4p_test

import (
	"encoding/base64"
	"fmt"
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

func ExampleNewKey() {
	key := p4p.NewKey()
	fmt.Println(len(key), key != p4p.NewKey())
	// Output: 28 true
}
