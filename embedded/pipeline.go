package embedded

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"p4p"
	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/profile"
	"p4p/refapp"
)

// registerTimeout bounds registering a running endpoint's template.
const registerTimeout = 30 * time.Second

// Pipeline is a running embedded pipeline: the mock Livefyre and the
// reference endpoint, or whichever of them the options did not replace.
// Its fields are set by Start and must not be changed.
type Pipeline struct {
	// LivefyreURL is Livefyre's base URL, e.g. "http://127.0.0.1:43121":
	// the in-process mock's, or the one WithLivefyre named; "" with
	// WithoutLivefyre.
	LivefyreURL string
	// PullURL is the Pull URL template, with {id}, e.g.
	// "https://127.0.0.1:43122/pull?id={id}": the reference endpoint's,
	// or the one WithPullURL named.
	PullURL string
	// HookURL is the reference endpoint's update hook, which changes a
	// user's profile when POSTed {"id": …, "display_name": …} and pings
	// Livefyre; "" with WithPullURL.
	HookURL string
	// UserTokenURL is the reference endpoint's user-token endpoint, with
	// {id}: GET it for the userAuthToken the site would issue that user
	// now, as {"token": …}; "" with WithPullURL.
	UserTokenURL string
	// Network and Key are the network's full name and key, the same in
	// both parts.
	Network string
	Key     string
	// Users are the profiles the reference endpoint serves, as they were
	// at Start; nil with WithPullURL.
	Users []profile.Profile

	mock      *mockserver.Server // nil unless started
	endpoint  *refapp.Server     // nil unless started
	client    *http.Client
	closeOnce sync.Once
	closeErr  error
}

// Start starts, on loopback, the mock Livefyre and the reference endpoint
// (whichever the options do not replace with one running elsewhere),
// wires them together and registers the Pull URL template with Livefyre.
// It returns once both serve; on an error nothing is left running. ctx
// bounds the start, registration included; the pipeline outlives it.
func Start(ctx context.Context, opts ...Option) (*Pipeline, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.check(); err != nil {
		return nil, fmt.Errorf("embedded: %w", err)
	}
	p := &Pipeline{Network: o.network, Key: o.key, client: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}}
	if p.Network == "" {
		p.Network = DefaultNetwork
	}
	if p.Key == "" {
		p.Key = p4p.NewKey()
	}
	if err := p.start(ctx, o); err != nil {
		p.Close()
		return nil, fmt.Errorf("embedded: %w", err)
	}
	return p, nil
}

// check refuses options that contradict each other.
func (o options) check() error {
	switch {
	case o.livefyre != "" && o.noLivefyre:
		return errors.New("WithLivefyre and WithoutLivefyre contradict each other")
	case o.fault != "" && o.pullURL != "":
		return fmt.Errorf("fault %q breaks the reference endpoint; it cannot be used with a running Pull endpoint", o.fault)
	}
	if o.network != "" {
		if err := p4p.Network(o.network).Validate(); err != nil {
			return err
		}
	}
	_, err := refapp.ParseFault(o.fault)
	return err
}

func (p *Pipeline) start(ctx context.Context, o options) error {
	var cert *tls.Certificate
	var roots *x509.CertPool
	if o.pullURL == "" && o.tls {
		c, leaf, err := refapp.NewCertificate()
		if err != nil {
			return err
		}
		cert, roots = &c, x509.NewCertPool()
		roots.AddCert(leaf)
	}
	if err := p.startLivefyre(o, roots); err != nil {
		return err
	}
	if o.pullURL != "" {
		p.PullURL = o.pullURL
		return p.register(ctx, o)
	}
	return p.startEndpoint(ctx, o, cert)
}

// startLivefyre starts the in-process mock, trusting roots for the Pull
// URL, unless the options name a running Livefyre or none.
func (p *Pipeline) startLivefyre(o options, roots *x509.CertPool) error {
	switch {
	case o.noLivefyre:
		return nil
	case o.livefyre != "":
		p.LivefyreURL = strings.TrimSuffix(o.livefyre, "/")
		return nil
	}
	m, err := mockserver.Start(mockserver.Config{Network: p.Network, Key: p.Key, Delay: o.delay,
		TimeScale: o.timeScale, MaxQueued: o.maxQueued, BootstrapRefresh: o.bootstrap, RootCAs: roots, Logger: o.logger})
	if err != nil {
		return fmt.Errorf("start the mock Livefyre: %w", err)
	}
	p.mock, p.LivefyreURL = m, m.URL
	return nil
}

// startEndpoint starts the reference endpoint, pinging Livefyre if there
// is one and registered with it unless the options say not to.
func (p *Pipeline) startEndpoint(ctx context.Context, o options, cert *tls.Certificate) error {
	fault, _ := refapp.ParseFault(o.fault) // checked by Start
	users := o.users
	if users == nil {
		users = refapp.SyntheticUsers(refapp.DefaultUsers)
	}
	ra, err := refapp.StartContext(ctx, refapp.Config{Network: p.Network, Key: p.Key, Users: users,
		Livefyre: p.LivefyreURL, Register: p.LivefyreURL != "" && !o.noRegister,
		TLS: o.tls, Certificate: cert, Fault: fault, FaultDelay: refapp.FaultDelayBeyond(o.latencyBudget),
		Logger: o.logger})
	if err != nil {
		return fmt.Errorf("start the reference endpoint: %w", err)
	}
	p.endpoint, p.Users, p.client = ra, users, ra.Client()
	p.PullURL, p.HookURL = ra.PullTemplate(), ra.URL+"/hook"
	p.UserTokenURL = ra.URL + refapp.UserTokenPath + "?id={id}"
	return nil
}

// register registers a running endpoint's template with Livefyre, if
// there is one and the options ask for it.
func (p *Pipeline) register(ctx context.Context, o options) error {
	if p.LivefyreURL == "" || o.noRegister {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, registerTimeout)
	defer cancel()
	if err := p.Livefyre().Register(ctx, p.PullURL); err != nil {
		return fmt.Errorf("register the Pull URL with Livefyre: %w", err)
	}
	return nil
}

// Livefyre is a client of the pipeline's Livefyre for its network, or nil
// with WithoutLivefyre.
func (p *Pipeline) Livefyre() *livefyre.Client {
	if p.LivefyreURL == "" {
		return nil
	}
	return &livefyre.Client{BaseURL: p.LivefyreURL, Network: p.Network, Key: p.Key}
}

// Client is an http.Client for the Pull endpoint that trusts the
// reference endpoint's certificate when it serves HTTPS, as
// httptest.Server.Client does; otherwise one with a copy of the default
// transport. It is the same client on every call, and Close closes its
// idle connections.
func (p *Pipeline) Client() *http.Client { return p.client }

// Certificate is the reference endpoint's self-signed certificate, or nil
// when it serves plain HTTP or was not started.
func (p *Pipeline) Certificate() *x509.Certificate {
	if p.endpoint == nil {
		return nil
	}
	return p.endpoint.Certificate()
}

// Close stops what Start started, the reference endpoint first, each
// after the requests and pulls in flight have finished. Later calls
// return the first call's result.
func (p *Pipeline) Close() error {
	p.closeOnce.Do(func() {
		if p.endpoint != nil {
			p.closeErr = p.endpoint.Close()
		}
		if p.mock != nil {
			p.closeErr = errors.Join(p.closeErr, p.mock.Close())
		}
		p.client.CloseIdleConnections()
	})
	return p.closeErr
}
