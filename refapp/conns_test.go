package refapp_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"p4p/refapp"
)

// TestConnectionLimits: the reference endpoint keeps at most MaxConns
// connections open: with ten times as many idle keep-alive connections
// made to it, a new client is served and the others were closed to make
// room; and a connection idle past IdleTimeout is closed.
func TestConnectionLimits(t *testing.T) {
	const maxConns, idle = 20, 200
	s := start(t, func(c *refapp.Config) { c.MaxConns = maxConns })
	addr := strings.TrimPrefix(s.URL, "http://")
	conns := make([]*bufio.Reader, idle)
	raw := make([]net.Conn, idle)
	for i := range idle {
		raw[i], conns[i] = keepAlive(t, addr)
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}).Get(s.URL + "/healthz")
	if err != nil {
		t.Fatalf("a new client: %v", err)
	}
	resp.Body.Close()
	if open := stillOpen(raw, conns); open > maxConns {
		t.Errorf("%d of %d idle connections still open, want at most MaxConns (%d)", open, idle, maxConns)
	}

	s = start(t, func(c *refapp.Config) { c.IdleTimeout = 50 * time.Millisecond })
	c, r := keepAlive(t, strings.TrimPrefix(s.URL, "http://"))
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := r.ReadByte(); !errors.Is(err, io.EOF) && !isReset(err) {
		t.Errorf("a connection idle past IdleTimeout: read %v, want it closed", err)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

// keepAlive makes one request on a new connection and leaves it open.
func keepAlive(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	r := bufio.NewReader(c)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("keep-alive request: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return c, r
}

// stillOpen counts the connections the server has not closed: a read
// that times out rather than ending.
func stillOpen(raw []net.Conn, rs []*bufio.Reader) int {
	deadline := time.Now().Add(300 * time.Millisecond)
	var (
		mu   sync.Mutex
		open int
		wg   sync.WaitGroup
	)
	for i, c := range raw {
		c.SetReadDeadline(deadline)
		wg.Go(func() {
			_, err := rs[i].ReadByte()
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				mu.Lock()
				open++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return open
}
