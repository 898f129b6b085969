package load

import (
	"p4p"

	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p/profile"
	"p4p/refapp"
	"p4p/reports"
)

func TestExpectedHits(t *testing.T) {
	tests := []struct {
		name string
		p    vegeta.Pacer
		d    time.Duration
		want float64
	}{
		{"constant", vegeta.Rate{Freq: 500, Per: time.Second}, 5 * time.Minute, 150_000},
		{"per minute", vegeta.Rate{Freq: 50, Per: time.Minute}, 10 * time.Minute, 500},
		// From 100/s to 300/s over 60s: the mean, 200/s, for 60s.
		{"linear", vegeta.LinearPacer{StartAt: vegeta.Rate{Freq: 100, Per: time.Second}, Slope: 200.0 / 60}, time.Minute, 12_000},
		// Whole waves average to the mean.
		{"sine", vegeta.SinePacer{Period: 10 * time.Second, Mean: vegeta.Rate{Freq: 100, Per: time.Second},
			Amp: vegeta.Rate{Freq: 50, Per: time.Second}, StartAt: vegeta.MeanUp}, time.Minute, 6_000},
	}
	for _, tt := range tests {
		if got := expectedHits(tt.p, tt.d); math.Abs(got-tt.want) > 0.5 {
			t.Errorf("%s: expectedHits = %.2f, want %v", tt.name, got, tt.want)
		}
	}
}

func TestWindowWidth(t *testing.T) {
	for _, tt := range []struct{ span, want time.Duration }{
		{time.Second, time.Second}, {5 * time.Minute, time.Second},
		{5*time.Minute + time.Second, 2 * time.Second}, {time.Hour, 12 * time.Second}, {MaxDuration, 2016 * time.Second},
	} {
		if got := windowWidth(tt.span); got != tt.want {
			t.Errorf("windowWidth(%s) = %s, want %s", tt.span, got, tt.want)
		}
	}
}

func TestDistribution(t *testing.T) {
	d := newDistribution(10*time.Second, runDigits)
	for i := 1; i <= 1000; i++ {
		d.record(time.Duration(i) * time.Millisecond)
	}
	d.record(time.Hour) // over the ceiling: counted at it
	p := d.percentiles()
	near := func(got, want float64) bool { return math.Abs(got-want) <= want*0.005 } // 3 digits, and the rank
	if p.Count != 1001 || !near(p.P50, 500) || !near(p.P99, 990) || !near(p.Max, 10000) || d.clamped != 1 {
		t.Errorf("percentiles %+v, clamped %d", p, d.clamped)
	}
	var n int64
	for _, b := range d.buckets(30) {
		n += b.Count
	}
	if n != 1001 {
		t.Errorf("buckets hold %d values, want 1001", n)
	}
	if got := newDistribution(time.Second, runDigits).percentiles(); got != (reports.Percentiles{}) {
		t.Errorf("empty distribution: %+v", got)
	}
}

