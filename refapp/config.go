package refapp

import (
	"cmp"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"p4p"
	"p4p/internal/serve"
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
	// VaryBodies makes every pull's body one never served before: the
	// profile with VaryField, a new number each time. It is for load
	// benchmarks of generators that remember bodies they validated; the
	// profiles stay valid.
	VaryBodies bool

	// MaxConns caps the connections open at once: at the cap the server
	// closes the keep-alive connection idle longest to serve a new client
	// (see internal/serve). 0 means serve.DefaultMaxConns (10,000), or half
	// the process's open-file limit if that is lower.
	MaxConns int
	// IdleTimeout closes a keep-alive connection idle this long; 0 means
	// serve.DefaultIdleTimeout (60 s).
	IdleTimeout time.Duration
	// ReadHeaderTimeout closes a connection that does not send a request's
	// headers within this long; 0 means serve.DefaultReadHeaderTimeout
	// (10 s).
	ReadHeaderTimeout time.Duration
}

// connLimits are the bounds on the server's connections.
func (c Config) connLimits() serve.Limits {
	return serve.Limits{MaxConns: c.MaxConns, IdleTimeout: c.IdleTimeout, ReadHeaderTimeout: c.ReadHeaderTimeout}
}

// reserved are the paths the Pull endpoint may not take.
var reserved = []string{"/users", "/hook", UserTokenPath, "/healthz"}

// ErrConfig is wrapped by every error of Config.Validate.
var ErrConfig = errors.New("refapp: bad configuration")

// Validate reports the first problem with c, wrapping ErrConfig: a
// Network that is not a Livefyre network name (spec 3.1), no Key, a user
// whose id is not a p4p.UserID or repeats another (as every users file is
// read, profile.CheckIDs), a PullPath that is no path or is taken, an
// unknown Fault, a negative FaultDelay. Zero values are fine: Start
// fills in their defaults.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	if err := p4p.Network(c.Network).Validate(); err != nil {
		return bad("Network: %v", err)
	}
	if c.Key == "" {
		return bad("Key is required")
	}
	if err := profile.CheckIDs(profile.IDs(c.Users)); err != nil {
		return bad("Users: %v", err)
	}
	if p := c.PullPath; p != "" && (!strings.HasPrefix(p, "/") || strings.ContainsAny(p, "?#") || slices.Contains(reserved, p)) {
		return bad("PullPath %q: want a path starting with /, other than %s", p, strings.Join(reserved, ", "))
	}
	if err := c.Fault.check(); err != nil {
		return bad("%v", err)
	}
	if c.FaultDelay < 0 {
		return bad("FaultDelay %v is negative", c.FaultDelay)
	}
	if err := c.connLimits().Validate(); err != nil {
		return bad("%v", err)
	}
	return nil
}

// withDefaults checks c and fills in the zero values.
func (c Config) withDefaults() (Config, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	c.Addr = cmp.Or(c.Addr, DefaultAddr)
	c.PullPath = cmp.Or(c.PullPath, DefaultPullPath)
	c.FaultDelay = cmp.Or(c.FaultDelay, DefaultFaultDelay)
	if c.Users == nil {
		c.Users = SyntheticUsers(DefaultUsers)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
