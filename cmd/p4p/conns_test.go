//go:build unix

package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/profile"
	"p4p/refapp"
)

// TestIdleConnections holds ten thousand idle connections open against a
// p4p mock whose process may open 1,024 files, and pulls through it:
// every ping sent before and during the flood is acknowledged, /healthz
// answers a new client, and every acknowledged ping's profile is stored;
// no pull fails for want of a socket. Without a connection cap the idle
// connections take every descriptor: new clients time out and pulls fail
// for good with "socket: too many open files".
func TestIdleConnections(t *testing.T) {
	const (
		idle     = 10_000
		fileCap  = 1024
		perPhase = 50
	)
	raiseOpenFiles(t, idle+4096)
	mock := startLimitedProc(t, fileCap, e2eEnv, "mock", "--addr", "127.0.0.1:0", "--data", t.TempDir(),
		"--delay", "2s", "--backoff", "50ms", "--backoff-max", "200ms")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// Every request from a new connection: the mock's pulls dial for each
	// (the endpoint closes them) and so do the clients.
	client := &livefyre.Client{BaseURL: mock.URL, Network: e2eNetwork, Key: e2eKey,
		HTTP: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	users := refapp.SyntheticUsers(2 * perPhase)
	endpoint := closingEndpoint(t, users)
	if err := client.Register(ctx, endpoint+"/pull?id={id}"); err != nil {
		t.Fatal(err)
	}

	before := pingAll(t, ctx, client, users[:perPhase]) // pulled during the flood
	held, refused, release := holdIdle(t, mock.URL[len("http://"):], idle)
	t.Logf("%d idle connections held (%d dials failed)", held, refused)
	// A new client is served, though it may wait behind the connections
	// the flood left in the kernel's backlog: on a loaded machine that can
	// take seconds, which is not what this test measures.
	patient := *client
	patient.HTTP = &http.Client{Timeout: 45 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := patient.Health(ctx); err != nil {
		t.Errorf("a new client's /healthz during the flood: %v", err)
	}
	during := pingAll(t, ctx, client, users[perPhase:])
	acked := append(before, during...)
	if len(acked) != 2*perPhase {
		t.Errorf("%d of %d pings acknowledged, want all", len(acked), 2*perPhase)
	}
	// The pulls run while the flood is held; their outcomes are read then
	// if the mock answers (20 s at most), else once it is over.
	flooded, cancelFlood := context.WithTimeout(ctx, 20*time.Second)
	for _, id := range acked {
		if _, ok := awaitFinal(flooded, client, id); !ok {
			break
		}
	}
	cancelFlood()
	release()
	for _, id := range acked {
		rp, ok := awaitFinal(ctx, client, id)
		if !ok || rp.Sync.Outcome != livefyre.OutcomeSucceeded {
			t.Errorf("user %s: outcome %q after %d attempts (%s), want the profile stored", id, rp.Sync.Outcome, rp.Sync.Attempts, rp.Sync.LastError)
		}
	}
}

// closingEndpoint serves users as the reference endpoint does, closing
// every connection after its response, and returns its URL.
func closingEndpoint(t *testing.T, users []profile.Profile) string {
	t.Helper()
	app, err := refapp.Start(refapp.Config{Network: e2eNetwork, Key: e2eKey, Users: users})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		app.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// startLimitedProc is startProc for a p4p that may open at most files
// files (soft and hard limit, so the Go runtime cannot raise it).
func startLimitedProc(t *testing.T, files int, env []string, args ...string) *proc {
	t.Helper()
	script := "ulimit -n " + strconv.Itoa(files) + ` && exec "$0" "$@"`
	return startCommand(t, exec.Command("sh", append([]string{"-c", script, binary}, args...)...), env, args)
}

// raiseOpenFiles makes sure this process may open n files, raising its
// limit (as root) for the test if need be.
func raiseOpenFiles(t *testing.T, n uint64) {
	t.Helper()
	var was syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &was); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	if was.Cur >= n {
		return
	}
	want := syscall.Rlimit{Cur: n, Max: max(n, was.Max)}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
		t.Skipf("this test needs %d open files, the limit is %d and cannot be raised: %v", n, was.Cur, err)
	}
	t.Cleanup(func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &was) })
}

// holdIdle opens n connections to addr, each sending one request it never
// reads the answer to, and leaves them open until release (or the test's
// end): idle keep-alive connections, as a careless or hostile client
// leaves them. Dialling stops after 100 failures (a server that no longer
// accepts).
func holdIdle(t *testing.T, addr string, n int) (held, failed int, release func()) {
	t.Helper()
	var (
		mu    sync.Mutex
		conns []net.Conn
		fails atomic.Int64
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	release = sync.OnceFunc(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	t.Cleanup(release)
	request := []byte("GET /healthz HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")
	for range 200 {
		wg.Go(func() {
			for next.Add(1) <= int64(n) && fails.Load() < 100 {
				c, err := net.DialTimeout("tcp", addr, 3*time.Second)
				if err == nil {
					_, err = c.Write(request)
				}
				if err != nil {
					fails.Add(1)
					continue
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return len(conns), int(fails.Load()), release
}

// awaitFinal polls a user's record until its pull has ended, or ctx.
func awaitFinal(ctx context.Context, client *livefyre.Client, id string) (livefyre.RemoteProfile, bool) {
	for {
		rp, err := client.Profile(ctx, id)
		if err == nil && (rp.Sync.Outcome == livefyre.OutcomeSucceeded || rp.Sync.Outcome == livefyre.OutcomeFailed) {
			return rp, true
		}
		select {
		case <-ctx.Done():
			return rp, false
		case <-time.After(50 * time.Millisecond):
		}
	}
}
