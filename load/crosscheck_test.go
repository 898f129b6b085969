package load_test

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p/load"
	"p4p/reports"
)

// ids are n user ids c-01, c-02, ….
func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("c-%02d", i+1)
	}
	return out
}

// TestPullSummaryMatchesTheServer checks every figure of summary.json
// for a run against an endpoint that answers some users with 503, cuts
// the connection of others mid-answer or with a malformed answer, and
// answers the rest: against what the endpoint counted, and against the
// raw results decoded on their own.
func TestPullSummaryMatchesTheServer(t *testing.T) {
	users := ids(20)
	behave := map[string]behaviour{"c-03": truncate, "c-07": garbage, "c-05": status503, "c-11": status503}
	var e *faultyEndpoint
	l, s := runHealthy(t, func() load.Scenario {
		e = startFaultyEndpoint(t, users, 1500*time.Millisecond, func(id string, _ time.Duration) behaviour { return behave[id] })
		return load.Scenario{Kind: load.Pull, PullURL: e.URL, Network: testNetwork, Key: testKey, Users: users,
			Rate: load.Rate{Freq: 100, Per: time.Second}, Duration: load.Duration(2 * time.Second), ReportDir: t.TempDir()}
	})
	requests, did, bytesOut, bytesIn, _ := e.counts()
	r := l.Requests
	cut := int64(did[truncate] + did[garbage])
	if did[truncate] == 0 || did[garbage] == 0 || did[status503] == 0 {
		t.Fatalf("the endpoint did %v; want some of each fault", did)
	}
	checks := []struct {
		name      string
		got, want int64
	}{
		{"requests", r.Total, int64(requests)},
		{"transport_errors", r.TransportErrors, cut},
		{"invalid", r.Invalid, int64(did[status503])},
		{"valid", r.Valid, int64(did[answer])},
		{"status 200", int64(l.Status["200"]), int64(did[answer])},
		{"status 503", int64(l.Status["503"]), int64(did[status503])},
		{"status 0", int64(l.Status["0"]), cut},
		{"transport errors by class", errorCount(l, "transport"), cut},
		{"status errors by class", errorCount(l, "status"), int64(did[status503])},
		{"bytes_in", r.BytesIn, bytesOut},
		{"bytes_out", r.BytesOut, bytesIn},
		{"rate.sent", l.Rate.Sent, int64(requests)},
		{"rate.expected", l.Rate.Expected, 200},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: summary %d, the endpoint %d", c.name, c.got, c.want)
		}
	}
	raw := readRaw(t, filepath.Join(s.ReportDir, load.RawResults))
	checkRatios(t, l, raw)
	checkPercentiles(t, "latency", l.Latency, latencies(raw))
}

// checkRatios checks the ratios of the summary against its counts and
// the raw results' timestamps.
func checkRatios(t *testing.T, l *reports.Load, raw []vegeta.Result) {
	t.Helper()
	r := l.Requests
	if want := float64(r.Valid) / float64(r.Total); !near(r.Success, want, 1e-9) {
		t.Errorf("success %v, want valid/requests = %v", r.Success, want)
	}
	if want := float64(l.Rate.Sent) / float64(l.Rate.Expected); !near(l.Rate.Ratio, want, 1e-9) {
		t.Errorf("achieved ratio %v, want sent/scheduled = %v", l.Rate.Ratio, want)
	}
	if want := float64(l.Rate.Sent) / (l.PlannedMS / 1000); !near(l.Rate.Achieved, want, 1e-9) {
		t.Errorf("achieved %v/s, want sent/planned = %v/s", l.Rate.Achieved, want)
	}
	first, last := raw[0].Timestamp, raw[0].End()
	for _, res := range raw {
		if res.Timestamp.Before(first) {
			first = res.Timestamp
		}
		if res.End().After(last) {
			last = res.End()
		}
	}
	// The raw timestamps lose the monotonic clock: a millisecond of slack.
	elapsed := last.Sub(first).Seconds()
	lo, hi := float64(r.Valid)/(elapsed+1e-3), float64(r.Valid)/max(elapsed-1e-3, 1e-9)
	if r.Throughput < lo || r.Throughput > hi {
		t.Errorf("throughput %v/s, want valid/elapsed = %d/%.4fs", r.Throughput, r.Valid, elapsed)
	}
}

