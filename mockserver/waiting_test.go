package mockserver_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"p4p/internal/natstest"
	"p4p/livefyre"
	"p4p/mockserver"
)

// TestDuePullWaitsForItsUser: a due pull whose user has a pull running
// waits for that pull to end, held by the mover, rather than being tried
// again every 50 ms (which, with thousands of users waiting, kept the
// mover and the server too busy to end the pulls waited for); and it is
// moved, and made, once that pull has ended.
func TestDuePullWaitsForItsUser(t *testing.T) {
	url := natsServer(t)
	release := make(chan struct{})
	e := newEndpoint(t, func(n int64, r *http.Request, w http.ResponseWriter) {
		if n == 1 {
			select {
			case <-release:
			case <-time.After(20 * time.Second):
			}
		}
		serveProfile("Ada")(n, r, w)
	})
	// Registered after the endpoint's own clean-up, so run before it: a
	// failure below does not leave the first pull blocked until then.
	free := sync.OnceFunc(func() { close(release) })
	t.Cleanup(free)
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL, c.DataDir, c.PullTimeout = url, "", 30*time.Second })
	register(t, s, e.template())
	ping(t, s, "waits")
	for deadline := time.Now().Add(10 * time.Second); e.requests.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first pull never reached the endpoint")
		}
	}
	second := ping(t, s, "waits") // queued behind the pull running
	if second.Coalesced {
		t.Fatalf("a ping after the pull started was coalesced into it: %+v", second)
	}
	const waited = 2500 * time.Millisecond // 50 tries at 50 ms; held, handed back twice
	time.Sleep(waited)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mover, err := natstest.JetStream(t, url).Consumer(ctx, "P4P_PENDING", "p4p-mover")
	if err != nil {
		t.Fatal(err)
	}
	info, err := mover.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The first pending pull, moved at once, and the second, held and
	// handed back once a second: at most 2 + 3.
	if most := 2 + int(waited/time.Second) + 1; info.Delivered.Consumer > uint64(most) {
		t.Errorf("the mover had %d deliveries while the second pull waited %s; want at most %d, the second held between them",
			info.Delivered.Consumer, waited, most)
	}
	free()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		rp, _ := getProfile(t, s, "waits")
		if rp.Sync.PullID == second.PullID && rp.Sync.Outcome == livefyre.OutcomeSucceeded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the second pull (%s) did not end once the first had: record %+v", second.PullID, rp.Sync)
		}
	}
	if n := e.requests.Load(); n != 2 {
		t.Errorf("%d requests to the endpoint, want 2", n)
	}
}
