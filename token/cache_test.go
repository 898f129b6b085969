package token

import (
	"errors"
	"testing"
	"time"
)

// TestCache: a cached token is still checked for expiry, and rejected
// tokens are never cached.
func TestCache(t *testing.T) {
	clock := now
	c := &Cache{Validator: Validator{Network: network, Key: key, Now: func() time.Time { return clock }}, Size: 2}
	tok, _ := System(network, key, time.Minute, now)
	for range 3 {
		if _, err := c.Validate(tok); err != nil {
			t.Fatalf("Validate: %v", err)
		}
	}
	clock = now.Add(2 * time.Minute)
	if _, err := c.Validate(tok); !errors.Is(err, ErrExpired) {
		t.Errorf("cached token after its expiry: %v, want ErrExpired", err)
	}
	forged := tok[:len(tok)-2] + "AA"
	for range 2 {
		if _, err := c.Validate(forged); !errors.Is(err, ErrSignature) {
			t.Errorf("forged token: %v, want ErrSignature", err)
		}
	}
	if len(c.claims) > 2 {
		t.Errorf("cache holds %d tokens, want at most Size 2", len(c.claims))
	}
	for i := range 5 { // past Size: the cache empties, and stays correct
		tok, _ := User(network, key, "system", "system", time.Hour, now.Add(time.Duration(i)*time.Second), StyleInteger)
		clock = now
		if _, err := c.Validate(tok); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
	}
}
