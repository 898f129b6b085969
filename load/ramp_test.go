package load_test

import (
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p/load"
)

// scheduled is how many hits Vegeta's attack loop sends with pacer p in
// d, machine stalls aside: it asks the pacer, sleeps what it says and
// hits when it says 0, until more than d has passed.
func scheduled(p vegeta.Pacer, d time.Duration) int64 {
	var hits uint64
	var elapsed time.Duration
	for elapsed <= d {
		wait, stop := p.Pace(elapsed, hits)
		if stop {
			break
		}
		if wait > 0 {
			elapsed += wait
			continue
		}
		hits++
	}
	return int64(hits)
}

// TestRampsFollowThePacer runs the linear and sine ramps for real: the
// requests sent, and those the endpoint saw, are the hits Vegeta's own
// pacer schedules, give or take the last partial tick (and the 1% a
// stalled machine may drop without failing the run).
func TestRampsFollowThePacer(t *testing.T) {
	per := func(n int) load.Rate { return load.Rate{Freq: n, Per: time.Second} }
	sec := func(n int) vegeta.Rate { return vegeta.Rate{Freq: n, Per: time.Second} }
	const d = 2 * time.Second
	tests := []struct {
		name  string
		ramp  string
		set   func(*load.Scenario)
		pacer vegeta.Pacer
	}{
		{"linear 50/s to 150/s", "linear", func(s *load.Scenario) { s.Ramp, s.Rate, s.RampTo = load.Linear, per(50), per(150) },
			vegeta.LinearPacer{StartAt: sec(50), Slope: 50}},
		{"sine 100/s ± 50/s every 1s", "sine", func(s *load.Scenario) {
			s.Ramp, s.Rate, s.Amplitude, s.Period = load.Sine, per(100), per(50), load.Duration(time.Second)
		}, vegeta.SinePacer{Period: time.Second, Mean: sec(100), Amp: sec(50), StartAt: vegeta.MeanUp}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *endpoint
			l, _ := runHealthy(t, func() load.Scenario {
				e = startEndpoint(t, "", 20, 0)
				s := pullScenario(t, e, "1/s", d)
				tt.set(&s)
				return s
			})
			want := scheduled(tt.pacer, d)
			t.Logf("sent %d, expected %d, Vegeta schedules %d", l.Requests.Total, l.Rate.Expected, want)
			requests, _, _ := e.counts()
			if l.Requests.Total != int64(requests) {
				t.Errorf("sent %d, the endpoint saw %d", l.Requests.Total, requests)
			}
			if got := l.Requests.Total; got > want+1 || got < want-want/100-1 {
				t.Errorf("sent %d, Vegeta's pacer schedules %d in %s", got, want, d)
			}
			if got := l.Rate.Expected; got < want-1 || got > want+1 {
				t.Errorf("expected %d in the summary, Vegeta's pacer schedules %d", got, want)
			}
			if l.Rate.Ramp != tt.ramp {
				t.Errorf("ramp %q in the summary, want %q", l.Rate.Ramp, tt.ramp)
			}
		})
	}
}

// TestProgressLines: a run of 2.5s prints at least two progress lines,
// each with the documented fields.
func TestProgressLines(t *testing.T) {
	out := &lockedBuffer{} // a second attempt adds its lines
	runHealthy(t, func() load.Scenario {
		return pullScenario(t, startEndpoint(t, "", 20, 0), "20/s", 2500*time.Millisecond)
	}, load.Options{Progress: out})
	checkProgress(t, out.String(), "")
}
