package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// leasesBucket holds, per user, the lease of the mock whose worker is
// pulling that user now.
const leasesBucket = "p4p_leases"

// leaseRetry is how soon a pull whose user is leased to another attempt
// is tried again.
const leaseRetry = 100 * time.Millisecond

// leases keep each user's pulls from overlapping when mocks share a NATS.
//
// JetStream delivers a pull at least once, and on a cluster a consumer's
// new leader can deliver again a pull whose first delivery it had not yet
// heard of, while a worker of another mock is still asking the endpoint:
// the per-user limit of P4P_PULLS bounds the pulls queued, not the
// attempts running. So before its attempt a worker creates the user's key
// in a bucket shared by every mock; the key expires by itself (a
// per-key TTL, kept by the stream's leader, so no two mocks' clocks are
// compared) once no attempt can still be running: the pull timeout plus
// the margin JetStream itself gives a pull (the puller's AckWait). A
// worker that finds the key held waits and tries again; the holder purges
// it when its pull has ended.
//
// A mock on its embedded server is the only consumer of its queue, and
// its AckWait outlasts every attempt, so it keeps no leases.
type leases struct {
	kv    jetstream.KeyValue
	ttl   time.Duration
	owner string // this mock: host, pid and a random suffix
}

// lease is one held key, to release.
type lease struct {
	key      string
	revision uint64
}

type leaseValue struct {
	PullID string    `json:"pull_id"`
	Owner  string    `json:"owner"`
	At     time.Time `json:"at"`
}

func openLeases(ctx context.Context, js jetstream.JetStream, t *topology, ttl time.Duration) (*leases, error) {
	kv, err := t.bucket(ctx, js, jetstream.KeyValueConfig{
		Bucket: leasesBucket,
		// A lease matters only while its attempt runs; losing every
		// server's memory loses the attempts too.
		Storage: jetstream.MemoryStorage,
		// Needed for per-key TTLs; the marker a TTL leaves goes too.
		LimitMarkerTTL: time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", leasesBucket, err)
	}
	host, _ := os.Hostname()
	return &leases{kv: kv, ttl: ttl.Round(time.Second) + time.Second,
		owner: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), nuid.Next()[:8])}, nil
}

// errLeased says another attempt holds the user's lease.
var errLeased = errors.New("another attempt is pulling this user")

// take leases the user for pullID; errLeased if another attempt holds
// the lease, or another error if the bucket could not be reached. A nil
// leases (the embedded server) takes every lease at once.
func (l *leases) take(ctx context.Context, userID, pullID string) (*lease, error) {
	if l == nil {
		return nil, nil
	}
	data, err := json.Marshal(leaseValue{PullID: pullID, Owner: l.owner, At: time.Now().UTC()})
	if err != nil {
		return nil, err
	}
	key := userToken(userID)
	rev, err := l.kv.Create(ctx, key, data, jetstream.KeyTTL(l.ttl))
	switch {
	case err == nil:
		return &lease{key: key, revision: rev}, nil
	case isConflict(err):
		return nil, errLeased
	default:
		return nil, fmt.Errorf("lease user: %w", err)
	}
}

// release ends a lease taken by take, if it is still this one; a lease
// that cannot be purged expires by itself.
func (l *leases) release(ctx context.Context, le *lease) error {
	if l == nil || le == nil {
		return nil
	}
	err := l.kv.Purge(ctx, le.key, jetstream.LastRevision(le.revision), jetstream.PurgeTTL(time.Second))
	if err != nil {
		return fmt.Errorf("release lease: %w", err)
	}
	return nil
}
