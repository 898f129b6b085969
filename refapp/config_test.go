package refapp_test

import (
	"errors"
	"strings"
	"testing"

	"p4p/profile"
	"p4p/refapp"
)

// TestConfigValidate: the library checks its own configuration, as the
// CLI used to alone, with the root package's rules.
func TestConfigValidate(t *testing.T) {
	good := func() refapp.Config {
		return refapp.Config{Network: network, Key: key, Users: refapp.SyntheticUsers(3)}
	}
	tests := []struct {
		name   string
		change func(*refapp.Config)
		want   string
	}{
		{"defaults", func(*refapp.Config) {}, ""},
		{"nil users", func(c *refapp.Config) { c.Users = nil }, ""},
		{"evilfyre.co", func(c *refapp.Config) { c.Network = "evilfyre.co" }, "Network"},
		{"no network", func(c *refapp.Config) { c.Network = "" }, "Network"},
		{"no key", func(c *refapp.Config) { c.Key = "" }, "Key is required"},
		{"user id with a space and a slash", func(c *refapp.Config) { c.Users[1].ID = "a b/c" }, "user id at index 1"},
		{"empty user id", func(c *refapp.Config) { c.Users[0].ID = "" }, "user id at index 0"},
		{"duplicate user", func(c *refapp.Config) { c.Users[2].ID = c.Users[0].ID }, "index 2 already at index 0"},
		{"relative pull path", func(c *refapp.Config) { c.PullPath = "pull" }, "PullPath"},
		{"taken pull path", func(c *refapp.Config) { c.PullPath = "/hook" }, "PullPath"},
		{"unknown fault", func(c *refapp.Config) { c.Fault = "no-such-fault" }, "no-such-fault"},
		{"negative fault delay", func(c *refapp.Config) { c.FaultDelay = -1 }, "FaultDelay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.change(&c)
			err := c.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, refapp.ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want ErrConfig mentioning %q", err, tt.want)
			}
			if s, err := refapp.Start(c); err == nil {
				s.Close()
				t.Fatalf("Start accepted what Validate refuses")
			}
		})
	}
}

// TestServesUsersFile: the profiles of a users file, read as every users
// file is read, are what the endpoint serves.
func TestServesUsersFile(t *testing.T) {
	users, err := profile.DecodeUsers([]byte(`["u-1", {"id":"x"}]`))
	if err == nil {
		t.Fatalf("a file of ids and profiles mixed was read: %+v", users)
	}
	if users, err = profile.DecodeUsers([]byte(`["u-1", "a.b_c-2"]`)); err != nil {
		t.Fatal(err)
	}
	s := start(t, func(c *refapp.Config) { c.Users = users })
	if name := pulledName(t, s, "a.b_c-2"); name != "User a.b_c-2" {
		t.Errorf("pulled display_name %q, want %q", name, "User a.b_c-2")
	}
}
