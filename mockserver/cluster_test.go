package mockserver_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p"
	"p4p/internal/natstest"
	"p4p/livefyre"
	"p4p/mockserver"
)

// clusterMock starts a mock on the cluster, quick to take up a pull its
// peer abandoned (AckWait: the pull timeout plus a second).
func clusterMock(t *testing.T, c *natstest.Cluster, replicas int) *mockserver.Server {
	t.Helper()
	return startMock(t, func(cfg *mockserver.Config) {
		cfg.NATSURL, cfg.Replicas, cfg.DataDir = c.URL(), replicas, ""
		cfg.TimeScale, cfg.Delay = 10, p4p.Delay{Max: time.Second}
		cfg.Logger = slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	})
}

// TestCluster: two mocks on a 3-server JetStream cluster keep 3 replicas
// of everything (updating streams made with 1), share the work, and lose
// no acknowledged ping when the leader of P4P_PENDING steps down or is
// shut down in the middle of a ping storm: every acknowledged ping ends in
// exactly one recorded outcome, no user's pulls overlap, and a ping the
// mock could not store within its deadline is answered 503 with
// Retry-After, never 200. Without the publish retries an election answers
// pings 503; with one replica the shut-down leader takes the queue with it.
func TestCluster(t *testing.T) {
	c := natstest.StartCluster(t, 3)
	js := c.JetStream()

	// One replica first, as a mock before this change made them.
	if _, err := mockserver.Start(mockserver.Config{Network: network, Key: key, NATSURL: c.URL(), Replicas: 4}); err == nil ||
		!strings.Contains(err.Error(), "4 replicas asked for, but the NATS has 3 servers") {
		t.Errorf("Start with 4 replicas on 3 servers: %v, want a refusal naming both", err)
	}
	one := clusterMock(t, c, 1)
	one.Close()
	checkReplicas(t, js, 1)
	a, b := clusterMock(t, c, 0), clusterMock(t, c, 3)
	checkReplicas(t, js, 3)
	if h := health(t, a); h.NATS.Replicas != 3 || h.NATS.Servers != 3 || !strings.Contains(strings.Join(h.NATS.Streams, ","), "P4P_PENDING updated from 1 replicas") {
		t.Errorf("/healthz nats: %+v, want 3 replicas on 3 servers, P4P_PENDING updated from 1", h.NATS)
	}

	e := natstest.NewEndpoint(t, 3*time.Millisecond)
	register(t, a, e.Template())
	for _, tc := range []struct {
		name      string
		interrupt func(t *testing.T)
	}{
		{"leader steps down", func(t *testing.T) {
			for _, stream := range []string{"P4P_PENDING", "P4P_PULLS"} {
				if err := c.StepDown(js, stream); err != nil {
					t.Error(err)
				}
			}
		}},
		{"leader shut down", func(t *testing.T) {
			ns := c.Leader(js, "P4P_PENDING")
			t.Logf("shutting down %s, the leader of P4P_PENDING", ns.Name())
			ns.Shutdown()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := pullsBy(t, a, b)
			users := make([]string, 60)
			for i := range users {
				users[i] = fmt.Sprintf("%s-%d", strings.ReplaceAll(tc.name, " ", "-"), i)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			storm := natstest.Storm{Mocks: []string{a.URL, b.URL}, Network: network, Key: key, Users: users, Pings: 300, Clients: 8}
			l := storm.Run(ctx, func() { tc.interrupt(t) })
			t.Logf("%d pings acknowledged, %d not; statuses %v", l.Acked(), l.Unanswered(), l.Statuses)
			for _, p := range l.Problems {
				t.Error(p)
			}
			for _, r := range l.Refusals {
				t.Log(r)
			}
			if l.Unanswered() > 0 {
				t.Errorf("%d pings not acknowledged: an election within the store timeout must not reach the client", l.Unanswered())
			}
			client := &livefyre.Client{BaseURL: b.URL, Network: network, Key: key}
			for _, err := range l.Check(ctx, client) {
				t.Error(err)
			}
			if n := e.Overlaps.Load(); n > 0 {
				t.Errorf("%d pulls overlapped another of the same user", n)
			}
			after := pullsBy(t, a, b)
			if after[0] == before[0] || after[1] == before[1] {
				t.Errorf("pulls made by each mock went from %v to %v: the work was not shared", before, after)
			}
		})
	}
}

type tlog struct{ t *testing.T }

func (l tlog) Write(p []byte) (int, error) { l.t.Log(strings.TrimSpace(string(p))); return len(p), nil }

// checkReplicas checks every stream and bucket the mock keeps.
func checkReplicas(t *testing.T, js jetstream.JetStream, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, name := range []string{"P4P_PENDING", "P4P_PULLS", "P4P_DEAD", "P4P_HISTORY", "KV_p4p_profiles", "KV_p4p_settings"} {
		s, err := js.Stream(ctx, name)
		if err != nil {
			t.Errorf("stream %s: %v", name, err)
			continue
		}
		if got := s.CachedInfo().Config.Replicas; got != want {
			t.Errorf("stream %s: %d replicas, want %d", name, got, want)
		}
	}
}

var pullsMetric = regexp.MustCompile(`(?m)^p4p_pulls_total\{outcome="succeeded"\} (\d+)`)

// pullsBy is how many pulls each mock has made.
func pullsBy(t *testing.T, mocks ...*mockserver.Server) []int {
	t.Helper()
	var out []int
	for _, s := range mocks {
		n := 0
		if m := pullsMetric.FindStringSubmatch(scrape(t, s)); m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		out = append(out, n)
	}
	return out
}
