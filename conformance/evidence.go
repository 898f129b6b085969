package conformance

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"p4p/reports"
)

// userAgent names the suite in every request it makes.
const userAgent = "p4p-conformance/" + Version

// maxResponseBytes bounds the bodies the suite reads, as Livefyre's
// pulls are bounded (the mock's default).
const maxResponseBytes = 1 << 20

// sensitiveHeaders are headers whose values are never kept.
var sensitiveHeaders = []string{"Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization"}

// record keeps one exchange as evidence. Tokens and the key are replaced
// wherever they appear: the URL, headers and bodies.
func (p *Probe) record(title string, req *http.Request, resp *http.Response, r reply, err error) {
	s := p.env.secrets
	ex := reports.Exchange{
		Title:      title,
		Request:    reports.Request{Method: req.Method, URL: s.scrub(req.URL.String()), Header: s.headers(req.Header), Body: s.scrub(requestBody(req))},
		Curl:       s.curl(req, p.env.embedded) + p.env.gone(req.URL),
		DurationMS: ms(r.duration),
	}
	if resp != nil {
		ex.Response = &reports.Response{Status: resp.StatusCode, Header: s.headers(resp.Header),
			Body: s.scrub(excerpt(r.body)), BodyBytes: len(r.body), Truncated: r.tooLarge || len(r.body) > reports.MaxEvidenceBody}
	}
	if err != nil {
		ex.Error = s.scrub(unwrapURLError(err).Error())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.evidence = append(p.evidence, ex)
}

// culprit marks the exchange recorded last as one the spec's finding is
// about.
func (p *Probe) culprit() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.evidence); n > 0 {
		p.evidence[n-1].Culprit = true
	}
}

// gone says, for a reproducer aimed at a server the run started in
// process, that the server stopped with the run, and how to run a lasting
// one: the command alone would meet a closed port.
func (e *Env) gone(u *url.URL) string {
	switch {
	case e.cfg.Livefyre == "" && e.livefyre != nil && sameOrigin(u, e.livefyre.BaseURL):
		return "\n# This run's in-process mock Livefyre stopped with the run. To repeat this, start a lasting one " +
			"(p4p mock --network " + e.cfg.Network + " --key \"$" + keyVariable + "\"), run the suite with --livefyre http://127.0.0.1:8080, " +
			"and aim the command at that address."
	case e.embedded && sameOrigin(u, e.cfg.PullURL):
		return "\n# This run's in-process reference endpoint stopped with the run. To repeat this, start one " +
			"(p4p refapp --network " + e.cfg.Network + " --key \"$" + keyVariable + "\") and aim the command at its address."
	}
	return ""
}

// sameOrigin reports whether u has the scheme and host of the URL base.
func sameOrigin(u *url.URL, base string) bool {
	b, err := url.Parse(base)
	return err == nil && b.Scheme == u.Scheme && b.Host == u.Host
}

// blame marks the exchanges recorded under title as culprits: those that
// show the failure, among the others of the spec's evidence. A check that
// blames gives the exchanges that matter titles of their own (the user
// and the step), so that concurrent steps cannot blame each other's.
func (p *Probe) blame(title string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.evidence {
		if p.evidence[i].Title == title {
			p.evidence[i].Culprit = true
		}
	}
}

// headers copies h with sensitive values dropped and secrets scrubbed.
func (s *secrets) headers(h http.Header) map[string][]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		if slices.Contains(sensitiveHeaders, http.CanonicalHeaderKey(k)) {
			out[k] = []string{"[redacted]"}
			continue
		}
		for _, v := range vs {
			out[k] = append(out[k], s.scrub(v))
		}
	}
	return out
}

// requestBody is the body a request was sent with, if it can be read
// again; only small form bodies are sent by the suite.
func requestBody(req *http.Request) string {
	if req.GetBody == nil {
		return ""
	}
	rc, err := req.GetBody()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _, _ := readLimited(rc, reports.MaxEvidenceBody)
	return string(b)
}

// excerpt is the start of a body as valid UTF-8.
func excerpt(body []byte) string {
	if len(body) > reports.MaxEvidenceBody {
		body = body[:reports.MaxEvidenceBody]
	}
	// A rune cut in two at the end becomes U+FFFD, as does invalid UTF-8.
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

// readLimited reads r up to limit bytes and says whether there was more.
func readLimited(r io.Reader, limit int) ([]byte, bool, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, int64(limit)+1))
	if n > int64(limit) {
		return buf.Bytes()[:limit], true, err
	}
	return buf.Bytes(), false, err
}
