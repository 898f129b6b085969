package main

import (
	"strings"
	"testing"
)

// TestWarnIfExposed: a server asked to listen beyond loopback says so;
// on loopback it is quiet.
func TestWarnIfExposed(t *testing.T) {
	tests := []struct {
		addr string
		warn bool
	}{
		{"127.0.0.1:8080", false},
		{"127.0.0.2:0", false},
		{"[::1]:8080", false},
		{"localhost:8080", false},
		{":8080", true},
		{"0.0.0.0:8080", true},
		{"[::]:8080", true},
		{"192.0.2.10:8080", true},
		{"example.com:80", true},
	}
	for _, tt := range tests {
		var b strings.Builder
		warnIfExposed(&b, "the mock Livefyre", tt.addr)
		if got := strings.Contains(b.String(), "beyond loopback"); got != tt.warn {
			t.Errorf("%s: warned %v (%q), want %v", tt.addr, got, b.String(), tt.warn)
		}
	}
}