// TestTrackerMatchesPingsToPulls: coalesced pings end with their pull,
// an update seen before its ping's answer still counts, and what never
// ends is lost.
func TestTrackerMatchesPingsToPulls(t *testing.T) {
	t0 := time.Now()
	var updates int
	tr := newTracker(time.Second, 2*time.Second, time.Hour, func(time.Time, time.Duration) { updates++ })
	tr.ack("p1", "u", t0, false)
	tr.ack("p1", "u", t0.Add(100*time.Millisecond), true)
	tr.ended("p2", ending{at: t0.Add(50 * time.Millisecond)}) // before its ping's answer
	tr.ack("p2", "u", t0.Add(10*time.Millisecond), false)
	tr.ack("p3", "u", t0, false)
	tr.ack("p4", "u", t0, false)
	tr.ended("p1", ending{at: t0.Add(2 * time.Second)})
	tr.ended("p3", ending{at: t0.Add(time.Second), failed: true, reason: "status 500"})
	tr.ended("p9", ending{at: t0}) // another client's pull
	var p reports.Propagation
	tr.fill(&p)
	want := reports.Propagation{Acknowledged: 5, Coalesced: 1, Updated: 3, Failed: 1, Lost: 1}
	if p.Acknowledged != want.Acknowledged || p.Coalesced != want.Coalesced || p.Updated != want.Updated ||
		p.Failed != want.Failed || p.Lost != want.Lost || updates != 3 {
		t.Errorf("got %+v (%d updates), want %+v", p, updates, want)
	}
	// Within the 1s promise: only p2's ping (40ms); p1's took 2s and 1.9s.
	if math.Abs(p.WithinPromise-1.0/5) > 1e-9 {
		t.Errorf("within promise %v, want 1/5", p.WithinPromise)
	}
	tr.forget(t0.Add(time.Hour))
	if len(tr.early) != 0 || len(tr.earlyLog) != 0 {
		t.Errorf("early endings kept after their time: %v", tr.early)
	}
}

// TestTrackerSettlesEarlierPulls: a user's stored update settles that
// user's earlier pulls still waiting (their ends fell in a gap), and no
// one else's; a failure settles nothing but itself.
func TestTrackerSettlesEarlierPulls(t *testing.T) {
	t0 := time.Now()
	tr := newTracker(time.Second, 2*time.Second, time.Hour, func(time.Time, time.Duration) {})
	tr.ack("10", "u", t0, false)
	tr.ack("12", "u", t0, false)
	tr.ack("12", "u", t0, true)
	tr.ack("11", "v", t0, false)
	tr.ack("13", "u", t0, false)
	tr.ack("20", "w", t0, false)
	tr.ack("21", "w", t0, false)
	tr.ended("13", ending{at: t0.Add(time.Second)})                                     // settles u's 10 and 12, not v's 11
	tr.ended("21", ending{at: t0.Add(time.Second), failed: true, reason: "status 500"}) // settles nothing else
	var p reports.Propagation
	tr.fill(&p)
	if p.Updated != 4 || p.Reconciled != 3 || p.Failed != 1 || p.Lost != 2 {
		t.Errorf("updated %d (reconciled %d), failed %d, lost %d; want 4 (3), 1, 2", p.Updated, p.Reconciled, p.Failed, p.Lost)
	}
	if w := tr.waitingPulls(); len(w) != 2 || w["11"] != "v" || w["20"] != "w" {
		t.Errorf("still waiting %v, want v's 11 and w's 20", w)
	}
}

func TestTransportKind(t *testing.T) {
	for msg, want := range map[string]string{
		"dial tcp 127.0.0.1:9: connect: connection refused":                          "connection refused",
		"read tcp 127.0.0.1:50312->127.0.0.1:8080: read: connection reset by peer":   "connection reset",
		"context deadline exceeded (Client.Timeout exceeded while awaiting headers)": "timeout",
		"something odd at 10.0.0.1:443 and [::1]:80":                                 "something odd at ADDR and ADDR",
	} {
		if got := transportKind(msg); got != want {
			t.Errorf("transportKind(%q) = %q, want %q", msg, got, want)
		}
	}
}

func TestTransportVerdictDropsTheURL(t *testing.T) {
	r := &vegeta.Result{Method: "GET", Error: `GET "http://h/pull?id=u&lftoken=SECRET": dial tcp 127.0.0.1:1: connect: connection refused`}
	v := transportVerdict(r)
	if strings.Contains(v.detail, "SECRET") || v.kind != "connection refused" {
		t.Errorf("verdict %+v", v)
	}
}

