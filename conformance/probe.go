package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"p4p/livefyre"
	"p4p/reports"
)

// Probe is one spec's access to the endpoint and to Livefyre. Every
// request made through it is kept, token redacted, as the spec's evidence.
// A check may use it from several goroutines.
type Probe struct {
	env *Env

	mu       sync.Mutex // guards evidence and notes
	evidence []reports.Exchange
	notes    []string
}

// NewProbe returns a probe of env with no evidence yet.
func NewProbe(env *Env) *Probe { return &Probe{env: env} }

// Config is the run's configuration.
func (p *Probe) Config() Config { return p.env.cfg }

// Evidence is what the probe sent and received so far.
func (p *Probe) Evidence() []reports.Exchange {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.evidence)
}

// Notes are the remarks recorded so far.
func (p *Probe) Notes() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.notes)
}

// Note records a remark for the report, e.g. a field Livefyre ignores.
func (p *Probe) Note(format string, args ...any) {
	note := p.env.secrets.scrub(fmt.Sprintf(format, args...))
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notes = append(p.notes, note)
}

// reply is a response as a check sees it: the whole body, up to the limit.
type reply struct {
	status   int
	header   http.Header
	body     []byte
	tooLarge bool // the body was cut at maxResponseBytes
	duration time.Duration
}

// pull GETs the Pull URL for id with the given credential, as Livefyre
// does (spec 1.5), and records the exchange under title.
func (p *Probe) pull(ctx context.Context, title, id string, c credential) (reply, error) {
	return p.pullWith(ctx, p.env.clientFor(c), title, id, c)
}

// clientFor is the client a pull with c goes over: a valid token over
// the kept-alive connections, any other over a new connection.
func (e *Env) clientFor(c credential) *http.Client {
	if c.valid {
		return e.http
	}
	return e.fresh
}

// do sends req with the endpoint's client and records the exchange.
func (p *Probe) do(req *http.Request, title string) (reply, error) {
	return p.send(p.env.http, req, title)
}

// send sends req with client and records the exchange.
func (p *Probe) send(client *http.Client, req *http.Request, title string) (reply, error) {
	req.Header.Set("User-Agent", userAgent)
	start := time.Now()
	resp, err := client.Do(req)
	r := reply{duration: time.Since(start)}
	if err != nil {
		p.record(title, req, nil, r, err)
		return r, fmt.Errorf("%s: %w", title, unwrapURLError(err))
	}
	defer resp.Body.Close()
	r.status, r.header = resp.StatusCode, resp.Header
	r.body, r.tooLarge, err = readLimited(resp.Body, maxResponseBytes)
	r.duration = time.Since(start)
	p.record(title, req, resp, r, err)
	if err != nil {
		return r, fmt.Errorf("%s: reading the body: %w", title, err)
	}
	return r, nil
}

// livefyre is a client of the run's Livefyre whose requests are recorded
// under title.
func (p *Probe) livefyre(title string) *livefyre.Client {
	c := *p.env.livefyre
	c.HTTP = &http.Client{Timeout: p.env.cfg.Timeout, Transport: recorder{p: p, title: title, base: p.env.livefyreTransport}}
	return &c
}

// unwrapURLError drops the "Get URL:" prefix, which would repeat the
// token-bearing URL; the evidence has the redacted one.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
