package mockserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/internal/natstest"
	"p4p/livefyre"
	"p4p/mockserver"
)

// TestLeaseKeepsAttemptsApart: on a shared NATS, a user leased to another
// attempt (here the test holds the lease, as another mock's worker would)
// is not pulled until the lease is released; a lease whose holder died
// expires by itself, and the pull goes on.
func TestLeaseKeepsAttemptsApart(t *testing.T) {
	url := natsServer(t)
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL = url })
	register(t, s, e.template())

	js := natstest.JetStream(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	kv, err := js.KeyValue(ctx, "p4p_leases")
	if err != nil {
		t.Fatal(err)
	}

	// Released: the pull waits for it.
	rev, err := kv.Create(ctx, mockserver.LeaseKey("held"), []byte(`{"owner":"the test"}`))
	if err != nil {
		t.Fatal(err)
	}
	ping(t, s, "held")
	time.Sleep(time.Second) // many lease retries
	if n := e.requests.Load(); n != 0 {
		t.Fatalf("%d pulls while another attempt held the user's lease, want 0", n)
	}
	if err := kv.Purge(ctx, mockserver.LeaseKey("held"), jetstream.LastRevision(rev)); err != nil {
		t.Fatal(err)
	}
	if rp := awaitOutcome(t, s, "held"); rp.Sync.Outcome != livefyre.OutcomeSucceeded || e.requests.Load() != 1 {
		t.Fatalf("after the release: outcome %s after %d pulls, want succeeded after 1", rp.Sync.Outcome, e.requests.Load())
	}
	// The lease is released once the outcome is stored, just after the
	// outcome can be read; well before it could expire (its TTL is the
	// puller's AckWait, over 10 s).
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := kv.Get(ctx, mockserver.LeaseKey("held")); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the mock's own lease is still held 3 s after its pull ended")
		}
	}

	// Expired: a holder that died leaves a key with a TTL, as the mock's
	// are; the pull goes on once it expires, with no release.
	if _, err := kv.Create(ctx, mockserver.LeaseKey("orphan"), []byte(`{"owner":"a mock killed"}`), jetstream.KeyTTL(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ping(t, s, "orphan")
	if rp := awaitOutcome(t, s, "orphan"); rp.Sync.Outcome != livefyre.OutcomeSucceeded {
		t.Fatalf("orphan: outcome %s, want succeeded once the lease expired", rp.Sync.Outcome)
	}
	if waited := time.Since(start); waited < 1500*time.Millisecond {
		t.Errorf("orphan pulled %v after the ping, before its lease could expire", waited)
	}
}

// TestConsumerDeletedUnderTheWorkers: a consumer deleted while the mock
// runs (another mock made it anew with other replicas, or an operator)
// does not leave the mock idle: it joins the new one and pulls.
func TestConsumerDeletedUnderTheWorkers(t *testing.T) {
	url := natsServer(t)
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL = url })
	register(t, s, e.template())
	js := natstest.JetStream(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, c := range []struct{ stream, name string }{{"P4P_PENDING", "p4p-mover"}, {"P4P_PULLS", "p4p-puller"}} {
		if err := js.DeleteConsumer(ctx, c.stream, c.name); err != nil {
			t.Fatal(err)
		}
	}
	ping(t, s, "after-delete")
	if rp := awaitOutcome(t, s, "after-delete"); rp.Sync.Outcome != livefyre.OutcomeSucceeded {
		t.Fatalf("outcome %s after the consumers were deleted, want succeeded", rp.Sync.Outcome)
	}
}
