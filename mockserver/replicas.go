package mockserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// maxReplicas is JetStream's own bound on a stream's replicas.
const maxReplicas = 5

// topology is the NATS the mock runs on, as far as replication goes: how
// many servers it has, and how many copies the mock keeps of each stream
// and bucket. It notes what the mock created or changed at start, for one
// log line and /healthz.
type topology struct {
	cluster  string // the cluster's name; "" for a single server
	servers  int
	replicas int

	mu   sync.Mutex
	made []string // "P4P_PENDING created", "KV_p4p_profiles updated from 1", …
}

// NATSReading is what /healthz says of the NATS the mock runs on.
type NATSReading struct {
	Cluster  string   `json:"cluster,omitempty"`
	Servers  int      `json:"servers"`
	Replicas int      `json:"replicas"`
	Streams  []string `json:"streams"` // each stream and bucket, and what the mock did to it at start
}

// newTopology finds the cluster's size from the servers the connection
// knows (those named, and those the cluster told it of) and settles the
// replicas: want, or if 0, 3 on a cluster of at least 3 servers, else
// the cluster's size.
func newTopology(nc *nats.Conn, embedded bool, want int) (*topology, error) {
	t := &topology{servers: 1}
	if !embedded {
		t.cluster = nc.ConnectedClusterName()
		if t.cluster != "" {
			t.servers = max(1, countServers(nc.Servers()))
		}
	}
	switch {
	case want == 0:
		t.replicas = min(t.servers, 3)
	case want > t.servers:
		return nil, fmt.Errorf("%w: %d replicas asked for, but the NATS has %s: each replica needs a server of its own",
			ErrConfig, want, t.describe())
	default:
		t.replicas = want
	}
	return t, nil
}

// countServers counts distinct host:port pairs; the pool names the server
// dialled as given and those it learnt of by address.
func countServers(urls []string) int {
	seen := map[string]bool{}
	for _, u := range urls {
		if p, err := url.Parse(u); err == nil && p.Host != "" {
			seen[strings.ToLower(p.Host)] = true
		}
	}
	return len(seen)
}

func (t *topology) describe() string {
	if t.cluster == "" {
		return "one server"
	}
	return fmt.Sprintf("%d servers (cluster %s)", t.servers, t.cluster)
}

// stream creates the stream with the mock's replicas, or updates it to
// them and to cfg, noting which.
func (t *topology) stream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	cfg.Replicas = t.replicas
	return ensure(ctx, t, js, cfg.Name, func() (jetstream.Stream, error) { return js.CreateOrUpdateStream(ctx, cfg) })
}

// ensure creates or updates the named stream with create, through a
// cluster still forming, and notes what it did.
func ensure[T any](ctx context.Context, t *topology, js jetstream.JetStream, name string, create func() (T, error)) (T, error) {
	var made T
	what, err := t.before(ctx, js, name)
	if err != nil {
		return made, err
	}
	err = whileSettling(ctx, func() (err error) {
		made, err = create()
		return err
	}, codeNoPeers, codeNoMetaLeader)
	if err != nil {
		return made, err
	}
	t.note(name, what)
	return made, nil
}

// settleWait bounds how long the mock waits at start for a cluster that
// is still settling. Placing the replicas of a consumer made anew on a
// stream that has just grown its own took over 10 s once, on a loaded
// 2-core machine running three servers (TestCluster under -race).
const settleWait = 30 * time.Second

// Codes with which a cluster that is still settling refuses to create a
// stream or a consumer, usual for some seconds after its servers start
// together or a stream's replicas change.
const (
	codeNoPeers        jetstream.ErrorCode = 10005 // "no suitable peers for placement, peer offline"
	codeNoMetaLeader   jetstream.ErrorCode = 10008 // the meta group has no leader yet
	codeNoResources    jetstream.ErrorCode = 10023 // a stream growing replicas, for a consumer
	codeReplicasLacked jetstream.ErrorCode = 10126 // a consumer with more replicas than the stream has yet
)

// whileSettling runs op again while it is refused with one of codes, at
// most settleWait; it returns op's last error.
func whileSettling(ctx context.Context, op func() error, codes ...jetstream.ErrorCode) error {
	ctx, cancel := context.WithTimeout(ctx, settleWait)
	defer cancel()
	for {
		err := op()
		var apiErr *jetstream.APIError
		if !errors.As(err, &apiErr) || !slices.Contains(codes, apiErr.ErrorCode) || !pause(ctx, 100*time.Millisecond) {
			return err
		}
	}
}

// bucket is stream for a key-value bucket.
func (t *topology) bucket(ctx context.Context, js jetstream.JetStream, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	cfg.Replicas = t.replicas
	kv, err := ensure(ctx, t, js, "KV_"+cfg.Bucket, func() (jetstream.KeyValue, error) { return js.CreateOrUpdateKeyValue(ctx, cfg) })
	// On a cluster a direct get may be answered by a replica that lags
	// its leader. The buckets keep direct gets all the same: turning them
	// off is undone by every mock's CreateOrUpdateKeyValue at its start,
	// and a mock that bound its bucket in between would read through
	// direct gets nobody answers. A stale read is safe instead: a pull's
	// outcome is stored only over the revision its attempt read (record),
	// and a user's attempts are leased (lease.go).
	return kv, err
}

// before says what creating or updating the named stream will do.
func (t *topology) before(ctx context.Context, js jetstream.JetStream, name string) (string, error) {
	s, err := js.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return "created", nil
	}
	if err != nil {
		return "", err
	}
	if r := max(1, s.CachedInfo().Config.Replicas); r != t.replicas {
		return fmt.Sprintf("updated from %d replicas", r), nil
	}
	return "kept", nil
}

// keepExisting raises automatic replicas to those of the mock's streams
// if they have more: counting the servers it can see, a mock started
// while one of them is down would otherwise scale a cluster's streams
// down, and make its consumers anew, when it is most needed.
func (t *topology) keepExisting(ctx context.Context, js jetstream.JetStream) error {
	s, err := js.Stream(ctx, pendingStream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if r := s.CachedInfo().Config.Replicas; r > t.replicas {
		t.replicas = r
	}
	return nil
}

func (t *topology) note(name, what string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.made = append(t.made, name+" "+what)
}

// log says, in one line, what the mock created or updated, with how many
// replicas.
func (t *topology) log(log *slog.Logger) {
	r := t.reading()
	log.Info("jetstream", "servers", r.Servers, "cluster", r.Cluster, "replicas", r.Replicas, "streams", strings.Join(r.Streams, ", "))
}

func (t *topology) reading() NATSReading {
	t.mu.Lock()
	defer t.mu.Unlock()
	return NATSReading{Cluster: t.cluster, Servers: t.servers, Replicas: t.replicas, Streams: append([]string(nil), t.made...)}
}
