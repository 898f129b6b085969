package mockserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"p4p"
	"p4p/internal/natstest"
	"p4p/mockserver"
)

// BenchmarkSyncAlways measures what --sync always costs: the same pings
// to a mock on nats-server's default sync (every 2 minutes) and to one
// that flushes every write to disk, in the same run. It reports both
// rates and their ratio (always / default).
//
//	go test -run '^$' -bench BenchmarkSyncAlways -benchtime 4000x ./mockserver
func BenchmarkSyncAlways(b *testing.B) {
	// Pulls wait an hour: only the pings' own writes are measured.
	later := p4p.Delay{Min: time.Hour, Max: time.Hour}
	lazy := startMock(b, func(c *mockserver.Config) { c.Delay = later })
	always := startMock(b, func(c *mockserver.Config) { c.Delay, c.SyncAlways = later, true })
	comparePings(b, lazy, always, "default", "always")
}

// comparePings sends the same pings to a and b, in rounds alternating
// between them so that a warm-up or a busy neighbour weighs on both
// alike, and reports both rates and their ratio (b / a).
func comparePings(b *testing.B, ma, mb *mockserver.Server, nameA, nameB string) {
	const rounds = 6
	var took [2]time.Duration
	for r := range rounds {
		for i, s := range []*mockserver.Server{ma, mb} {
			took[i] += pingStorm(b, s, r, b.N/rounds, 8)
		}
	}
	var rates [2]float64
	for i := range took {
		rates[i] = float64(b.N/rounds*rounds) / took[i].Seconds()
	}
	b.ReportMetric(rates[0], "pings/s-"+nameA)
	b.ReportMetric(rates[1], "pings/s-"+nameB)
	b.ReportMetric(rates[1]/rates[0], "ratio")
}

// pingStorm sends n pings to s from clients goroutines, each to a user of
// its own in turn (users of round r), and returns how long they took.
func pingStorm(b *testing.B, s *mockserver.Server, r, n, clients int) time.Duration {
	b.Helper()
	form := url.Values{"lftoken": {systemToken(b)}}.Encode()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; i < n; i += clients {
				resp, err := http.Post(fmt.Sprintf("%s/api/v3_0/user/u-%d-%d/refresh", s.URL, r, i), "application/x-www-form-urlencoded", strings.NewReader(form))
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("ping: status %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// BenchmarkPingReplicated measures what a replicated cluster costs a
// ping: the same pings to a mock on one external nats-server (1 replica)
// and to one on a 3-server cluster on loopback (3 replicas: a quorum's
// acknowledgement before the 200), in the same run, alternating rounds.
// It reports both rates and their ratio (replicated / single).
//
//	go test -run '^$' -bench BenchmarkPingReplicated -benchtime 3000x ./mockserver
func BenchmarkPingReplicated(b *testing.B) {
	later := p4p.Delay{Min: time.Hour, Max: time.Hour}
	single := natsServer(b)
	c := natstest.StartCluster(b, 3)
	one := startMock(b, func(cfg *mockserver.Config) { cfg.Delay, cfg.NATSURL, cfg.DataDir = later, single, "" })
	three := startMock(b, func(cfg *mockserver.Config) {
		cfg.Delay, cfg.NATSURL, cfg.DataDir, cfg.Replicas = later, c.URL(), "", 3
	})
	comparePings(b, one, three, "single", "replicated")
}
