package refapp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/refapp"
)

// usersFile writes profiles' JSON as an array, each replaced by its
// override if it has one.
func usersFile(t *testing.T, n int, override map[int]string) string {
	t.Helper()
	var parts []string
	for i, p := range refapp.SyntheticUsers(n) {
		body, err := p.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if o, ok := override[i]; ok {
			body = []byte(o)
		}
		parts = append(parts, string(body))
	}
	return writeFile(t, "["+strings.Join(parts, ",\n")+"]")
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadUsers(t *testing.T) {
	got, err := refapp.LoadUsers(usersFile(t, 5, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := refapp.SyntheticUsers(5)
	for i := range want {
		g, _ := got[i].JSON()
		w, _ := want[i].JSON()
		if diff := cmp.Diff(string(w), string(g)); diff != "" {
			t.Errorf("user %d (-want +got):\n%s", i, diff)
		}
	}
	s := start(t, func(c *refapp.Config) { c.Users = got })
	if name := pulledName(t, s, "a.b-c_0004"); name != want[3].DisplayName {
		t.Errorf("pulled display_name %q, want %q", name, want[3].DisplayName)
	}
}

func TestLoadUsersErrors(t *testing.T) {
	tooLarge := filepath.Join(t.TempDir(), "large.json")
	f, err := os.Create(tooLarge)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(refapp.MaxUsersFileBytes + 1)
	f.Close()
	tests := []struct{ name, path, want string }{
		{"missing file", filepath.Join(t.TempDir(), "none.json"), "no such file"},
		{"bad JSON", writeFile(t, `[{"id":"u-1",`), "not a JSON array"},
		{"not an array", writeFile(t, `{"id":"u-1","display_name":"A"}`), "not a JSON array"},
		{"invalid profile", usersFile(t, 4, map[int]string{2: `{"id":"x","display_name":"X","websites":["https://a.example","https://b.example","https://c.example"]}`}), "index 2"},
		{"no display_name", usersFile(t, 4, map[int]string{2: `{"id":"x"}`}), "index 2"},
		{"duplicate id", usersFile(t, 4, map[int]string{3: `{"id":"u-0001","display_name":"Again"}`}), "index 3"},
		{"too large", tooLarge, "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := refapp.LoadUsers(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)

			}
		})
	}
}
