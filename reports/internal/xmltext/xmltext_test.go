package xmltext

import "testing"

func TestSafe(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"plain text", "plain text"},
		{"tab\tline\ncr\r", "tab\tline\ncr\r"},
		{"nul\x00 bell\x07 esc\x1b", "nul\uFFFD bell\uFFFD esc\uFFFD"},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
		{"\uFFFE\uFFFF", "\uFFFD\uFFFD"},
		{"µs – 😀", "µs – 😀"},
	}
	for _, tt := range tests {
		if got := Safe(tt.in); got != tt.want {
			t.Errorf("Safe(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
