package token

import (
	"strings"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	sys, _ := System(network, key, time.Hour, now)
	tests := []struct {
		tok  string
		want string
	}{
		{"", ""},
		{sys, "eyJhbGciOi…[redacted 201-byte token]"},
		{sign(hs256, golden, key), "eyJhbGciOi…[redacted 185-byte token]"},
		{"secret-looking.not.jwt", "[redacted 22-byte token]"},
		{"a.b.c", "[redacted 5-byte token]"},
		{"eyJ.b.c", "[redacted 7-byte token]"},
	}
	for _, tt := range tests {
		got := Redact(tt.tok)
		if got != tt.want {
			t.Errorf("Redact(%q): got %q, want %q", tt.tok, got, tt.want)
		}
		if tt.tok == "" {
			continue
		}
		if strings.Contains(got, tt.tok) {
			t.Errorf("Redact(%q) = %q contains the token", tt.tok, got)
		}
		for _, part := range strings.Split(tt.tok, ".")[1:] {
			if len(part) > 8 && strings.Contains(got, part) {
				t.Errorf("Redact(%q) = %q contains the part %q", tt.tok, got, part)
			}
		}
	}
}
