package load_test

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"p4p"
	"p4p/embedded"
	"p4p/load"
	"p4p/refapp"
	"p4p/reports"
)

// pipeline is an embedded pipeline run by the test, so that the mock's
// own counts can be read.
type pipeline struct {
	*embedded.Pipeline
}

// startPipeline starts the mock with delay and the reference endpoint,
// with fault, over 20 synthetic users; opts may change more.
func startPipeline(t *testing.T, delay p4p.Delay, fault string, opts ...embedded.Option) *pipeline {
	t.Helper()
	p, err := embedded.Start(t.Context(), append([]embedded.Option{embedded.WithNetwork(testNetwork), embedded.WithKey(testKey),
		embedded.WithUsers(refapp.SyntheticUsers(20)), embedded.WithDelay(delay), embedded.WithFault(fault),
		embedded.WithBootstrapRefresh(testBootstrapRefresh)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return &pipeline{p}
}

func (p *pipeline) scenario(t *testing.T, rate string, d time.Duration, slos ...string) load.Scenario {
	t.Helper()
	r, err := load.ParseRate(rate)
	if err != nil {
		t.Fatal(err)
	}
	return load.Scenario{Kind: load.Propagation, Livefyre: p.LivefyreURL, PullURL: p.PullURL, Network: testNetwork,
		Key: testKey, UserCount: 20, Rate: r, Duration: load.Duration(d), Drain: load.Duration(30 * time.Second),
		SLOs: slos, ReportDir: t.TempDir()}
}

// metric reads a sample of the mock's Prometheus metrics.
func (p *pipeline) metric(t *testing.T, series string) int64 {
	t.Helper()
	resp, err := http.Get(p.LivefyreURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if name, value, ok := strings.Cut(sc.Text(), " "); ok && name == series {
			v, err := strconv.ParseFloat(value, 64)
			if err != nil {
				t.Fatal(err)
			}
			return int64(v)
		}
	}
	return 0
}

// TestPropagationCountsMatchTheMock: with a delay before each pull, pings
// for the same user coalesce; every acknowledged ping is updated, and
// the harness's counts are the mock's.
func TestPropagationCountsMatchTheMock(t *testing.T) {
	var p *pipeline
	l, s := runHealthy(t, func() load.Scenario {
		p = startPipeline(t, p4p.Delay{Min: 200 * time.Millisecond, Max: 400 * time.Millisecond}, "")
		return p.scenario(t, "100/s", 2*time.Second, "lost==0", "failed==0", "within_promise==100%")
	})
	pr := l.Propagation
	queued, coalesced := p.metric(t, `p4p_pings_total{result="queued"}`), p.metric(t, `p4p_pings_total{result="coalesced"}`)
	if pr.Acknowledged != queued+coalesced || pr.Coalesced != coalesced {
		t.Errorf("acknowledged %d (coalesced %d); the mock acknowledged %d (coalesced %d)", pr.Acknowledged, pr.Coalesced, queued+coalesced, coalesced)
	}
	if pr.Coalesced == 0 {
		t.Error("no ping coalesced, though 20 users were pinged 100 times a second with a 200ms delay")
	}
	if got := p.metric(t, `p4p_pulls_total{outcome="succeeded"}`); pr.Pulls.Succeeded != got {
		t.Errorf("pulls succeeded: %d seen, the mock counted %d", pr.Pulls.Succeeded, got)
	}
	if pr.Updated != pr.Acknowledged || pr.Lost != 0 || pr.Failed != 0 || pr.Pings != l.Requests.Total {
		t.Errorf("propagation %+v", pr)
	}
	// A coalesced ping can be updated at once, when it joins a pull about
	// to start; a ping that queues a pull waits for the delay.
	if pr.Latency.Count != pr.Updated || pr.Latency.Max < 200 {
		t.Errorf("ping-to-update %+v: want one per update, some after the 200ms delay", pr.Latency)
	}
	checkReportFiles(t, s.ReportDir, testKey)
}

// TestPropagationCountsFailures: an endpoint refusing Livefyre's tokens
// makes every pull fail for good; each ping is failed, none lost.
func TestPropagationCountsFailures(t *testing.T) {
	p := startPipeline(t, p4p.Delay{}, string(refapp.FaultRequireIAT))
	s := p.scenario(t, "50/s", time.Second, "failed==0")
	l, err := load.Run(context.Background(), s, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pr := l.Propagation
	if pr.Failed != pr.Acknowledged || pr.Lost != 0 || pr.Updated != 0 {
		t.Errorf("propagation %+v: want every ping failed", pr)
	}
	if got := p.metric(t, `p4p_pulls_total{outcome="failed"}`); pr.Pulls.Failed != got {
		t.Errorf("pulls failed: %d seen, the mock counted %d", pr.Pulls.Failed, got)
	}
	if l.Passed {
		t.Error("failed==0 held with every pull failing")
	}
	if errorCount(l, "pull") != pr.Failed {
		t.Errorf("pull errors %d, want %d", errorCount(l, "pull"), pr.Failed)
	}
}

// TestPropagationEmbedded runs the propagation scenario on its embedded
// default, as make load does, with Livefyre's delay scaled down.
func TestPropagationEmbedded(t *testing.T) {
	r, _ := load.ParseRate("50/s")
	s := load.Scenario{Kind: load.Propagation, Rate: r, Duration: load.Duration(time.Second), Delay: "1m-2m",
		TimeScale: 600, SLOs: []string{"lost==0", "visible_within_promise>=99%", "not_visible==0", "visible_p99<1ms"},
		ReportDir: t.TempDir()}
	l, err := load.Run(context.Background(), s, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pr := l.Propagation
	checkVisible(t, l, 2000)
	if pr.Lost != 0 || pr.Updated != pr.Acknowledged || pr.Acknowledged != l.Requests.Total {
		t.Errorf("propagation %+v", pr)
	}
	if pr.PromiseMS != 1000 || pr.TimeScale != 600 {
		t.Errorf("promise %vms at time scale %v, want 1000ms at 600", pr.PromiseMS, pr.TimeScale)
	}
	if pr.Latency.Max < 100 {
		t.Errorf("ping-to-update max %vms, under the scaled delay of 100ms", pr.Latency.Max)
	}
}

// checkVisible checks a propagation run on the embedded default at time
// scale 600: every update shown by a bootstrap refresh (0.5-1s) within
// the combined promise of promiseMS, never before it was stored, and the
// run's SLOs as listed in TestPropagationEmbedded: the impossible one on
// ping-to-visible fails, the others pass.
func checkVisible(t *testing.T, l *reports.Load, promiseMS float64) {
	t.Helper()
	pr := l.Propagation
	t.Logf("ping to update p50 %.0fms p99 %.0fms; ping to visible p50 %.0fms p99 %.0fms; %.2f%% within %.0fms",
		pr.Latency.P50, pr.Latency.P99, pr.Visible.P50, pr.Visible.P99, 100*pr.WithinVisiblePromise, pr.VisiblePromiseMS)
	if pr.VisiblePromiseMS != promiseMS {
		t.Errorf("visible promise %vms, want %vms (1s for the pull, 1s for the bootstrap cadence)", pr.VisiblePromiseMS, promiseMS)
	}
	if pr.Visible.Count != pr.Updated || pr.NotVisible != 0 {
		t.Errorf("%d visible, %d not visible, of %d updated; want all visible", pr.Visible.Count, pr.NotVisible, pr.Updated)
	}
	if pr.WithinVisiblePromise < 0.99 || pr.WithinVisiblePromise > 1 {
		t.Errorf("within the visible promise %v, want in [0.99, 1]", pr.WithinVisiblePromise)
	}
	for _, c := range []struct {
		name            string
		update, visible float64
	}{{"min", pr.Latency.Min, pr.Visible.Min}, {"p50", pr.Latency.P50, pr.Visible.P50},
		{"p99", pr.Latency.P99, pr.Visible.P99}, {"max", pr.Latency.Max, pr.Visible.Max}} {
		if c.visible < c.update {
			t.Errorf("ping-to-visible %s %vms below ping-to-update's %vms", c.name, c.visible, c.update)
		}
	}
	want := map[string]bool{"lost==0": true, "visible_within_promise>=99%": true, "not_visible==0": true, "visible_p99<1ms": false}
	for _, r := range l.SLOs {
		if r.Passed != want[r.Expr] {
			t.Errorf("SLO %s passed %v, want %v: %s", r.Expr, r.Passed, want[r.Expr], r.Message)
		}
	}
	if len(l.SLOs) != len(want) || l.Passed {
		t.Errorf("%d SLOs judged, run passed %v; want %d and a failed run", len(l.SLOs), l.Passed, len(want))
	}
}

// TestSoakReportsDrift runs a short soak with one-second windows.
func TestSoakReportsDrift(t *testing.T) {
	l, _ := runHealthy(t, func() load.Scenario {
		s := pullScenario(t, startEndpoint(t, "", 20, 0), "50/s", 3*time.Second, "p99_drift<1000", "error_drift<=0%")
		s.Kind, s.Window = load.Soak, load.Duration(time.Second)
		return s
	})
	if l.Drift == nil || l.Drift.WindowMS != 1000 || l.Drift.P99Ratio <= 0 || l.Of != "pull" {
		t.Fatalf("drift %+v of %q", l.Drift, l.Of)
	}
}
