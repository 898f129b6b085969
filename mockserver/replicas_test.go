package mockserver_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"p4p/livefyre"
	"p4p/mockserver"
)

// natsServer runs a standalone nats-server with JetStream on loopback TCP,
// as a user's external NATS would be.
func natsServer(t testing.TB) string {
	t.Helper()
	return startNATS(t).ClientURL()
}

// startNATS is natsServer, for a test that stops the server itself.
func startNATS(t testing.TB) *server.Server {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns
}

// TestReplicas: two mocks on one NATS share the registration, the queue,
// the store and the events. A ping to either is pulled once, by either,
// and both see it.
func TestReplicas(t *testing.T) {
	url := natsServer(t)
	e := newEndpoint(t, serveProfile("Ada"))
	a := startMock(t, func(c *mockserver.Config) { c.NATSURL = url })
	b := startMock(t, func(c *mockserver.Config) { c.NATSURL = url })
	register(t, a, e.template())
	eventsA := follow(t, a, "")
	const n = 50
	for i := range n {
		replica := a
		if i%2 == 1 {
			replica = b
		}
		ping(t, replica, fmt.Sprintf("u-%d", i))
	}
	for range n {
		eventsA.await(t, livefyre.ProfileUpdated)
	}
	for i := range n {
		id := fmt.Sprintf("u-%d", i)
		for _, s := range []*mockserver.Server{a, b} {
			if rp := awaitOutcome(t, s, id); rp.Sync.Outcome != livefyre.OutcomeSucceeded || rp.Sync.Pulls != 1 {
				t.Fatalf("%s via %s: %+v, want one successful pull", id, s.URL, rp.Sync)
			}
		}
	}
	if got := e.requests.Load(); got != n {
		t.Errorf("endpoint saw %d pulls, want %d: each ping pulled once across both mocks", got, n)
	}
}
