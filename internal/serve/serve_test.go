package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// start serves h with limits on loopback until the test ends.
func start(t *testing.T, h http.Handler, limits Limits) (*Server, string) {
	t.Helper()
	s := New(h, limits, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(s.Listener(ln))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
	})
	return s, ln.Addr().String()
}

var ok = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })

// keepAlive dials addr, makes one request and leaves the connection open
// and idle.
func keepAlive(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	r := bufio.NewReader(c)
	get(t, c, r)
	return c, r
}

func get(t *testing.T, c net.Conn, r *bufio.Reader) {
	t.Helper()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatalf("write: %v", err)
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// closedByServer says whether the server has closed c: a read ends in
// EOF or a reset instead of its deadline.
func closedByServer(c net.Conn, r *bufio.Reader, wait time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(wait))
	_, err := r.ReadByte()
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// TestCapClosesLongestIdle: at the cap a new client is served, and the
// connection idle longest is the one closed to make room.
func TestCapClosesLongestIdle(t *testing.T) {
	s, addr := start(t, ok, Limits{MaxConns: 3})
	type kept struct {
		c net.Conn
		r *bufio.Reader
	}
	var idle []kept
	for i := range 3 {
		c, r := keepAlive(t, addr)
		idle = append(idle, kept{c, r})
		// The server marks a connection idle just after the response has
		// gone; wait for it, so that the order is known.
		for s.Stats().Idle < i+1 {
			time.Sleep(time.Millisecond)
		}
	}
	c, r := keepAlive(t, addr) // the fourth: served
	if !closedByServer(idle[0].c, idle[0].r, 10*time.Second) {
		t.Errorf("the connection idle longest is still open, want it closed to make room")
	}
	for i, k := range idle[1:] {
		if closedByServer(k.c, k.r, 50*time.Millisecond) {
			t.Errorf("idle connection %d was closed, want only the longest idle one", i+1)
		}
	}
	get(t, c, r) // the newest is still usable
	if got := s.Stats(); got.Open > 3 || got.Evicted != 1 {
		t.Errorf("Stats() = %+v, want at most 3 open and 1 evicted", got)
	}
}

// TestCapWaitsForBusyConnections: when every connection at the cap carries
// a request, none is closed; the next client waits and is served once a
// request ends.
func TestCapWaitsForBusyConnections(t *testing.T) {
	release := make(chan struct{})
	var now, most atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		io.WriteString(w, "ok")
	})
	_, addr := start(t, h, Limits{MaxConns: 2})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() {
			resp, err := client.Get("http://" + addr)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
		})
	}
	for now.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a request failed: %v", err)
	}
	if got := most.Load(); got != 2 {
		t.Errorf("at most %d requests were handled at once, want 2 (the cap)", got)
	}
}

func TestIdleTimeout(t *testing.T) {
	_, addr := start(t, ok, Limits{IdleTimeout: 50 * time.Millisecond})
	c, r := keepAlive(t, addr)
	if !closedByServer(c, r, 10*time.Second) {
		t.Errorf("an idle connection is still open after 10s, want it closed after its 50ms idle timeout")
	}
}

func TestMaxConnsFor(t *testing.T) {
	for _, tt := range []struct {
		limit uint64
		want  int
	}{{0, DefaultMaxConns}, {1 << 20, DefaultMaxConns}, {20_000, DefaultMaxConns}, {1024, 512}, {1, 1}} {
		if got := MaxConnsFor(tt.limit); got != tt.want {
			t.Errorf("MaxConnsFor(%d) = %d, want %d", tt.limit, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := (Limits{}).Validate(); err != nil {
		t.Errorf("zero Limits: %v", err)
	}
	if err := (Limits{MaxConns: -1, IdleTimeout: -1}).Validate(); !errors.Is(err, ErrLimits) {
		t.Errorf("negative limits: got %v, want ErrLimits", err)
	}
}

// TestCapClosesSilentConnections: connections that never send a request
// hold the cap only for their grace; then a new client is served.
func TestCapClosesSilentConnections(t *testing.T) {
	_, addr := start(t, ok, Limits{MaxConns: 2})
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
	c, r := keepAlive(t, addr) // served within get's 10 s deadline
	c.Close()
	_ = r
}
