package load

import (
	"runtime/metrics"
	"time"

	"p4p/reports"
)

// heapMetric is the heap in use, read without stopping the world.
const heapMetric = "/memory/classes/heap/objects:bytes"

// drift compares a soak's first full window with its last: latency, the
// share of errors, and the harness's heap. It keeps three windows
// whatever the run's length.
type drift struct {
	start   time.Time
	width   time.Duration
	ceiling time.Duration
	first   *driftWindow // window 0
	prev    *driftWindow // the last full window
	cur     *driftWindow
	curN    int
	heap0   float64 // MB, at the end of the first window
}

type driftWindow struct {
	requests, errors int64
	latency          *distribution
	heapMB           float64
}

func newDrift(start time.Time, width, ceiling time.Duration) *drift {
	d := &drift{start: start, width: width, ceiling: ceiling}
	d.cur = d.newWindow()
	d.first = d.cur
	return d
}

func (d *drift) newWindow() *driftWindow {
	return &driftWindow{latency: newDistribution(d.ceiling, runDigits)}
}

// request records a request sent at t. Results come in order of their
// end, so one that started in an earlier window joins the current one.
func (d *drift) request(t time.Time, latency time.Duration, valid bool) {
	if n := int(t.Sub(d.start) / d.width); n > d.curN {
		d.cur.heapMB = heapMB()
		if d.curN == 0 {
			d.heap0 = d.cur.heapMB
		}
		d.prev, d.cur, d.curN = d.cur, d.newWindow(), n
	}
	d.cur.requests++
	if !valid {
		d.cur.errors++
	}
	d.cur.latency.record(latency)
}

// report compares the first window with the last full one; before a
// second window has begun there is nothing to compare, and the drift is
// none.
func (d *drift) report() *reports.Drift {
	if d.prev == nil {
		return &reports.Drift{WindowMS: ms(d.width), P99Ratio: 1}
	}
	r := &reports.Drift{WindowMS: ms(d.width), HeapGrowthMB: heapMB() - d.heap0, P99Ratio: 1}
	if p := d.first.latency.ms(99); p > 0 {
		r.P99Ratio = d.prev.latency.ms(99) / p
	}
	r.ErrorRateDelta = d.prev.errorRate() - d.first.errorRate()
	return r
}

func (w *driftWindow) errorRate() float64 {
	if w.requests == 0 {
		return 0
	}
	return float64(w.errors) / float64(w.requests)
}

// heapMB is the heap in use, in MB.
func heapMB() float64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return float64(s[0].Value.Uint64()) / (1 << 20)
}
