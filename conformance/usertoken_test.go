package conformance

import "testing"

func TestUserTokenURL(t *testing.T) {
	tests := []struct{ url, id, want string }{
		{"https://example.com/users/{id}/token", "a.b-c_1", "https://example.com/users/a.b-c_1/token"},
		{"https://example.com/token?user={id}&v=2", "u-1", "https://example.com/token?user=u-1&v=2"},
		{"https://example.com/token", "u-1", "https://example.com/token?id=u-1"},
		{"https://example.com/token?v=2", "u-1", "https://example.com/token?id=u-1&v=2"},
	}
	for _, tt := range tests {
		if got := userTokenURL(tt.url, tt.id); got != tt.want {
			t.Errorf("userTokenURL(%q, %q): got %q, want %q", tt.url, tt.id, got, tt.want)
		}
	}
}

func TestUserTokenOf(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"token":"a.b.c"}`, "a.b.c"},
		{" {\"token\": \"a.b.c\", \"ttl\": 3600}\n", "a.b.c"},
		{"a.b.c\n", "a.b.c"},
		{`{"jwt":"a.b.c"}`, `{"jwt":"a.b.c"}`}, // judged as a token, and refused
		{"", ""},
	}
	for _, tt := range tests {
		if got := userTokenOf([]byte(tt.body)); got != tt.want {
			t.Errorf("userTokenOf(%q): got %q, want %q", tt.body, got, tt.want)
		}
	}
}

// FuzzUserTokenOf: any answer of a user-token URL is read without
// panicking, into a token no longer than the answer.
func FuzzUserTokenOf(f *testing.F) {
	f.Add([]byte(`{"token":"eyJhbGciOiJIUzI1NiJ9.e30.x"}`))
	f.Add([]byte("eyJhbGciOiJIUzI1NiJ9.e30.x\r\n"))
	f.Add([]byte(`{"token":42}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if got := userTokenOf(body); len(got) > len(body) {
			t.Fatalf("userTokenOf(%q): %q is longer than the answer", body, got)
		}
	})
}
