package token

import (
	"testing"
	"time"
)

func BenchmarkSystem(b *testing.B) {
	for b.Loop() {
		System(network, key, time.Hour, now)
	}
}

func BenchmarkValidate(b *testing.B) {
	tok, _ := System(network, key, time.Hour, now)
	v := validator()
	for b.Loop() {
		if _, err := v.Validate(tok); err != nil {
			b.Fatal(err)
		}
	}
}
