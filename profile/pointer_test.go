package profile

import (
	"strings"
	"testing"
)

func TestPointer(t *testing.T) {
	tests := []struct {
		segments []string
		want     string
	}{
		{nil, ""},
		{[]string{"tags", "0"}, "/tags/0"},
		{[]string{"a/b", "m~n"}, "/a~1b/m~0n"},
		{[]string{""}, "/"},
		{[]string{strings.Repeat("é", 20)}, "/" + strings.Repeat("é", 16) + "…"},
		{[]string{strings.Repeat("a", 40), strings.Repeat("b", 40)}, "/" + strings.Repeat("a", 32) + "…/" + strings.Repeat("b", 27) + "…"},
	}
	for _, tt := range tests {
		if got := pointer(tt.segments); got != tt.want {
			t.Errorf("pointer(%q): got %q, want %q", tt.segments, got, tt.want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"aé", 2, "a…"}, // never splits a rune
		{"日本", 4, "日…"},
	}
	for _, tt := range tests {
		if got := clip(tt.s, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d): got %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
