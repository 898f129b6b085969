package conformance

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"p4p"
	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/refapp"
)

// embeddedUsers is how many of the reference endpoint's users the
// embedded default pulls: its id forms with '-', '.', '_' and all three.
const embeddedUsers = 4

// maxRedirects bounds the redirects the suite follows, as Livefyre's.
const maxRedirects = 3

// Env is what a run talks to: the endpoint under test, and Livefyre, in
// process or running elsewhere. Start makes one; Close stops what it
// started.
type Env struct {
	cfg       Config
	http      *http.Client
	livefyre  *livefyre.Client
	timeScale float64
	embedded  bool // the endpoint is p4p's reference endpoint, in-process
	secrets   *secrets
	responses *responseLog // every response of the endpoint, for P4P-SEC-002

	livefyreTransport http.RoundTripper

	mintMu sync.Mutex
	minted map[string]string // credential name → token

	closeOnce sync.Once
	closers   []func() error
}

// Start checks cfg and starts what it needs: an in-process mock Livefyre
// unless cfg.Livefyre names one, and the reference endpoint unless
// cfg.PullURL names one. Errors about cfg wrap ErrConfig.
func Start(ctx context.Context, cfg Config) (*Env, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.UnknownUser == "" {
		cfg.UnknownUser = "p4p-unknown-" + randomHex(6)
	}
	e := &Env{cfg: cfg, secrets: newSecrets(cfg.Key), responses: &responseLog{}, minted: make(map[string]string),
		livefyreTransport: http.DefaultTransport.(*http.Transport).Clone()}
	if err := e.start(ctx); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func (e *Env) start(ctx context.Context) error {
	var cert *tls.Certificate
	var roots *x509.CertPool
	if e.cfg.PullURL == "" {
		c, leaf, err := refapp.NewCertificate()
		if err != nil {
			return err
		}
		cert, roots = &c, x509.NewCertPool()
		roots.AddCert(leaf)
	}
	if err := e.startLivefyre(ctx, roots); err != nil {
		return err
	}
	if e.cfg.PullURL == "" {
		return e.startReference(cert, roots)
	}
	e.http = e.client(http.DefaultTransport.(*http.Transport).Clone())
	return nil
}

// startLivefyre starts the in-process mock, or reads the running one's
// time scale.
func (e *Env) startLivefyre(ctx context.Context, roots *x509.CertPool) error {
	if e.cfg.Livefyre != "" {
		e.livefyre = e.livefyreClient(e.cfg.Livefyre)
		h, err := e.livefyre.Health(ctx)
		if err != nil {
			return fmt.Errorf("livefyre %s: %w", e.cfg.Livefyre, err)
		}
		e.timeScale = h.TimeScale
		return nil
	}
	mock, err := mockserver.Start(mockserver.Config{Network: e.cfg.Network, Key: e.cfg.Key,
		Delay: e.cfg.Delay, TimeScale: e.cfg.TimeScale, RootCAs: roots})
	if err != nil {
		return fmt.Errorf("start the mock Livefyre: %w", err)
	}
	e.closers = append(e.closers, mock.Close)
	e.livefyre = e.livefyreClient(mock.URL)
	e.timeScale = e.cfg.TimeScale
	return nil
}

// livefyreClient is a client of the Livefyre at base whose every token is
// a secret of the run: the client mints its own for each register, ping
// and read, in seconds the suite's tokens were not minted in.
func (e *Env) livefyreClient(base string) *livefyre.Client {
	shell := "$(p4p token " + networkFlags(e.cfg.Network) + ")"
	return &livefyre.Client{BaseURL: base, Network: e.cfg.Network, Key: e.cfg.Key,
		Minted: func(tok string) { e.secrets.add(tok, shell) }}
}

// startReference starts p4p's reference endpoint over HTTPS, pinging the
// run's Livefyre, and points the run at it.
func (e *Env) startReference(cert *tls.Certificate, roots *x509.CertPool) error {
	ref, err := refapp.Start(refapp.Config{Network: e.cfg.Network, Key: e.cfg.Key,
		Livefyre: e.livefyre.BaseURL, TLS: true, Certificate: cert,
		Fault: e.cfg.Fault, FaultDelay: 2*e.cfg.LatencyBudget + e.cfg.LatencyBudget/2})
	if err != nil {
		return fmt.Errorf("start the reference endpoint: %w", err)
	}
	e.closers = append(e.closers, ref.Close)
	e.embedded = true
	e.cfg.PullURL = ref.PullTemplate()
	e.cfg.UpdateHook = ref.URL + "/hook"
	e.cfg.Users = nil
	for _, u := range refapp.SyntheticUsers(embeddedUsers) {
		e.cfg.Users = append(e.cfg.Users, u.ID)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	e.http = e.client(transport)
	return nil
}

// client is the endpoint's client, unless the Config brought its own;
// either way every response it receives is logged.
func (e *Env) client(t http.RoundTripper) *http.Client {
	c := &http.Client{Transport: t, Timeout: e.cfg.Timeout, CheckRedirect: sameHostRedirects}
	if e.cfg.HTTP != nil {
		c = new(http.Client)
		*c = *e.cfg.HTTP
		if c.Transport == nil {
			c.Transport = http.DefaultTransport
		}
	}
	c.Transport = logging{log: e.responses, base: c.Transport}
	return c
}

// sameHostRedirects follows redirects as Livefyre's puller does: on the
// same host only, since elsewhere the token would go to another host.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("more than %d redirects", maxRedirects)
	}
	if req.URL.Host != via[0].URL.Host {
		return fmt.Errorf("redirect to another host (%s) not followed: it would hand Livefyre's token to that host", req.URL.Host)
	}
	return nil
}

// Config is the configuration the run uses, with the embedded default's
// values filled in.
func (e *Env) Config() Config { return e.cfg }

// Livefyre names the Livefyre the run uses, for reports.
func (e *Env) Livefyre() string {
	if e.cfg.Livefyre == "" {
		return "in-process mock (" + e.livefyre.BaseURL + ")"
	}
	return e.cfg.Livefyre
}

// Secrets are the key and every token the run minted, to keep out of
// reports.
func (e *Env) Secrets() []string { return e.secrets.all() }

// Close stops what Start started. It is safe to call more than once.
func (e *Env) Close() error {
	var err error
	e.closeOnce.Do(func() {
		for i := len(e.closers) - 1; i >= 0; i-- {
			err = errors.Join(err, e.closers[i]())
		}
	})
	return err
}

// pullURL fills the template for one user as Livefyre does (spec 1.3),
// without the token.
func (e *Env) pullURL(id string) string { return p4p.Template(e.cfg.PullURL).Fill(id) }
