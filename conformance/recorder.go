package conformance

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// recorder is the transport of a Probe's Livefyre client: every request
// and its response are kept as evidence under title.
type recorder struct {
	p     *Probe
	title string
	base  http.RoundTripper
}

// RoundTrip sends req with the base transport, reads the whole response
// (up to the suite's limit) to record it, and hands back a copy.
func (t recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	r := reply{duration: time.Since(start)}
	if err != nil {
		t.p.record(t.title, req, nil, r, err)
		return nil, err
	}
	r.status, r.header = resp.StatusCode, resp.Header
	r.body, r.tooLarge, err = readLimited(resp.Body, maxResponseBytes)
	resp.Body.Close()
	r.duration = time.Since(start)
	t.p.record(t.title, req, resp, r, err)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(r.body))
	return resp, nil
}