// latencies are the raw results' latencies, as the harness records them:
// whole microseconds, at least one.
func latencies(raw []vegeta.Result) []int64 {
	out := make([]int64, len(raw))
	for i, r := range raw {
		out[i] = max(r.Latency.Microseconds(), 1)
	}
	return out
}

// checkPercentiles checks HDR percentiles against the exact ones of the
// values (µs): within the histogram's 3 significant digits (0.1%) and a
// microsecond of rounding. An HDR percentile is the value at the rank
// ⌊q·n+½⌋, reported as the top of its bucket.
func checkPercentiles(t *testing.T, what string, got reports.Percentiles, us []int64) {
	t.Helper()
	if int64(len(us)) != got.Count {
		t.Fatalf("%s: %d values, the summary counts %d", what, len(us), got.Count)
	}
	sort.Slice(us, func(i, j int) bool { return us[i] < us[j] })
	at := func(q float64) float64 {
		rank := min(max(int(q*float64(len(us))+0.5), 1), len(us))
		return float64(us[rank-1]) / 1000
	}
	var sum float64
	for _, v := range us {
		sum += float64(v)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"min", got.Min, float64(us[0]) / 1000}, {"max", got.Max, float64(us[len(us)-1]) / 1000},
		{"mean", got.Mean, sum / float64(len(us)) / 1000},
		{"p50", got.P50, at(0.5)}, {"p90", got.P90, at(0.9)}, {"p95", got.P95, at(0.95)},
		{"p99", got.P99, at(0.99)}, {"p999", got.P999, at(0.999)},
	} {
		if math.Abs(c.got-c.want) > c.want*1e-3+1e-3 {
			t.Errorf("%s %s: summary %.3fms, the raw latencies %.3fms", what, c.name, c.got, c.want)
		}
	}
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol*max(math.Abs(want), 1) }

// TestSoakDriftMatchesItsWindows: an endpoint that, after its first
// second, answers 20ms later and with 503 for a quarter of the users
// drifts; the drift is the one the report's own one-second windows show.
func TestSoakDriftMatchesItsWindows(t *testing.T) {
	users := ids(8)
	var e *faultyEndpoint
	l, _ := runHealthy(t, func() load.Scenario {
		e = startFaultyEndpoint(t, users, 20*time.Millisecond, func(id string, since time.Duration) behaviour {
			switch {
			case since < time.Second:
				return answer
			case id == "c-01" || id == "c-02":
				return status503
			default:
				return slow
			}
		})
		return load.Scenario{Kind: load.Soak, Of: load.Pull, PullURL: e.URL, Network: testNetwork, Key: testKey,
			Users: users, Rate: load.Rate{Freq: 20, Per: time.Second}, Duration: load.Duration(3 * time.Second),
			Window: load.Duration(time.Second), ReportDir: t.TempDir()}
	})
	_, did, _, _, _ := e.counts()
	if got := sumErrors(l.Series); got != int64(did[status503]) || got == 0 {
		t.Errorf("the series holds %d errors, the endpoint answered 503 %d times", got, did[status503])
	}
	// The drift compares the first window with the last full one: the
	// last with requests before the one the last request started in. The
	// series' windows are the same seconds, their percentiles to 2
	// significant digits.
	var started []reports.Window
	for _, w := range l.Series {
		if w.Requests > 0 {
			started = append(started, w)
		}
	}
	if len(started) < 3 || l.Drift == nil {
		t.Fatalf("%d windows with requests, drift %+v; want at least 3 and a drift", len(started), l.Drift)
	}
	first, last := started[0], started[len(started)-2]
	rate := func(w reports.Window) float64 { return float64(w.Errors) / float64(w.Requests) }
	if want := rate(last) - rate(first); math.Abs(l.Drift.ErrorRateDelta-want) > 0.06 || want < 0.1 {
		t.Errorf("error_rate_delta %.3f, the windows say %.3f - %.3f = %.3f", l.Drift.ErrorRateDelta, rate(last), rate(first), want)
	}
	if want := last.P99 / first.P99; !near(l.Drift.P99Ratio, want, 0.03) {
		t.Errorf("p99_ratio %.3f, the windows say %.3fms / %.3fms = %.3f", l.Drift.P99Ratio, last.P99, first.P99, want)
	}
}

func sumErrors(ws []reports.Window) int64 {
	var n int64
	for _, w := range ws {
		n += w.Errors
	}
	return n
}
