package refapp

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"p4p/profile"
)

// DefaultUsers is how many synthetic users a Server serves when
// Config.Users is nil.
const DefaultUsers = 100

// Defaults for the zero values of a Config.
const (
	DefaultAddr     = "127.0.0.1:0"
	DefaultPullPath = "/pull"
)

// Config is how a Server is set up.
type Config struct {
	// Addr is the listen address; "" means "127.0.0.1:0".
	Addr string
	// Network is the full network name, the domain of the tokens the Pull
	// endpoint accepts and of those it pings with.
	Network string
	// Key is the network key.
	Key string
	// Users are the profiles served, as given; nil means
	// SyntheticUsers(DefaultUsers). Ids must be unique and non-empty.
	Users []profile.Profile
	// Livefyre is the base URL of Livefyre (the mock); "" disables
	// pinging and registration.
	Livefyre string
	// Register makes Start register URL+PullPath+"?id={id}" with Livefyre.
	Register bool
	// PullPath is the Pull endpoint's path; "" means "/pull".
	PullPath string
	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
}

// reserved are the paths the Pull endpoint may not take.
var reserved = []string{"/users", "/hook", "/healthz"}

// withDefaults fills in the zero values and checks the rest.
func (c Config) withDefaults() (Config, error) {
	if c.Network == "" || c.Key == "" {
		return c, errors.New("refapp: Network and Key are required")
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.PullPath == "" {
		c.PullPath = DefaultPullPath
	}
	if !strings.HasPrefix(c.PullPath, "/") || strings.ContainsAny(c.PullPath, "?#") {
		return c, fmt.Errorf("refapp: PullPath %q must be a path starting with /", c.PullPath)
	}
	for _, p := range reserved {
		if c.PullPath == p {
			return c, fmt.Errorf("refapp: PullPath %q is taken by another route", p)
		}
	}
	if c.Users == nil {
		c.Users = SyntheticUsers(DefaultUsers)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
