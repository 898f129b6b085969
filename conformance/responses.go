package conformance

import (
	"io"
	"net/http"
	"sync"
)

// maxLoggedBody bounds how much of each body the response log keeps.
const maxLoggedBody = 64 << 10

// responseLog keeps every response the endpoint sent the run, redirects
// included, so that P4P-SEC-002 can look for an echoed token in all of
// them. It stays in memory and never reaches a report.
type responseLog struct {
	mu        sync.Mutex
	responses []*loggedResponse
}

// loggedResponse is one response: where it came from, its header, and
// the start of its body as far as it was read.
type loggedResponse struct {
	from   string // status and URL without its query, e.g. "302 from https://e/pull"
	header http.Header
	body   []byte
}

// all is a snapshot of the log.
func (l *responseLog) all() []loggedResponse {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]loggedResponse, len(l.responses))
	for i, r := range l.responses {
		out[i] = loggedResponse{from: r.from, header: r.header, body: append([]byte(nil), r.body...)}
	}
	return out
}

// logging is a transport that adds every response to a responseLog.
type logging struct {
	log  *responseLog
	base http.RoundTripper
}

// RoundTrip sends req and logs the response's header, and its body as the
// caller reads it.
func (t logging) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	u := *req.URL
	u.RawQuery, u.Fragment = "", ""
	lr := &loggedResponse{from: http.StatusText(resp.StatusCode) + " response from " + u.String(), header: resp.Header.Clone()}
	t.log.mu.Lock()
	t.log.responses = append(t.log.responses, lr)
	t.log.mu.Unlock()
	resp.Body = teeBody{ReadCloser: resp.Body, log: t.log, to: lr}
	return resp, nil
}

// CloseIdleConnections closes the base transport's idle connections,
// when it keeps any.
func (t logging) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// teeBody copies what is read of a body into a logged response.
type teeBody struct {
	io.ReadCloser
	log *responseLog
	to  *loggedResponse
}

func (b teeBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.log.mu.Lock()
	if room := maxLoggedBody - len(b.to.body); room > 0 {
		b.to.body = append(b.to.body, p[:min(n, room)]...)
	}
	b.log.mu.Unlock()
	return n, err
}
