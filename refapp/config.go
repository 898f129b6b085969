package refapp

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

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
	// TLS makes Start serve HTTPS with a fresh self-signed certificate
	// for 127.0.0.1, ::1 and localhost; see Server.Certificate and
	// Server.Client.
	TLS bool
	// Certificate is the certificate TLS serves, e.g. from NewCertificate;
	// nil means a fresh one. It is unused without TLS.
	Certificate *tls.Certificate
	// Fault is the deliberate mistake the server makes; "" is none, the
	// correct behaviour. Faults lists them.
	Fault Fault
	// FaultDelay is how long FaultSlow holds each pull; 0 means
	// DefaultFaultDelay.
	FaultDelay time.Duration
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
	if err := c.Fault.check(); err != nil {
		return c, fmt.Errorf("refapp: %w", err)
	}
	if c.FaultDelay < 0 {
		return c, fmt.Errorf("refapp: FaultDelay %v is negative", c.FaultDelay)
	}
	if c.FaultDelay == 0 {
		c.FaultDelay = DefaultFaultDelay
	}
	if c.Users == nil {
		c.Users = SyntheticUsers(DefaultUsers)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
