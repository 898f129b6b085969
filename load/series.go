package load

import (
	"time"

	"p4p/reports"
)

// maxWindows bounds the time series: a longer run gets wider windows, so
// that memory stays bounded however long it runs.
const maxWindows = 300

// windowWidth is the width of the series' windows for a run of span:
// a second, or wider to stay within maxWindows.
func windowWidth(span time.Duration) time.Duration {
	per := time.Duration(maxWindows) * time.Second
	return max(time.Second, (span+per-1)/per*time.Second)
}

// series is the run's time series: counts and latency distributions per
// window, from the run's start.
type series struct {
	start   time.Time
	width   time.Duration
	ceiling time.Duration
	// propagationCeiling bounds the windows' propagation latencies.
	propagationCeiling time.Duration
	windows            []*window
}

type window struct {
	requests, valid, errors int64
	latency                 *distribution
	updates                 int64
	propagation             *distribution
	queuePending            int64
	queueRunning            int64
	heapMB                  float64
}

// newSeries starts a series over span. A ping-to-update latency seen in
// the run is at most its span, so twice the span bounds the windows' propagation
// latencies.
func newSeries(start time.Time, span, ceiling time.Duration) *series {
	return &series{start: start, width: windowWidth(span), ceiling: ceiling, propagationCeiling: max(2*span, time.Second)}
}

// at returns the window holding t, growing the series as needed; times
// past maxWindows*2 windows land in the last one.
func (s *series) at(t time.Time) *window {
	i := max(int(t.Sub(s.start)/s.width), 0)
	i = min(i, 2*maxWindows-1)
	for len(s.windows) <= i {
		s.windows = append(s.windows, &window{})
	}
	return s.windows[i]
}

func (s *series) request(t time.Time, latency time.Duration, valid bool) {
	w := s.at(t)
	w.requests++
	if valid {
		w.valid++
	} else {
		w.errors++
	}
	if w.latency == nil {
		w.latency = newDistribution(s.ceiling, windowDigits)
	}
	w.latency.record(latency)
}

func (s *series) update(t time.Time, latency, ceiling time.Duration) {
	w := s.at(t)
	w.updates++
	if w.propagation == nil {
		w.propagation = newDistribution(ceiling, windowDigits)
	}
	w.propagation.record(latency)
}

func (s *series) report() []reports.Window {
	out := make([]reports.Window, len(s.windows))
	for i, w := range s.windows {
		r := reports.Window{StartMS: float64(time.Duration(i)*s.width) / 1e6,
			Requests: w.requests, Valid: w.valid, Errors: w.errors, Updates: w.updates,
			QueuePending: w.queuePending, QueueRunning: w.queueRunning, HeapMB: w.heapMB}
		if w.latency != nil {
			r.P50, r.P90, r.P99, r.Max = w.latency.ms(50), w.latency.ms(90), w.latency.ms(99), w.latency.ms(100)
		}
		if w.propagation != nil {
			r.PropagationP99 = w.propagation.ms(99)
		}
		out[i] = r
	}
	return out
}
