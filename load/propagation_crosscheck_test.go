package load_test

import (
	"cmp"
	"context"
	"math"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p"
	"p4p/embedded"
	"p4p/livefyre"
	"p4p/load"
	"p4p/mockserver"
	"p4p/reports"
)

// mockUpdates follows the mock's /events on its own and keeps the mock's
// own ping-to-update latency of every stored update.
type mockUpdates struct {
	mu      sync.Mutex
	latency map[string][]float64 // user id → ms
}

func followMock(t *testing.T, m *mockserver.Server) *mockUpdates {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &livefyre.Client{BaseURL: m.URL, Network: testNetwork, Key: testKey}
	s, err := c.Events(ctx)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	u := &mockUpdates{latency: map[string][]float64{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range s.C {
			if ev.Type == livefyre.ProfileUpdated {
				u.mu.Lock()
				u.latency[ev.UserID] = append(u.latency[ev.UserID], ev.LatencyMS)
				u.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() { cancel(); s.Close(); <-done })
	return u
}

func (u *mockUpdates) all() []float64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []float64
	for _, ls := range u.latency {
		out = append(out, ls...)
	}
	sort.Float64s(out)
	return out
}

func startMock(t *testing.T, cfg mockserver.Config) *mockserver.Server {
	t.Helper()
	cfg.Network, cfg.Key = testNetwork, testKey
	cfg.BootstrapRefresh = cmp.Or(cfg.BootstrapRefresh, testBootstrapRefresh)
	m, err := mockserver.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// acked counts the pings results.bin shows acknowledged, by user.
func acked(raw []vegeta.Result) map[string]int64 {
	user := regexp.MustCompile(`/user/([^/]+)/refresh`)
	out := map[string]int64{}
	for _, r := range raw {
		if m := user.FindStringSubmatch(r.URL); m != nil && r.Code == 200 && r.Error == "" {
			out[m[1]]++
		}
	}
	return out
}

// TestPropagationOutcomesSplit: against an endpoint that never answers
// for one user and answers another after 1.5s, with a 1s promise, the
// first user's pings are lost, the second's updated late, and the rest
// updated within the promise; the counts are those of the raw results,
// and the ping-to-update latencies are no less than the mock's own.
func TestPropagationOutcomesSplit(t *testing.T) {
	users := ids(10)
	m := startMock(t, mockserver.Config{PullTimeout: time.Minute})
	updates := followMock(t, m)
	e := startFaultyEndpoint(t, users, 1500*time.Millisecond, func(id string, _ time.Duration) behaviour {
		return map[string]behaviour{"c-01": hang, "c-02": slow}[id]
	})
	s := load.Scenario{Kind: load.Propagation, Livefyre: m.URL, PullURL: e.URL, Network: testNetwork, Key: testKey,
		Users: users, Rate: load.Rate{Freq: 20, Per: time.Second}, Duration: load.Duration(time.Second),
		Promise: load.Duration(time.Second), Drain: load.Duration(4 * time.Second), ReportDir: t.TempDir()}
	l, err := load.Run(context.Background(), s, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pr := l.Propagation
	t.Logf("propagation %+v", *pr)
	byUser := acked(readRaw(t, filepath.Join(s.ReportDir, load.RawResults)))
	var all int64
	for _, n := range byUser {
		all += n
	}
	fast := all - byUser["c-01"] - byUser["c-02"]
	for _, c := range []struct {
		name      string
		got, want int64
	}{
		{"acknowledged", pr.Acknowledged, all},
		{"lost", pr.Lost, byUser["c-01"]},
		{"updated", pr.Updated, all - byUser["c-01"]},
		{"failed", pr.Failed, 0},
		{"rejected", pr.Rejected, pr.Pings - all},
		{"pulls succeeded", pr.Pulls.Succeeded, int64(len(updates.all()))},
	} {
		if c.got != c.want {
			t.Errorf("%s: summary %d, want %d (acknowledged by user %v)", c.name, c.got, c.want, byUser)
		}
	}
	if byUser["c-01"] == 0 || byUser["c-02"] == 0 {
		t.Fatalf("acknowledged by user %v; want pings for c-01 and c-02", byUser)
	}
	if want := float64(fast) / float64(all); !near(pr.WithinPromise, want, 1e-9) {
		t.Errorf("within_promise %v, want the %d fast users' pings of %d = %v", pr.WithinPromise, fast, all, want)
	}
	checkAgainstMock(t, pr, updates.all())
	checkUpdateSeries(t, l)
}

// checkUpdateSeries: the windows hold every update, and with fewer than
// 50 in each a window's p99 is its slowest, so the slowest window's is
// the run's maximum, to the windows' 2 significant digits.
func checkUpdateSeries(t *testing.T, l *reports.Load) {
	t.Helper()
	var updates int64
	var p99 float64
	for _, w := range l.Series {
		updates += w.Updates
		p99 = max(p99, w.PropagationP99)
		if w.Updates >= 50 {
			t.Fatalf("a window of %d updates; want fewer than 50", w.Updates)
		}
	}
	pr := l.Propagation
	if updates != pr.Updated {
		t.Errorf("the series holds %d updates, want %d", updates, pr.Updated)
	}
	if math.Abs(p99-pr.Latency.Max) > pr.Latency.Max*0.01+1e-3 {
		t.Errorf("the slowest window's ping-to-update p99 is %.3fms, the run's max %.3fms", p99, pr.Latency.Max)
	}
}

// checkAgainstMock: the harness times a ping from before it is sent to
// after the update is seen on /events, the mock from receiving the ping
// to storing the update, so with no ping coalesced each of the harness's
// order statistics is at least the mock's, and not much more.
func checkAgainstMock(t *testing.T, pr *reports.Propagation, mock []float64) {
	t.Helper()
	if len(mock) == 0 {
		t.Fatal("the mock stored no update")
	}
	const slack = 1e-3 // HDR's 3 digits
	if pr.Latency.Max < mock[len(mock)-1]*(1-slack) {
		t.Errorf("ping-to-update max %.3fms, under the mock's own %.3fms", pr.Latency.Max, mock[len(mock)-1])
	}
	if pr.Latency.Max > mock[len(mock)-1]+1000 {
		t.Errorf("ping-to-update max %.3fms, a second past the mock's own %.3fms", pr.Latency.Max, mock[len(mock)-1])
	}
	if pr.Coalesced != 0 || int64(len(mock)) != pr.Updated {
		return
	}
	rank := func(q float64) float64 { return mock[min(max(int(q*float64(len(mock))+0.5), 1), len(mock))-1] }
	for _, c := range []struct {
		name string
		got  float64
		q    float64
	}{{"min", pr.Latency.Min, 0}, {"p50", pr.Latency.P50, 0.5}, {"p90", pr.Latency.P90, 0.9}, {"p99", pr.Latency.P99, 0.99}} {
		if want := rank(c.q); c.got < want*(1-slack)-1e-3 {
			t.Errorf("ping-to-update %s %.3fms, under the mock's own %.3fms", c.name, c.got, want)
		}
	}
}

// TestPropagationRejectedAndQueued: a mock that holds each pull 1.5s
// and queues at most two turns the other pings away with 429; the
// harness counts them as the mock does, sees the queue, and prints its
// progress line every second.
func TestPropagationRejectedAndQueued(t *testing.T) {
	ra := startEndpoint(t, "", 20, 0)
	p := startPipeline(t, p4p.Delay{Min: 1500 * time.Millisecond, Max: 1500 * time.Millisecond}, "",
		embedded.WithPullURL(ra.URL), embedded.WithMaxQueued(2))
	s := p.scenario(t, "20/s", 2500*time.Millisecond)
	s.PullURL, s.Drain = ra.URL, load.Duration(5*time.Second)
	progress := &lockedBuffer{}
	l, err := load.Run(context.Background(), s, load.Options{Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	pr := l.Propagation
	t.Logf("propagation %+v", *pr)
	full := p.metric(t, `p4p_ping_rejections_total{reason="full"}`)
	if full == 0 || pr.Rejected != full || int64(l.Status["429"]) != full || pr.Acknowledged+pr.Rejected != pr.Pings {
		t.Errorf("rejected %d, status 429 %d; the mock turned away %d (%+v)", pr.Rejected, l.Status["429"], full, pr)
	}
	if pr.Lost != 0 || pr.Updated != pr.Acknowledged {
		t.Errorf("propagation %+v: want every acknowledged ping updated", pr)
	}
	if pr.MaxQueuePending < 1 || pr.MaxQueuePending > 2 {
		t.Errorf("max_queue_pending %d, want 1 or 2 with pulls held 1.5s and at most 2 queued", pr.MaxQueuePending)
	}
	var sampled int64
	for _, w := range l.Series {
		sampled = max(sampled, w.QueuePending)
	}
	if sampled != pr.MaxQueuePending {
		t.Errorf("the series' deepest queue %d, the summary's %d", sampled, pr.MaxQueuePending)
	}
	checkProgress(t, progress.String(), `  queue \d+\+\d+  awaiting \d+`)
}

// progressLine is the documented progress line: elapsed/total, requests
// sent and the rate against the target, valid responses, p99, failures.
const progressLine = `^\[\d+s/\d+(\.\d+)?s\] sent \d+ \(\d+\.\d/s, target [^)]+\)  valid \d+  p99 \S+  failed \d+`

// checkProgress checks that out holds at least two progress lines, each
// as documented with more after it.
func checkProgress(t *testing.T, out, more string) {
	t.Helper()
	line := regexp.MustCompile(progressLine + more + `$`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("%d progress lines, want at least 2 in a run of over 2s:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("progress line %q does not match %s", l, line)
		}
	}
}

// lockedBuffer is an io.Writer safe for the progress goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
