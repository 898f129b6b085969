package profile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"p4p"
	"p4p/profile"
)

func writeUsers(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDecodeUsers(t *testing.T) {
	tests := []struct {
		name, data string
		ids        []string
		err        string
	}{
		{"ids", `["u-1","u.2","u_3"]`, []string{"u-1", "u.2", "u_3"}, ""},
		{"profiles", `[{"id":"a","display_name":"A","email":"a@example.com"},{"id":"b.c","display_name":"B"}]`, []string{"a", "b.c"}, ""},
		{"booleans as strings", `[{"id":"a","display_name":"A","moderator":"true"}]`, []string{"a"}, ""},
		{"empty", `[]`, nil, "empty"},
		{"not an array", `{"id":"u"}`, nil, "JSON array"},
		{"bad JSON", `[{"id":"u-1",`, nil, "JSON array"},
		{"id with a space and a slash", `["a b/c"]`, nil, "user id at index 0"},
		{"profile id with a space and a slash", `[{"id":"a b/c","display_name":"A"}]`, nil, "user id at index 0"},
		{"long id", `["` + strings.Repeat("x", p4p.MaxUserIDLength+1) + `"]`, nil, "over the limit"},
		{"duplicate id", `["u","v","u"]`, nil, "index 2 already at index 0"},
		{"duplicate profile", `[{"id":"u","display_name":"A"},{"id":"u","display_name":"B"}]`, nil, "index 1 already at index 0"},
		{"mixed", `["u",{"id":"v"}]`, nil, "element 1"},
		{"no display_name", `[{"id":"u","display_name":"U"},{"id":"v"}]`, nil, "index 1"},
		{"three websites", `[{"id":"x","display_name":"X","websites":["https://a.example","https://b.example","https://c.example"]}]`, nil, "index 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := profile.DecodeUsers([]byte(tt.data))
			if tt.err != "" {
				if err == nil || !errors.Is(err, profile.ErrUsers) || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want ErrUsers mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ids := profile.IDs(got); strings.Join(ids, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("ids %q, want %q", ids, tt.ids)
			}
			for _, p := range got {
				if p.DisplayName == "" {
					t.Errorf("user %q has no display name", p.ID)
				}
			}
		})
	}
}

func TestReadUsers(t *testing.T) {
	got, err := profile.ReadUsers(writeUsers(t, `["u-1","u-2"]`))
	if err != nil || len(got) != 2 || got[1].ID != "u-2" || got[1].DisplayName != "User u-2" {
		t.Errorf("ReadUsers = %+v, %v", got, err)
	}
	tooLarge := filepath.Join(t.TempDir(), "large.json")
	if err := os.WriteFile(tooLarge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(tooLarge, profile.MaxUsersFileBytes+1); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, path, want string }{
		{"missing", filepath.Join(t.TempDir(), "none.json"), "none.json"},
		{"too large", tooLarge, "limit"},
		{"bad id", writeUsers(t, `["ok","a b/c"]`), "user id at index 1"},
	} {
		if _, err := profile.ReadUsers(tt.path); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), filepath.Base(tt.path)) {
			t.Errorf("%s: error %v, want one naming the file and mentioning %q", tt.name, err, tt.want)
		}
	}
}

// FuzzDecodeUsers: a users file never panics the decoder, and what it
// accepts is usable: unique user ids, each with a display name.
func FuzzDecodeUsers(f *testing.F) {
	for _, s := range []string{`["u-1","u.2"]`, `[{"id":"a","display_name":"A"}]`, `[]`, `[1]`, `[null]`, `["a",{"id":"b"}]`, `{}`, `["a b/c"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		users, err := profile.DecodeUsers(data)
		if err != nil {
			if !errors.Is(err, profile.ErrUsers) {
				t.Fatalf("error %v does not wrap ErrUsers", err)
			}
			return
		}
		seen := map[string]bool{}
		for i, u := range users {
			if p4p.UserID(u.ID).Validate() != nil || seen[u.ID] || u.DisplayName == "" {
				t.Fatalf("accepted user %d: %+v", i, u)
			}
			seen[u.ID] = true
		}
	})
}

func ExampleDecodeUsers() {
	users, err := profile.DecodeUsers([]byte(`["u-1", "u-2"]`))
	fmt.Println(users[1].DisplayName, err)
	_, err = profile.DecodeUsers([]byte(`["u-1", "a b/c"]`))
	fmt.Println(err)
	// Output:
	// User u-2 <nil>
	// bad users file: user id at index 1: not a user id: "a b/c": only letters, digits, '_', '.' and '-' are allowed (spec 2.3)
}