func TestPullVerdict(t *testing.T) {
	v, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := json.Marshal(refapp.SyntheticUsers(1)[0])
	id := refapp.SyntheticUsers(1)[0].ID
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	tests := []struct {
		name  string
		r     vegeta.Result
		class string
	}{
		{"valid", vegeta.Result{Code: 200, Headers: jsonHeader, Body: good}, ""},
		{"no response", vegeta.Result{Error: "connection refused"}, classTransport},
		{"503", vegeta.Result{Code: 503, Headers: jsonHeader}, classStatus},
		{"redirect", vegeta.Result{Code: 302, Headers: jsonHeader}, classStatus},
		{"html", vegeta.Result{Code: 200, Headers: http.Header{"Content-Type": {"text/html"}}, Body: good}, classContentType},
		{"truncated", vegeta.Result{Code: 200, Headers: jsonHeader, Body: good[:len(good)/2]}, classJSON},
		{"array", vegeta.Result{Code: 200, Headers: jsonHeader, Body: []byte(`[]`)}, classJSON},
		{"no display_name", vegeta.Result{Code: 200, Headers: jsonHeader, Body: []byte(`{"id":"` + id + `"}`)}, classSchema},
		{"other id", vegeta.Result{Code: 200, Headers: jsonHeader, Body: []byte(`{"id":"x","display_name":"X"}`)}, classIDMismatch},
	}
	for _, tt := range tests {
		if got := pullVerdict(v, &tt.r, id); got.class != tt.class {
			t.Errorf("%s: class %q (%s), want %q", tt.name, got.class, got.detail, tt.class)
		}
	}
}

func TestPullTargetsRoundTrip(t *testing.T) {
	ids := []string{"u-1", "a.b_c", "x"}
	for _, template := range []string{"http://h/pull?id={id}", "http://h/users/{id}/profile", "http://h/p?x=1&id={id}#frag", "http://h/p?id=%7Bid%7D"} {
		tg := newPullTargets(template, ids, "TOKEN+/=")
		tr := tg.targeter()
		for i := range 2 * len(ids) {
			var tgt vegeta.Target
			if err := tr(&tgt); err != nil {
				t.Fatal(err)
			}
			n, shown, ok := tg.user(tgt.URL)
			if !ok || ids[n] != ids[i%len(ids)] || strings.Contains(shown, "TOKEN") || !strings.HasSuffix(shown, "lftoken="+p4p.Redacted) {
				t.Errorf("%s: user(%q) = %d, %q, %v", template, tgt.URL, n, shown, ok)
			}
		}
		if _, _, ok := tg.user("http://elsewhere/"); ok {
			t.Errorf("%s: a URL the run did not send was recognised", template)
		}
	}
}

// TestValidBodies: a body validated once is known again only when it is
// the same to the byte; a changed body, a bad status or a bad
// Content-Type is judged afresh.
func TestValidBodies(t *testing.T) {
	v, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	u := refapp.SyntheticUsers(1)[0]
	good, _ := json.Marshal(u)
	bad := []byte(`{"id":"` + u.ID + `"}`)
	h := http.Header{"Content-Type": {"application/json"}}
	m := newValidBodies(1)
	for i, tt := range []struct {
		r     vegeta.Result
		class string
	}{
		{vegeta.Result{Code: 200, Headers: h, Body: good}, ""},
		{vegeta.Result{Code: 200, Headers: h, Body: good}, ""},
		{vegeta.Result{Code: 200, Headers: h, Body: bad}, classSchema},
		{vegeta.Result{Code: 200, Headers: h, Body: append(append([]byte{}, good...), ' ')}, ""},
		{vegeta.Result{Code: 500, Headers: h, Body: good}, classStatus},
		{vegeta.Result{Code: 200, Headers: http.Header{"Content-Type": {"text/html"}}, Body: good}, classContentType},
		{vegeta.Result{Code: 200, Headers: h, Body: good}, ""},
	} {
		if got := m.judge(v, &tt.r, 0, u.ID); got.class != tt.class {
			t.Errorf("response %d: class %q, want %q", i, got.class, tt.class)
		}
	}
}
