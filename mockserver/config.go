package mockserver

import (
	"crypto/x509"
	"errors"
	"log/slog"
	"time"

	"p4p"
	"p4p/profile"
)

// Defaults for Config's zero values.
const (
	DefaultAddr            = "127.0.0.1:0"
	DefaultWorkers         = 32
	DefaultMaxAttempts     = 5
	DefaultPullTimeout     = 10 * time.Second
	DefaultBackoffBase     = time.Second
	DefaultBackoffMax      = time.Minute
	DefaultMaxBodyBytes    = 64 << 10 // pings and registrations
	DefaultMaxUserIDLength = 256
	DefaultMaxQueued       = 1_000_000
	DefaultMaxInflight     = 256 // pings being handled at once
	DefaultBodyTimeout     = 10 * time.Second
)

// Config configures a mock Livefyre. The zero value of every field but
// Network and Key is usable.
type Config struct {
	Addr    string // listen address; DefaultAddr if empty
	Network string // full network name, e.g. "example.fyre.co" (spec 3.1)
	Key     string // network key, used as raw bytes (spec 2.2)
	// Owners are user ids besides "system" whose tokens may ping, register
	// and list profiles: network owners (spec 1.4, 6.23).
	Owners []string

	DataDir string // embedded JetStream storage; a temporary directory if empty
	NATSURL string // use this NATS server instead of an embedded one

	Workers     int           // concurrent pulls; DefaultWorkers if 0
	MaxAttempts int           // attempts per pull, first included; DefaultMaxAttempts if 0
	PullTimeout time.Duration // per attempt, not scaled by TimeScale; DefaultPullTimeout if 0
	BackoffBase time.Duration // first retry backoff, before TimeScale
	BackoffMax  time.Duration // longest backoff, before TimeScale
	Delay       p4p.Delay     // from ping to pull, before TimeScale
	// TimeScale divides every delay, backoff and Retry-After (not the pull
	// timeout, a real HTTP timeout), so that a CI
	// run can play Livefyre's ten minutes in ten seconds. 0 means 1.
	TimeScale float64

	MaxBodyBytes     int // request bodies; DefaultMaxBodyBytes if 0
	MaxResponseBytes int // pull responses; profile.DefaultMaxBytes if 0
	MaxQueued        int // pending pulls; DefaultMaxQueued if 0
	MaxUserIDLength  int // DefaultMaxUserIDLength if 0
	// MaxInflight bounds the pings handled at once; past it a ping is
	// refused at once with 429 and Retry-After instead of queuing in
	// memory, so that an overload sheds load rather than latency.
	// DefaultMaxInflight if 0.
	MaxInflight int
	// BodyTimeout bounds reading a ping's or registration's body, so that
	// a client that stalls mid-body cannot hold an in-flight slot for long.
	// DefaultBodyTimeout if 0.
	BodyTimeout time.Duration

	// AllowHosts, when set, are the only hosts a Pull URL may name:
	// entries are host names ("example.com", matched without the port) or
	// host:port pairs (matched exactly), compared case-insensitively.
	AllowHosts []string

	// RootCAs are the roots trusted for https Pull URLs; nil means the
	// system's. The embedded pipeline sets it to reach its own HTTPS
	// reference endpoint.
	RootCAs *x509.CertPool

	Logger *slog.Logger     // nil discards
	Now    func() time.Time // nil means time.Now; used for tokens
}

func (c Config) withDefaults() (Config, error) {
	if c.Network == "" || c.Key == "" {
		return c, errors.New("mockserver: Network and Key are required")
	}
	if err := c.Delay.Validate(); err != nil {
		return c, err
	}
	if c.TimeScale < 0 {
		return c, errors.New("mockserver: TimeScale must be positive")
	}
	setDefault(&c.Addr, DefaultAddr)
	setDefault(&c.Workers, DefaultWorkers)
	setDefault(&c.MaxAttempts, DefaultMaxAttempts)
	setDefault(&c.PullTimeout, DefaultPullTimeout)
	setDefault(&c.BackoffBase, DefaultBackoffBase)
	setDefault(&c.BackoffMax, DefaultBackoffMax)
	setDefault(&c.TimeScale, 1)
	setDefault(&c.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&c.MaxResponseBytes, profile.DefaultMaxBytes)
	setDefault(&c.MaxQueued, DefaultMaxQueued)
	setDefault(&c.MaxUserIDLength, DefaultMaxUserIDLength)
	setDefault(&c.MaxInflight, DefaultMaxInflight)
	setDefault(&c.BodyTimeout, DefaultBodyTimeout)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// scale divides a pipeline duration by the time scale.
func (c Config) scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) / c.TimeScale)
}
