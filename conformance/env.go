package conformance

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"p4p"
	"p4p/embedded"
	"p4p/livefyre"
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
	cfg  Config
	http *http.Client
	// fresh is http over a new connection for every request: the tokens
	// an endpoint must refuse go this way, so that a refusal is judged on
	// its own, never on a connection a valid pull opened (P4P-AUTH-012
	// judges that).
	fresh     *http.Client
	transport http.RoundTripper // the endpoint's, under http and fresh
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

// Start checks cfg and starts what it needs in an embedded pipeline: an
// in-process mock Livefyre unless cfg.Livefyre names one, and the
// reference endpoint, over HTTPS, unless cfg.PullURL names one. Errors
// about cfg wrap ErrConfig.
func Start(ctx context.Context, cfg Config) (*Env, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.UnknownUser == "" {
		cfg.UnknownUser = "p4p-unknown-" + strings.ToLower(rand.Text()[:12])
	}
	e := &Env{cfg: cfg, secrets: newSecrets(cfg.Key, p4p.Template(cfg.PullURL).Secrets()), responses: &responseLog{}, minted: make(map[string]string),
		livefyreTransport: http.DefaultTransport.(*http.Transport).Clone()}
	if err := e.start(ctx); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func (e *Env) start(ctx context.Context) error {
	if e.cfg.Livefyre != "" {
		if err := e.readTimeScale(ctx); err != nil {
			return err
		}
	}
	p, err := embedded.Start(ctx, embedded.WithNetwork(e.cfg.Network), embedded.WithKey(e.cfg.Key),
		embedded.WithLivefyre(e.cfg.Livefyre), embedded.WithPullURL(e.cfg.PullURL), embedded.WithoutRegistration(),
		embedded.WithDelay(e.cfg.Delay), embedded.WithTimeScale(e.cfg.TimeScale),
		embedded.WithTLS(), embedded.WithFault(e.cfg.Fault), embedded.WithLatencyBudget(e.cfg.LatencyBudget))
	if err != nil {
		return err
	}
	e.closers = append(e.closers, p.Close)
	e.livefyre = e.livefyreClient(p.LivefyreURL)
	if e.cfg.Livefyre == "" {
		e.timeScale = e.cfg.TimeScale
	}
	if e.cfg.PullURL == "" {
		e.useReference(p)
	}
	e.transport = p.Client().Transport
	e.http = e.client(p.Client().Transport, false)
	e.fresh = e.client(p.Client().Transport, true)
	return nil
}

// readTimeScale checks the running Livefyre and reads its time scale.
func (e *Env) readTimeScale(ctx context.Context) error {
	h, err := e.livefyreClient(e.cfg.Livefyre).Health(ctx)
	if err != nil {
		return fmt.Errorf("livefyre %s: %w", e.cfg.Livefyre, err)
	}
	e.timeScale = h.TimeScale
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

// useReference points the run at the embedded pipeline's reference
// endpoint: its template, its update hook, its user-token endpoint
// (unless the Config names one) and the first of its users.
func (e *Env) useReference(p *embedded.Pipeline) {
	e.embedded = true
	e.cfg.PullURL, e.cfg.UpdateHook, e.cfg.Users = p.PullURL, p.HookURL, nil
	if e.cfg.UserTokenURL == "" {
		e.cfg.UserTokenURL = p.UserTokenURL
	}
	for _, u := range p.Users[:embeddedUsers] {
		e.cfg.Users = append(e.cfg.Users, u.ID)
	}
}

// client is the endpoint's client, unless the Config brought its own,
// with a new connection for each request when fresh; either way every
// response it receives is logged.
func (e *Env) client(t http.RoundTripper, fresh bool) *http.Client {
	c := &http.Client{Transport: t, Timeout: e.cfg.Timeout, CheckRedirect: sameHostRedirects}
	if e.cfg.HTTP != nil {
		c = new(http.Client)
		*c = *e.cfg.HTTP
		if c.Transport == nil {
			c.Transport = http.DefaultTransport
		}
	}
	if fresh {
		// No connection and no cookie a valid pull left behind.
		c.Transport, c.Jar = withoutKeepAlives(c.Transport), nil
	}
	c.Transport = logging{log: e.responses, base: c.Transport}
	return c
}

// withoutKeepAlives is t opening a connection for each request, when t is
// an *http.Transport; any other transport is used as it is.
func withoutKeepAlives(t http.RoundTripper) http.RoundTripper {
	ht, ok := t.(*http.Transport)
	if !ok {
		return t
	}
	ht = ht.Clone()
	ht.DisableKeepAlives = true
	return ht
}

// sameHostRedirects follows redirects as Livefyre's puller does: on the
// same host only, since elsewhere the token would go to another host. A
// redirect to another host is the answer the checks judge: a refusal that
// sends the caller to a login page serves nothing (a deviation), a valid
// pull answered so is not a 200.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("more than %d redirects", maxRedirects)
	}
	if req.URL.Host != via[0].URL.Host {
		return http.ErrUseLastResponse
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
		// The clients' idle connections first: a connection dialled for a
		// request that another connection served has never carried a
		// request, and a server's graceful close waits 5 s for such a one.
		for _, c := range []*http.Client{e.http, e.fresh} {
			if c != nil {
				c.CloseIdleConnections()
			}
		}
		if t, ok := e.livefyreTransport.(interface{ CloseIdleConnections() }); ok {
			t.CloseIdleConnections()
		}
		for i := len(e.closers) - 1; i >= 0; i-- {
			err = errors.Join(err, e.closers[i]())
		}
	})
	return err
}

// pullURL fills the template for one user as Livefyre does (spec 1.3),
// without the token.
func (e *Env) pullURL(id string) string { return p4p.Template(e.cfg.PullURL).Fill(id) }

// pullURLWith is the URL of a pull of id with c: the filled template with
// c's token appended, or none for noToken.
func (e *Env) pullURLWith(id string, c credential) (string, error) {
	tok, err := e.mint(c)
	if err != nil || tok == "" {
		return e.pullURL(id), err
	}
	return p4p.AppendToken(e.pullURL(id), tok), nil
}
