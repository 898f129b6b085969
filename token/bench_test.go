package token

import (
	"testing"
	"time"
)

func BenchmarkSystem(b *testing.B) {
	for b.Loop() {
		if _, err := System(network, key, time.Hour, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	tok, err := System(network, key, time.Hour, now)
	if err != nil {
		b.Fatal(err)
	}
	v := validator()
	for b.Loop() {
		if _, err := v.Validate(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCacheValidate is Validate for a token sent again, the peer of
// BenchmarkValidate.
func BenchmarkCacheValidate(b *testing.B) {
	tok, err := System(network, key, time.Hour, now)
	if err != nil {
		b.Fatal(err)
	}
	c := &Cache{Validator: validator()}
	for b.Loop() {
		if _, err := c.Validate(tok); err != nil {
			b.Fatal(err)
		}
	}
}
