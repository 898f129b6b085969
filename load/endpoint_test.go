package load_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"p4p/profile"
	"p4p/refapp"
)

// behaviour is what a test endpoint does with a request for one user,
// instead of answering it as the reference endpoint does.
type behaviour int

const (
	answer    behaviour = iota // the reference endpoint's answer
	truncate                   // headers and half a body, then the connection closed
	garbage                    // a malformed status line, then the connection closed
	status503                  // 503 with a short JSON body
	hang                       // hold the request until the test ends
	slow                       // answer after the endpoint's slowDelay
)

// faultyEndpoint is the reference endpoint behind a server that does
// what behave says for each user id, and counts what it did: the harness
// is checked against these counts. Truncated and malformed answers are
// written before the connection closes so that the client has read from
// it, and Go's transport does not retry the request on a new one.
type faultyEndpoint struct {
	URL       string // the Pull URL template
	slowDelay time.Duration

	mu        sync.Mutex
	requests  int
	did       map[behaviour]int
	bytesOut  int64 // body bytes written in complete answers
	bytesIn   int64 // request body bytes read
	ids       map[string]int
	release   chan struct{}
	firstSeen time.Time
}

// startFaultyEndpoint starts the endpoint over users; behave is asked,
// for each request, with the user id and the time since the first
// request; a slow answer waits slowDelay.
func startFaultyEndpoint(t *testing.T, users []string, slowDelay time.Duration, behave func(id string, since time.Duration) behaviour) *faultyEndpoint {
	t.Helper()
	profiles := make([]profile.Profile, len(users))
	for i, id := range users {
		profiles[i] = profile.Profile{ID: id, DisplayName: "User " + id}
	}
	ra, err := refapp.Start(refapp.Config{Network: testNetwork, Key: testKey, Users: profiles})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ra.Close() })
	e := &faultyEndpoint{did: map[behaviour]int{}, ids: map[string]int{}, release: make(chan struct{}),
		slowDelay: slowDelay}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		b := behave(id, e.seen(id, r))
		e.mu.Lock()
		e.did[b]++
		e.mu.Unlock()
		switch b {
		case truncate, garbage:
			e.hijack(t, w, b)
		case status503:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			e.write(w, []byte(`{"error":"try later"}`))
		case hang:
			select {
			case <-e.release:
			case <-r.Context().Done():
			}
		default:
			if b == slow {
				time.Sleep(e.slowDelay)
			}
			ra.Handler().ServeHTTP(&countingWriter{ResponseWriter: w, e: e}, r)
		}
	}))
	// Cleanups run last first: the hung requests are let go before the
	// servers close.
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(e.release) })
	e.URL = srv.URL + refapp.DefaultPullPath + "?id={id}"
	return e
}

// seen counts a request and returns the time since the first one.
func (e *faultyEndpoint) seen(id string, r *http.Request) time.Duration {
	n, _ := r.Body.Read(make([]byte, 1<<10))
	e.mu.Lock()
	defer e.mu.Unlock()
	e.bytesIn += int64(n)
	e.requests++
	e.ids[id]++
	if e.firstSeen.IsZero() {
		e.firstSeen = time.Now()
	}
	return time.Since(e.firstSeen)
}

func (e *faultyEndpoint) write(w http.ResponseWriter, b []byte) {
	n, _ := w.Write(b)
	e.mu.Lock()
	e.bytesOut += int64(n)
	e.mu.Unlock()
}

func (e *faultyEndpoint) hijack(t *testing.T, w http.ResponseWriter, b behaviour) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close()
	if b == garbage {
		buf.WriteString("NOT HTTP AT ALL\r\n\r\n")
	} else {
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":")
	}
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.CloseWrite() // what was written goes first, then the FIN
	}
}

type countingWriter struct {
	http.ResponseWriter
	e *faultyEndpoint
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.e.mu.Lock()
	w.e.bytesOut += int64(n)
	w.e.mu.Unlock()
	return n, err
}

// counts returns a copy of what the endpoint did.
func (e *faultyEndpoint) counts() (requests int, did map[behaviour]int, bytesOut, bytesIn int64, ids map[string]int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	did = make(map[behaviour]int, len(e.did))
	for k, v := range e.did {
		did[k] = v
	}
	ids = make(map[string]int, len(e.ids))
	for k, v := range e.ids {
		ids[k] = v
	}
	return e.requests, did, e.bytesOut, e.bytesIn, ids
}
