package mockserver_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"p4p/livefyre"
	"p4p/mockserver"
)

// TestLocalDialFailureIsNoAttempt: a pull whose dial fails for want of a
// file descriptor (the error the kernel gives, as the dialer wraps it) is
// tried again later without spending one of the endpoint's attempts, even
// with a single attempt allowed; the trouble is logged once when it starts
// and once when it ends, and counted in /metrics.
func TestLocalDialFailureIsNoAttempt(t *testing.T) {
	const failures = 3
	var dials atomic.Int64
	var d net.Dialer
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) <= failures {
			return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("socket", syscall.EMFILE)}
		}
		return d.DialContext(ctx, network, addr)
	}
	var logs syncBuffer
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, func(c *mockserver.Config) {
		c.MaxAttempts, c.TimeScale = 1, 100
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		mockserver.SetDial(c, dial)
	})
	register(t, s, e.template())
	ping(t, s, "u-1")
	rp := awaitOutcome(t, s, "u-1")
	if rp.Sync.Outcome != livefyre.OutcomeSucceeded || rp.Sync.Attempts != 1 {
		t.Errorf("outcome %s after %d attempts (%q), want succeeded after 1: a local dial failure is no attempt",
			rp.Sync.Outcome, rp.Sync.Attempts, rp.Sync.LastError)
	}
	if got := e.requests.Load(); got != 1 {
		t.Errorf("the endpoint got %d requests, want 1", got)
	}
	if got := scrapeMetrics(t, s)["p4p_pull_local_dial_failures_total"]; got != failures {
		t.Errorf("p4p_pull_local_dial_failures_total = %v, want %d", got, failures)
	}
	out := logs.String()
	if n := strings.Count(out, "pulls cannot dial"); n != 1 {
		t.Errorf("the local failure was logged %d times, want once per change of state; logs:\n%s", n, out)
	}
	if n := strings.Count(out, "pulls dial again"); n != 1 {
		t.Errorf("the recovery was logged %d times, want once; logs:\n%s", n, out)
	}
}
