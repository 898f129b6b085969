package mockserver

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// TestLateDeliveryIsNotRecorded: a delivery of a pull held up past its
// AckWait that ends after a later pull of the user was recorded (or after
// another delivery of the same pull ended it) does not overwrite that
// record; a write whose answer was lost is not taken for a stale one.
func TestLateDeliveryIsNotRecorded(t *testing.T) {
	s, err := Start(Config{Network: "stale.fyre.co", Key: "c3RhbGUtdGVzdC1rZXk=", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pinged := time.Now()
	succeeded := func(rp *livefyre.RemoteProfile) { rp.Sync.Outcome = livefyre.OutcomeSucceeded; rp.Sync.Pulls++ }

	// Both deliveries read the record before either attempt.
	_, rev, err := s.store.getRevision(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	late := &pullRun{job: job{UserID: "ada", PullID: "5", PingedAt: pinged}, attempt: 1, revision: rev}
	again := &pullRun{job: job{UserID: "ada", PullID: "5", PingedAt: pinged}, attempt: 1, revision: rev}
	if _, err := s.record(ctx, again, time.Now(), succeeded); err != nil {
		t.Fatal(err)
	}
	// A later pull of the user, recorded.
	cur, rev, _ := s.store.getRevision(ctx, "ada")
	later := &pullRun{job: job{UserID: "ada", PullID: "9", PingedAt: pinged}, attempt: 1, record: cur, revision: rev}
	if _, err := s.record(ctx, later, time.Now(), succeeded); err != nil {
		t.Fatal(err)
	}
	if _, err := s.record(ctx, late, time.Now(), succeeded); !errors.Is(err, errStale) {
		t.Errorf("late delivery of pull 5 after pull 9: %v, want errStale", err)
	}
	if rp, _, _ := s.store.get(ctx, "ada"); rp.Sync.PullID != "9" || rp.Sync.Pulls != 2 {
		t.Errorf("record after the late delivery: pull %s, %d pulls; want pull 9, 2 pulls", rp.Sync.PullID, rp.Sync.Pulls)
	}

	// The same pull delivered twice: the second to end is stale too.
	_, rev, _ = s.store.getRevision(ctx, "bob")
	first := &pullRun{job: job{UserID: "bob", PullID: "7", PingedAt: pinged}, attempt: 1, revision: rev}
	second := &pullRun{job: job{UserID: "bob", PullID: "7", PingedAt: pinged}, attempt: 1, revision: rev}
	if _, err := s.record(ctx, first, time.Now(), succeeded); err != nil {
		t.Fatal(err)
	}
	if _, err := s.record(ctx, second, time.Now(), succeeded); !errors.Is(err, errStale) {
		t.Errorf("second delivery of pull 7 to end: %v, want errStale", err)
	}

	// A write that was stored though its answer was lost, made again with
	// the revision read before it: taken as stored, not as stale.
	_, rev, _ = s.store.getRevision(ctx, "cy")
	now := time.Now()
	p := &pullRun{job: job{UserID: "cy", PullID: "3", PingedAt: pinged}, attempt: 1, revision: rev}
	if _, err := s.record(ctx, p, now, succeeded); err != nil {
		t.Fatal(err)
	}
	p.revision = rev
	if _, err := s.record(ctx, p, now, succeeded); err != nil {
		t.Errorf("the same write again: %v, want it taken as stored", err)
	}
}

func TestLaterPull(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{{"9", "5", true}, {"5", "9", false}, {"5", "5", false}, {"10", "9", true}, {"", "5", false}, {"5", "", true}, {"x", "5", false}} {
		if got := laterPull(tt.a, tt.b); got != tt.want {
			t.Errorf("laterPull(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestWhileSettling: an operation refused while a cluster settles is made
// again; any other error, or the refusal past the wait, is returned.
func TestWhileSettling(t *testing.T) {
	forming := &jetstream.APIError{Code: 503, ErrorCode: 10005, Description: "no suitable peers for placement, peer offline"}
	calls := 0
	err := whileSettling(context.Background(), func() error {
		if calls++; calls < 3 {
			return forming
		}
		return nil
	}, codeNoPeers)
	if err != nil || calls != 3 {
		t.Errorf("refused twice, then done: %v after %d calls, want nil after 3", err, calls)
	}
	other := &jetstream.APIError{Code: 400, ErrorCode: 10058, Description: "stream name already in use"}
	calls = 0
	if err := whileSettling(context.Background(), func() error { calls++; return other }, codeNoPeers); !errors.Is(err, other) || calls != 1 {
		t.Errorf("another error: %v after %d calls, want it at once", err, calls)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	if err := whileSettling(ctx, func() error { return forming }, codeNoPeers); !errors.Is(err, forming) {
		t.Errorf("forming past the deadline: %v, want the refusal", err)
	}
}
