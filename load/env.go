package load

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"p4p"
	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/refapp"
	"p4p/token"
)

// DefaultNetwork is the embedded default's network.
const DefaultNetwork = "p4p-load.fyre.co"

// env is what a run talks to: the Pull endpoint, and for propagation the
// mock Livefyre, each in-process unless the scenario names a running
// one. close stops what it started.
type env struct {
	pullURL   string
	livefyre  string  // "" unless propagation
	timeScale float64 // the mock's
	network   string
	key       string
	users     Users
	token     string // the system token the run sends
	// inProcess is set when the endpoint or the mock runs in this
	// process, so that the process's CPU time is not the harness's alone.
	inProcess bool
	closers   []func() error
}

// startEnv starts the embedded parts the scenario needs and mints the
// system token, valid for the whole run.
func startEnv(ctx context.Context, s Scenario, kind Kind) (*env, error) {
	users, err := loadUsers(s)
	if err != nil {
		return nil, err
	}
	e := &env{pullURL: s.PullURL, network: s.Network, key: s.Key, users: users, timeScale: s.TimeScale}
	if e.pullURL == "" {
		if e.network == "" {
			e.network = DefaultNetwork
		}
		if e.key == "" {
			e.key = p4p.NewKey()
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

func (e *env) start(ctx context.Context, s Scenario, kind Kind) error {
	if kind == Propagation {
		if err := e.startLivefyre(ctx, s); err != nil {
			return err
		}
	}
	if e.pullURL == "" {
		if err := e.startRefapp(s); err != nil {
			return err
		}
	} else if kind == Propagation {
		if err := e.client().Register(ctx, e.pullURL); err != nil {
			return fmt.Errorf("register the Pull URL with Livefyre: %w", err)
		}
	}
	return nil
}

// startRefapp starts the reference endpoint over the run's users,
// registered with the mock when there is one.
func (e *env) startRefapp(s Scenario) error {
	fault, err := refapp.ParseFault(s.Fault)
	if err != nil {
		return err
	}
	ra, err := refapp.Start(refapp.Config{Network: e.network, Key: e.key, Users: e.users.Profiles,
		Livefyre: e.livefyre, Register: e.livefyre != "", Fault: fault})
	if err != nil {
		return fmt.Errorf("start the reference endpoint: %w", err)
	}
	e.closers = append(e.closers, ra.Close)
	e.pullURL, e.inProcess = ra.PullTemplate(), true
	return nil
}

// startLivefyre starts the embedded mock, or checks the running one and
// reads its time scale.
func (e *env) startLivefyre(ctx context.Context, s Scenario) error {
	if s.Livefyre != "" {
		e.livefyre = strings.TrimSuffix(s.Livefyre, "/")
		return e.readTimeScale(ctx)
	}
	delay, err := p4p.ParseDelay(orDefault(s.Delay, "0"))
	if err != nil {
		return err
	}
	m, err := mockserver.Start(mockserver.Config{Network: e.network, Key: e.key, Delay: delay,
		TimeScale: s.TimeScale, MaxQueued: mockserver.DefaultMaxQueued})
	if err != nil {
		return fmt.Errorf("start the mock Livefyre: %w", err)
	}
	e.closers = append(e.closers, m.Close)
	e.livefyre, e.inProcess = m.URL, true
	return nil
}

// readTimeScale asks a running mock for its time scale (GET /healthz),
// by which Livefyre's promise is divided.
func (e *env) readTimeScale(ctx context.Context) error {
	h, err := e.client().Health(ctx)
	if err != nil {
		return fmt.Errorf("livefyre %s: %w", e.livefyre, err)
	}
	if h.TimeScale > 0 {
		e.timeScale = h.TimeScale
	}
	return nil
}

func (e *env) client() *livefyre.Client {
	return &livefyre.Client{BaseURL: e.livefyre, Network: e.network, Key: e.key}
}

// secrets are what the reports must never show.
func (e *env) secrets() []string { return []string{e.key, e.token} }

func (e *env) close() error {
	var err error
	for i := len(e.closers) - 1; i >= 0; i-- {
		err = errors.Join(err, e.closers[i]())
	}
	e.closers = nil
	return err
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
