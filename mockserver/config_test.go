package mockserver_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"p4p/mockserver"
)

// TestConfigValidate: the library checks its own configuration, as the
// CLI used to alone, with the root package's rules.
func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*mockserver.Config)
		want   []string
	}{
		{"defaults", func(*mockserver.Config) {}, nil},
		{"evilfyre.co", func(c *mockserver.Config) { c.Network = "evilfyre.co" }, []string{"Network"}},
		{"no key", func(c *mockserver.Config) { c.Key = "" }, []string{"Key is required"}},
		{"negative workers", func(c *mockserver.Config) { c.Workers = -3 }, []string{"Workers -3 is negative"}},
		{"every negative number", func(c *mockserver.Config) {
			c.MaxAttempts, c.MaxQueued, c.MaxInflight, c.MaxBodyBytes, c.MaxResponseBytes = -1, -1, -1, -1, -1
			c.PullTimeout, c.BodyTimeout = -time.Second, -time.Second
		}, []string{"MaxAttempts", "MaxQueued", "MaxInflight", "MaxBodyBytes", "MaxResponseBytes", "PullTimeout", "BodyTimeout"}},
		{"backoff backwards", func(c *mockserver.Config) { c.BackoffBase, c.BackoffMax = time.Minute, time.Second }, []string{"BackoffMax"}},
		{"NaN time scale", func(c *mockserver.Config) { c.TimeScale = math.NaN() }, []string{"TimeScale"}},
		{"owner not a user id", func(c *mockserver.Config) { c.Owners = []string{"ok", "a b/c"} }, []string{"Owners"}},
		{"blank allowed host", func(c *mockserver.Config) { c.AllowHosts = []string{" "} }, []string{"AllowHosts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mockserver.Config{Network: network, Key: key}
			tt.change(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, mockserver.ErrConfig) {
				t.Fatalf("Validate = %v, want ErrConfig", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate = %v, want it to mention %q", err, w)
				}
			}
			if s, err := mockserver.Start(c); err == nil {
				s.Close()
				t.Fatalf("Start accepted what Validate refuses")
			}
		})
	}
}
