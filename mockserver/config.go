package mockserver

import (
	"cmp"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"p4p"
	"p4p/profile"
)

// Defaults for Config's zero values.
const (
	DefaultAddr         = "127.0.0.1:0"
	DefaultWorkers      = 32
	DefaultMaxAttempts  = 5
	DefaultPullTimeout  = 10 * time.Second
	DefaultBackoffBase  = time.Second
	DefaultBackoffMax   = time.Minute
	DefaultMaxBodyBytes = 64 << 10 // pings and registrations
	DefaultMaxQueued    = 1_000_000
	DefaultMaxInflight  = 256 // pings being handled at once
	DefaultBodyTimeout  = 10 * time.Second
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
	Delay       Delay         // from ping to pull, before TimeScale
	// TimeScale divides every delay, backoff and Retry-After (not the pull
	// timeout, a real HTTP timeout), so that a CI
	// run can play Livefyre's ten minutes in ten seconds. 0 means 1.
	TimeScale float64

	MaxBodyBytes     int // request bodies; DefaultMaxBodyBytes if 0
	MaxResponseBytes int // pull responses; profile.DefaultMaxBytes if 0
	MaxQueued        int // pending pulls; DefaultMaxQueued if 0
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
	// system's. The conformance suite sets it to reach its own HTTPS
	// reference endpoint.
	RootCAs *x509.CertPool

	Logger *slog.Logger     // nil discards
	Now    func() time.Time // nil means time.Now; used for tokens
}

// Delay is the time from a ping to its pull: fixed when Min == Max, else
// uniform in [Min, Max]. Livefyre promised 1 to 10 minutes (spec 1.1).
type Delay struct{ Min, Max time.Duration }

// ParseDelay reads "0", "90s" or a range "1m-10m".
func ParseDelay(s string) (Delay, error) {
	lo, hi, isRange := cutRange(s)
	min, err := time.ParseDuration(lo)
	if err != nil {
		return Delay{}, fmt.Errorf("delay %q: %w", s, err)
	}
	max := min
	if isRange {
		if max, err = time.ParseDuration(hi); err != nil {
			return Delay{}, fmt.Errorf("delay %q: %w", s, err)
		}
	}
	d := Delay{Min: min, Max: max}
	return d, d.validate()
}

func cutRange(s string) (lo, hi string, ok bool) {
	// A leading '-' would be a negative duration, not a range.
	for i := 1; i < len(s); i++ {
		if s[i] == '-' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func (d Delay) validate() error {
	if d.Min < 0 || d.Max < d.Min {
		return fmt.Errorf("delay %s-%s: want 0 <= min <= max", d.Min, d.Max)
	}
	return nil
}

// Draw picks a delay.
func (d Delay) Draw() time.Duration {
	if d.Max <= d.Min {
		return d.Min
	}
	return d.Min + rand.N(d.Max-d.Min+1)
}

func (d Delay) String() string {
	if d.Min == d.Max {
		return d.Min.String()
	}
	return d.Min.String() + "-" + d.Max.String()
}

// ErrConfig is wrapped by every error of Config.Validate.
var ErrConfig = errors.New("mockserver: bad configuration")

// Validate reports every problem with c, joined, each wrapping ErrConfig:
// a Network that is not a Livefyre network name (spec 3.1), no Key, an
// owner that is not a user id, a blank allowed host, a Delay range
// backwards, and negative or non-finite numbers. Zero values are fine:
// Start fills in their defaults.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...)))
	}
	if err := p4p.Network(c.Network).Validate(); err != nil {
		bad("Network: %v", err)
	}
	if c.Key == "" {
		bad("Key is required")
	}
	for _, o := range c.Owners {
		if err := p4p.UserID(o).Validate(); err != nil {
			bad("Owners: %v", err)
		}
	}
	for _, h := range c.AllowHosts {
		if strings.TrimSpace(h) == "" || strings.ContainsAny(h, "/?#@ ") {
			bad("AllowHosts: %q is not a host or host:port", h)
		}
	}
	if err := c.Delay.validate(); err != nil {
		bad("Delay: %v", err)
	}
	if c.TimeScale < 0 || math.IsNaN(c.TimeScale) || math.IsInf(c.TimeScale, 0) {
		bad("TimeScale %g: want a positive, finite number (or 0 for 1)", c.TimeScale)
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"Workers", c.Workers}, {"MaxAttempts", c.MaxAttempts}, {"MaxBodyBytes", c.MaxBodyBytes},
		{"MaxResponseBytes", c.MaxResponseBytes}, {"MaxQueued", c.MaxQueued}, {"MaxInflight", c.MaxInflight}} {
		if n.v < 0 {
			bad("%s %d is negative", n.name, n.v)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"PullTimeout", c.PullTimeout}, {"BackoffBase", c.BackoffBase}, {"BackoffMax", c.BackoffMax}, {"BodyTimeout", c.BodyTimeout}} {
		if d.v < 0 {
			bad("%s %s is negative", d.name, d.v)
		}
	}
	if base, max := cmp.Or(c.BackoffBase, DefaultBackoffBase), cmp.Or(c.BackoffMax, DefaultBackoffMax); max < base {
		bad("BackoffMax %s is less than BackoffBase %s", max, base)
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() (Config, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	c.Addr = cmp.Or(c.Addr, DefaultAddr)
	c.Workers = cmp.Or(c.Workers, DefaultWorkers)
	c.MaxAttempts = cmp.Or(c.MaxAttempts, DefaultMaxAttempts)
	c.PullTimeout = cmp.Or(c.PullTimeout, DefaultPullTimeout)
	c.BackoffBase = cmp.Or(c.BackoffBase, DefaultBackoffBase)
	c.BackoffMax = cmp.Or(c.BackoffMax, DefaultBackoffMax)
	c.TimeScale = cmp.Or(c.TimeScale, 1)
	c.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, DefaultMaxBodyBytes)
	c.MaxResponseBytes = cmp.Or(c.MaxResponseBytes, profile.DefaultMaxBytes)
	c.MaxQueued = cmp.Or(c.MaxQueued, DefaultMaxQueued)
	c.MaxInflight = cmp.Or(c.MaxInflight, DefaultMaxInflight)
	c.BodyTimeout = cmp.Or(c.BodyTimeout, DefaultBodyTimeout)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// scale divides a pipeline duration by the time scale.
func (c Config) scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) / c.TimeScale)
}
