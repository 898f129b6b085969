package mockserver

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
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
	// DefaultStoreTimeout covers a JetStream leader election that waits out
	// its timeout (4 to 9 s after a leader's process dies).
	DefaultStoreTimeout = 12 * time.Second
	MaxStoreTimeout     = time.Minute // half the streams' duplicate window

	// The /events followers (see Config.MaxFollowers and below).
	DefaultMaxFollowers      = 1000
	DefaultEventBacklog      = 1 << 16 // events, about 300 bytes each
	DefaultEventWriteTimeout = 10 * time.Second
	DefaultEventLinger       = time.Minute

	// The app's view (appview.go): collections' bootstrap cadence and how
	// many collections the mock keeps.
	DefaultMaxCollections = 10_000
)

// DefaultBootstrapRefresh is the seed's "at most every 5 to 10 minutes"
// (spec 1.1, 8.1).
var DefaultBootstrapRefresh = p4p.Delay{Min: 5 * time.Minute, Max: 10 * time.Minute}

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
	// NATSURL names a NATS server to use instead of an embedded one, or a
	// cluster's servers as a comma-separated list (replicas.go).
	NATSURL string
	// Replicas is how many copies JetStream keeps of every stream and
	// key-value bucket the mock uses; they are created with it, or updated
	// to it. 0 means 1 on the embedded server, 3 on a cluster of at least 3
	// servers, else the cluster's size. More than the cluster has is an
	// error at Start.
	Replicas int
	// StoreTimeout is how long a ping may wait for its pull to be stored,
	// publishing again with the same message id across leader elections,
	// before it is answered 503 with Retry-After. DefaultStoreTimeout if 0;
	// at most MaxStoreTimeout, within the streams' duplicate window.
	StoreTimeout time.Duration
	// SyncAlways has the embedded server flush every write to disk before
	// it acknowledges it; SyncInterval, if not 0, replaces nats-server's
	// default of 2 minutes between flushes. Neither applies to an external
	// NATS, whose operator sets its own.
	SyncAlways   bool
	SyncInterval time.Duration
	// MaxStore bounds the embedded store, in bytes; 0 means
	// DefaultStoreShare of the disk (see storeLimit). Pings are refused
	// with 507 before it fills, keeping room for pulls under way
	// (storage.go). An external NATS's own limits apply instead.
	MaxStore int64

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
	// MaxInflight bounds the pings handled at once; past it a ping is
	// refused at once with 429 and Retry-After instead of queuing in
	// memory, so that an overload sheds load rather than latency.
	// DefaultMaxInflight if 0.
	MaxInflight int
	// BodyTimeout bounds reading a ping's or registration's body, so that
	// a client that stalls mid-body cannot hold an in-flight slot for long.
	// DefaultBodyTimeout if 0.
	BodyTimeout time.Duration

	// MaxConns caps the inbound connections open at once. At the cap the
	// mock closes the keep-alive connection idle longest to serve a new
	// client, and stops accepting only while every connection carries a
	// request (see internal/serve). 0 means serve.DefaultMaxConns (10,000),
	// or half the process's open-file limit if that is lower, so that the
	// pulls always have sockets left.
	MaxConns int
	// IdleTimeout closes a keep-alive connection idle this long; 0 means
	// serve.DefaultIdleTimeout (60 s).
	IdleTimeout time.Duration
	// ReadHeaderTimeout closes a connection that does not send a request's
	// headers within this long; 0 means serve.DefaultReadHeaderTimeout
	// (10 s).
	ReadHeaderTimeout time.Duration
	// MaxFollowers bounds the /events followers at once; past it /events
	// answers 429 with Retry-After. DefaultMaxFollowers if 0.
	MaxFollowers int
	// EventBacklog is how many of the latest events the mock holds for its
	// /events followers, each encoded once for all of them: a follower
	// further behind is disconnected (told why), and one that resumes
	// (Last-Event-ID) from further back is told of the gap.
	// DefaultEventBacklog if 0.
	EventBacklog int
	// EventWriteTimeout bounds each write to an /events follower, so that
	// one that stops reading is disconnected after it.
	// DefaultEventWriteTimeout if 0.
	EventWriteTimeout time.Duration
	// EventLinger is how long the mock keeps receiving events after its
	// last /events follower left, so that a follower that reconnects within
	// it resumes with nothing missed. DefaultEventLinger if 0.
	EventLinger time.Duration

	// BootstrapRefresh is how often each collection's bootstrap is
	// regenerated from the remote profiles, before TimeScale: a fixed
	// duration or a range drawn anew for each refresh.
	// DefaultBootstrapRefresh if zero.
	BootstrapRefresh p4p.Delay
	// MaxCollections bounds the collections the mock keeps; past it the
	// one requested least recently is dropped (and made again when asked
	// for). DefaultMaxCollections if 0.
	MaxCollections int

	// AllowHosts, when set, are the only hosts a Pull URL may name:
	// entries are host names ("example.com", matched without the port) or
	// host:port pairs (matched exactly), compared case-insensitively.
	// They are checked at registration and again before every pull, so
	// that a Pull URL stored under another list (the same DataDir, another
	// mock on the same NATS) fails its pulls for good instead of being
	// sent the system token.
	AllowHosts []string

	// HistoryPerUser bounds the records kept of each user's pings, pull
	// attempts, dead letters and replays (history.go), oldest dropped
	// first. DefaultHistoryPerUser if 0.
	HistoryPerUser int

	// RootCAs are the roots trusted for https Pull URLs; nil means the
	// system's. The embedded pipeline sets it to reach its own HTTPS
	// reference endpoint.
	RootCAs *x509.CertPool

	Logger *slog.Logger     // nil discards
	Now    func() time.Time // nil means time.Now; used for tokens

	// dial, if set, replaces the pull client's dialer (tests: SetDial).
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
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
	if err := c.Delay.Validate(); err != nil {
		bad("Delay: %v", err)
	}
	if err := c.BootstrapRefresh.Validate(); err != nil {
		bad("BootstrapRefresh: %v", err)
	}
	if c.HistoryPerUser < 0 {
		bad("HistoryPerUser %d is negative", c.HistoryPerUser)
	}
	if c.Replicas < 0 || c.Replicas > maxReplicas {
		bad("Replicas %d: want 1 to %d (or 0 for automatic)", c.Replicas, maxReplicas)
	}
	if c.StoreTimeout > MaxStoreTimeout {
		bad("StoreTimeout %s is over %s, the part of the streams' duplicate window a ping's retries may use", c.StoreTimeout, MaxStoreTimeout)
	}
	if c.NATSURL != "" && (c.SyncAlways || c.SyncInterval != 0) {
		bad("SyncAlways and SyncInterval apply to the embedded NATS; an external server syncs as its operator set it (sync_interval)")
	}
	if c.NATSURL == "" && c.Replicas > 1 {
		bad("Replicas %d: the embedded NATS is one server; name a cluster's servers in NATSURL", c.Replicas)
	}
	if c.MaxStore < 0 {
		bad("MaxStore %d is negative", c.MaxStore)
	}
	if c.TimeScale < 0 || math.IsNaN(c.TimeScale) || math.IsInf(c.TimeScale, 0) {
		bad("TimeScale %g: want a positive, finite number (or 0 for 1)", c.TimeScale)
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"Workers", c.Workers}, {"MaxAttempts", c.MaxAttempts}, {"MaxBodyBytes", c.MaxBodyBytes},
		{"MaxResponseBytes", c.MaxResponseBytes}, {"MaxQueued", c.MaxQueued}, {"MaxInflight", c.MaxInflight},
		{"MaxConns", c.MaxConns}, {"MaxFollowers", c.MaxFollowers}, {"EventBacklog", c.EventBacklog},
		{"MaxCollections", c.MaxCollections}} {
		if n.v < 0 {
			bad("%s %d is negative", n.name, n.v)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"PullTimeout", c.PullTimeout}, {"StoreTimeout", c.StoreTimeout}, {"SyncInterval", c.SyncInterval}, {"BackoffBase", c.BackoffBase}, {"BackoffMax", c.BackoffMax}, {"BodyTimeout", c.BodyTimeout},
		{"IdleTimeout", c.IdleTimeout}, {"ReadHeaderTimeout", c.ReadHeaderTimeout},
		{"EventWriteTimeout", c.EventWriteTimeout}, {"EventLinger", c.EventLinger}} {
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
	c.StoreTimeout = cmp.Or(c.StoreTimeout, DefaultStoreTimeout)
	c.MaxFollowers = cmp.Or(c.MaxFollowers, DefaultMaxFollowers)
	c.EventBacklog = cmp.Or(c.EventBacklog, DefaultEventBacklog)
	c.EventWriteTimeout = cmp.Or(c.EventWriteTimeout, DefaultEventWriteTimeout)
	c.EventLinger = cmp.Or(c.EventLinger, DefaultEventLinger)
	c.BootstrapRefresh = cmp.Or(c.BootstrapRefresh, DefaultBootstrapRefresh)
	c.MaxCollections = cmp.Or(c.MaxCollections, DefaultMaxCollections)
	c.HistoryPerUser = cmp.Or(c.HistoryPerUser, DefaultHistoryPerUser)
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
