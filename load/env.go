package load

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"p4p"
	"p4p/embedded"
	"p4p/livefyre"
	"p4p/token"
)

// env is what a run talks to: the Pull endpoint, and for propagation the
// mock Livefyre, each in-process (an embedded.Pipeline) unless the
// scenario names a running one. close stops what it started.
type env struct {
	pullURL   string
	livefyre  string  // "" unless propagation
	timeScale float64 // the mock's
	// bootstrapMax is the longest wait of the mock's bootstrap refresh
	// cadence, before the time scale divides it.
	bootstrapMax time.Duration
	network      string
	key          string
	users        Users // the shard's users, or all of them
	allUsers     int   // the run's users, all shards together
	// mine is the shard's users when the run is split, for telling its
	// own users' events from the other shards'; nil for the unsplit run.
	mine map[string]bool
	// fingerprint names the run's schedule (see fingerprint).
	fingerprint string
	token       string // the system token the run sends
	// inProcess is set when the endpoint or the mock runs in this
	// process, so that the process's CPU time is not the harness's alone.
	inProcess bool
	closers   []func() error
}

// startEnv starts the embedded parts the scenario needs and mints the
// system token, valid for the whole run.
func startEnv(ctx context.Context, s Scenario, kind Kind) (*env, error) {
	all, err := loadUsers(s)
	if err != nil {
		return nil, err
	}
	if len(all.IDs) < s.Shard.count() {
		return nil, &problem{where: flagged("shard"),
			msg: fmt.Sprintf("%d shards need at least as many users; the run has %d", s.Shard.Count, len(all.IDs))}
	}
	users := s.Shard.users(all)
	// With neither network nor key, the embedded pipeline chooses them.
	e := &env{pullURL: s.PullURL, network: s.Network, key: s.Key, users: users, timeScale: s.TimeScale,
		fingerprint: fingerprint(s, all.IDs), allUsers: len(all.IDs)}
	if s.Shard.split() {
		e.mine = make(map[string]bool, len(users.IDs))
		for _, id := range users.IDs {
			e.mine[id] = true
		}
	}
	if err := e.start(ctx, s, kind); err != nil {
		e.close()
		return nil, err
	}
	life := time.Duration(s.Duration) + time.Duration(s.Drain) + time.Duration(s.Timeout) + time.Hour
	if e.token, err = token.System(e.network, e.key, life, time.Now()); err != nil {
		e.close()
		return nil, fmt.Errorf("mint the system token: %w", err)
	}
	return e, nil
}

// start starts the embedded pipeline, or the part of it the scenario
// does not replace with one running elsewhere: the reference endpoint
// unless it names a Pull URL and, for propagation, the mock Livefyre
// unless it names one. The Pull URL is registered with Livefyre.
func (e *env) start(ctx context.Context, s Scenario, kind Kind) error {
	delay, err := p4p.ParseDelay(cmp.Or(s.Delay, "0"))
	if err != nil {
		return err
	}
	livefyre := embedded.WithLivefyre(s.Livefyre)
	if kind != Propagation {
		livefyre = embedded.WithoutLivefyre()
	} else if s.Livefyre != "" {
		e.livefyre = strings.TrimSuffix(s.Livefyre, "/")
	}
	p, err := embedded.Start(ctx, embedded.WithNetwork(e.network), embedded.WithKey(e.key), livefyre,
		embedded.WithPullURL(s.PullURL), embedded.WithUsers(e.users.Profiles), embedded.WithFault(s.Fault),
		embedded.WithDelay(delay), embedded.WithTimeScale(s.TimeScale))
	if err != nil {
		return err
	}
	e.closers = append(e.closers, p.Close)
	e.pullURL, e.livefyre, e.network, e.key = p.PullURL, p.LivefyreURL, p.Network, p.Key
	e.inProcess = s.PullURL == "" || kind == Propagation && s.Livefyre == ""
	if kind == Propagation {
		return e.readHealth(ctx)
	}
	return nil
}

// readHealth asks the mock, running or in-process, for its time scale,
// by which Livefyre's promise is divided, and its bootstrap refresh
// cadence (GET /healthz). A mock that predates the cadence is taken to
// refresh at DefaultBootstrapMax.
func (e *env) readHealth(ctx context.Context) error {
	h, err := e.client().Health(ctx)
	if err != nil {
		return fmt.Errorf("livefyre %s: %w", e.livefyre, err)
	}
	if h.TimeScale > 0 {
		e.timeScale = h.TimeScale
	}
	e.bootstrapMax = cmp.Or(h.BootstrapRefresh.Max(), DefaultBootstrapMax)
	return nil
}

func (e *env) client() *livefyre.Client {
	return &livefyre.Client{BaseURL: e.livefyre, Network: e.network, Key: e.key}
}

// secrets are what the reports must never show: the key, the token and
// the Pull URL's own (p4p.Template.Secrets: user info, query values).
func (e *env) secrets() []string {
	return append([]string{e.key, e.token}, p4p.Template(e.pullURL).Secrets()...)
}

func (e *env) close() error {
	var err error
	for i := len(e.closers) - 1; i >= 0; i-- {
		err = errors.Join(err, e.closers[i]())
	}
	e.closers = nil
	return err
}
