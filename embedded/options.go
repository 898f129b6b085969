package embedded

import (
	"log/slog"
	"time"

	"p4p"
	"p4p/profile"
)

// DefaultNetwork is the network Start makes up when WithNetwork does not
// name one.
const DefaultNetwork = "p4p-embedded.fyre.co"

// An Option changes how Start builds a Pipeline. The zero value of an
// option's argument keeps the default.
type Option func(*options)

type options struct {
	network, key  string
	users         []profile.Profile
	tls           bool
	fault         string
	latencyBudget time.Duration
	logger        *slog.Logger

	livefyre   string // a running Livefyre
	noLivefyre bool
	pullURL    string // a running Pull endpoint
	noRegister bool

	// The in-process mock's.
	delay     p4p.Delay
	timeScale float64
	maxQueued int
	bootstrap p4p.Delay
}

// WithNetwork sets the full network name; "" means DefaultNetwork.
func WithNetwork(name string) Option { return func(o *options) { o.network = name } }

// WithKey sets the network key; "" means a fresh one from p4p.NewKey.
func WithKey(key string) Option { return func(o *options) { o.key = key } }

// WithUsers sets the profiles the reference endpoint serves; nil means
// refapp.SyntheticUsers(refapp.DefaultUsers).
func WithUsers(users []profile.Profile) Option { return func(o *options) { o.users = users } }

// WithTLS makes the reference endpoint serve HTTPS with a fresh
// self-signed certificate, which the in-process mock and Pipeline.Client
// trust. An endpoint running elsewhere (WithPullURL) serves as it does:
// the option then changes nothing.
func WithTLS() Option { return func(o *options) { o.tls = true } }

// WithFault makes the reference endpoint make the mistake named (one of
// refapp.Faults); "" is none. Start refuses an unknown name, and a fault
// with WithPullURL, since only the reference endpoint has faults.
func WithFault(name string) Option { return func(o *options) { o.fault = name } }

// WithLatencyBudget is the pull latency the "slow" fault must plainly
// exceed (refapp.FaultDelayBeyond); 0 leaves refapp.DefaultFaultDelay.
func WithLatencyBudget(d time.Duration) Option { return func(o *options) { o.latencyBudget = d } }

// WithLogger sends both parts' logs to log; nil discards them.
func WithLogger(log *slog.Logger) Option { return func(o *options) { o.logger = log } }

// WithLivefyre uses the Livefyre (a p4p mock) running at url instead of
// starting one: the reference endpoint pings it and registers with it.
// "" starts the in-process mock.
func WithLivefyre(url string) Option { return func(o *options) { o.livefyre = url } }

// WithoutLivefyre starts no Livefyre and uses none: the reference
// endpoint serves pulls but never pings.
func WithoutLivefyre() Option { return func(o *options) { o.noLivefyre = true } }

// WithPullURL uses the Pull endpoint running elsewhere whose template,
// with {id}, is template, instead of starting the reference endpoint.
// "" starts the reference endpoint.
func WithPullURL(template string) Option { return func(o *options) { o.pullURL = template } }

// WithoutRegistration leaves the Pull URL unregistered with Livefyre, for
// a caller that registers it itself (the conformance suite does, as one
// of its specs).
func WithoutRegistration() Option { return func(o *options) { o.noRegister = true } }

// WithDelay sets the in-process mock's delay from a ping to its pull; the
// zero value is an immediate pull.
func WithDelay(d p4p.Delay) Option { return func(o *options) { o.delay = d } }

// WithTimeScale divides the in-process mock's delays and backoffs by
// scale; 0 means 1.
func WithTimeScale(scale float64) Option { return func(o *options) { o.timeScale = scale } }

// WithBootstrapRefresh sets the in-process mock's bootstrap refresh
// cadence, before the time scale divides it; the zero value means
// mockserver.DefaultBootstrapRefresh.
func WithBootstrapRefresh(d p4p.Delay) Option { return func(o *options) { o.bootstrap = d } }

// WithMaxQueued sets the in-process mock's pending pulls before it
// refuses pings; 0 means mockserver.DefaultMaxQueued.
func WithMaxQueued(n int) Option { return func(o *options) { o.maxQueued = n } }
