package mockserver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"p4p"
	"p4p/profile"
)

// maxRedirects is how many same-host redirects a pull follows.
const maxRedirects = 3

// errCrossHostRedirect refuses to carry the system token to another host.
var errCrossHostRedirect = errors.New("redirect to another host refused: it would hand Livefyre's token to that host")

// puller makes one pull attempt at a time against the Pull endpoint.
type puller struct {
	client    *http.Client
	validator *profile.Validator
	tokens    *systemTokens
	cfg       Config
}

// attempt is what one GET of the Pull endpoint came to.
type attempt struct {
	status     int
	duration   time.Duration
	doc        *profile.Document
	err        error         // nil on success
	retryable  bool          // a network error, timeout, 5xx, 408 or 429
	retryAfter time.Duration // the endpoint's Retry-After, if any
	canceled   bool          // the mock is shutting down
	local      bool          // no dial for local reasons: no attempt (localDialFailure)

	// What the user's timeline shows of it (record.go), secrets redacted.
	request   string            // the GET's URL
	headers   map[string]string // a few response headers
	body      string            // the start of the response body
	truncated bool              // more body followed
	problems  []string          // validation errors of a 200
}

func newPuller(cfg Config) (*puller, error) {
	v, err := profile.NewValidator(profile.Limits{MaxBytes: cfg.MaxResponseBytes})
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = cfg.Workers
	transport.MaxIdleConns = cfg.Workers * 2
	if cfg.dial != nil {
		transport.DialContext = cfg.dial
	}
	if cfg.RootCAs != nil {
		transport.TLSClientConfig = &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}
	}
	client := &http.Client{
		Transport: transport,
		Timeout:   cfg.PullTimeout,
	}
	p := &puller{client: client, validator: v, cfg: cfg,
		tokens: &systemTokens{network: cfg.Network, key: cfg.Key, now: cfg.Now}}
	client.CheckRedirect = p.checkRedirect
	return p, nil
}

// checkRedirect follows a few redirects to the same host, and to no host
// the allowed hosts do not name (which, the host being the same, only a
// list changed under a running pull could make differ).
func (p *puller) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("more than %d redirects", maxRedirects)
	}
	if req.URL.Host != via[0].URL.Host {
		return errCrossHostRedirect
	}
	return refuseHost("redirect", req.URL, p.cfg.AllowHosts)
}

// do makes one attempt to pull the user's profile. A Pull URL whose host
// the allowed hosts do not name is refused before a token is minted.
func (p *puller) do(ctx context.Context, template, id string) attempt {
	filled := p4p.Template(template).Fill(id)
	u, err := url.Parse(filled)
	if err != nil {
		return attempt{err: fmt.Errorf("pull URL: %s", newGuard(template, "").err(err))}
	}
	if err := refuseHost("Pull URL", u, p.cfg.AllowHosts); err != nil {
		return attempt{err: err}
	}
	tok, err := p.tokens.get()
	if err != nil {
		return attempt{err: fmt.Errorf("build system token: %w", err)}
	}
	g := newGuard(template, tok)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p4p.AppendToken(filled, tok), nil)
	if err != nil {
		return attempt{err: fmt.Errorf("pull URL: %s", g.err(err))}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "p4p-mock-livefyre")
	start := time.Now()
	resp, err := p.client.Do(req)
	if err != nil {
		a := transportFailure(ctx, err, g, p.cfg.PullTimeout)
		a.duration = time.Since(start)
		a.request = g.text(p4p.RedactURL(req.URL.String()))
		return a
	}
	defer resp.Body.Close()
	a := p.read(resp, id, g)
	a.duration = time.Since(start)
	a.request = g.text(p4p.RedactURL(req.URL.String()))
	return a
}

func transportFailure(ctx context.Context, err error, g guard, timeout time.Duration) attempt {
	if ctx.Err() != nil {
		return attempt{err: ctx.Err(), canceled: true}
	}
	for _, final := range []error{errCrossHostRedirect, errHostNotAllowed} {
		if errors.Is(err, final) { // refused by checkRedirect: no secret in it
			return attempt{err: errors.Unwrap(err)}
		}
	}
	if localDialFailure(err) {
		return attempt{err: fmt.Errorf("no connection for local reasons: %s", g.err(err)), local: true, retryable: true}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return attempt{err: fmt.Errorf("no response within %s", timeout), retryable: true}
	}
	return attempt{err: fmt.Errorf("request failed: %s", g.err(err)), retryable: true}
}

// bodyFailure explains a 200 response whose body could not be read whole.
func bodyFailure(err error, g guard, timeout time.Duration) error {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return fmt.Errorf("the response body did not arrive in full within %s: the endpoint must send the whole profile well within the timeout", timeout)
	}
	return fmt.Errorf("reading the response failed: %s", g.err(err))
}

func (p *puller) read(resp *http.Response, id string, g guard) attempt {
	a := attempt{status: resp.StatusCode}
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(p.cfg.MaxResponseBytes)+1))
	a.keepResponse(resp.Header, body, g)
	if err != nil && resp.StatusCode == http.StatusOK {
		a.err, a.retryable = bodyFailure(err, g, p.cfg.PullTimeout), true
		return a
	}
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		a.doc, a.err = p.check(resp.Header.Get("Content-Type"), body, id)
		a.keepProblems(a.err)
	case retryableStatus(code):
		a.retryAfter, _ = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		a.err, a.retryable = statusError(code, body, g), true
	default:
		a.err = statusError(code, body, g)
	}
	return a
}

// check validates a 200 response (spec 1.6; V2 asks for application/json).
func (p *puller) check(contentType string, body []byte, id string) (*profile.Document, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return nil, fmt.Errorf("Content-Type %q: the profile must be served as application/json (spec 1.5)", contentType)
	}
	return p.validator.Check(body, id)
}

// retryableStatus says whether Livefyre tries a pull again after this
// status: a server error, 408 or 429, as for a network error.
func retryableStatus(code int) bool {
	return code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout
}

// statusError explains a non-200 answer in the integrator's terms.
func statusError(code int, body []byte, g guard) error {
	var advice string
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		advice = "the endpoint refused Livefyre's system token; it must accept an HS256 token signed with the network key whose user_id is \"system\" (spec 1.5, 2.4)"
	case code == http.StatusNotFound:
		advice = "the endpoint does not know this user"
	case code >= 300 && code < 400:
		advice = "a redirect that was not followed; register the final URL instead"
	case retryableStatus(code):
		advice = "the endpoint failed (Livefyre retries 5xx, 408 and 429, honouring Retry-After)"
	default:
		advice = "the endpoint must answer 200 with the profile as JSON (spec 1.5)"
	}
	if snippet := bodySnippet(body, g); snippet != "" {
		return fmt.Errorf("status %d: %s; body: %s", code, advice, snippet)
	}
	return fmt.Errorf("status %d: %s", code, advice)
}

// bodySnippet is the start of a response body for an error message, with the
// token and the Pull URL's secrets redacted should the endpoint echo them.
func bodySnippet(body []byte, g guard) string {
	const max = 120
	s := g.text(strings.ToValidUTF8(string(body), "\uFFFD"))
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
