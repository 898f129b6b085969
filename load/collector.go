package load

import (
	"sort"
	"strconv"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p/reports"
)

// maxErrorKinds bounds the distinct kinds of error a run keeps; the rest
// are counted under "other".
const maxErrorKinds = 100

// collector accumulates the run's requests: exact counts, an HDR
// histogram of latency, and the time series. It is safe for concurrent
// use.
type collector struct {
	mu        sync.Mutex
	latency   *distribution
	series    *series
	status    map[int]int
	errors    map[errorKey]*reports.ErrorCount
	total     int64
	valid     int64
	invalid   int64
	transport int64
	bytesIn   int64
	bytesOut  int64
	first     time.Time // the first request's start
	lastStart time.Time // the last request's start
	last      time.Time // the last response's end
	drift     *drift    // soak only
	// stoppedEarly is set when the attack was interrupted before its
	// duration was over.
	stoppedEarly bool
}

type errorKey struct{ class, kind string }

func newCollector(start time.Time, span, ceiling time.Duration) *collector {
	return &collector{latency: newDistribution(ceiling, runDigits), series: newSeries(start, span, ceiling),
		status: map[int]int{}, errors: map[errorKey]*reports.ErrorCount{}}
}

// add records one result and what became of it.
func (c *collector) add(r *vegeta.Result, v verdict) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total++
	switch {
	case v.valid():
		c.valid++
	case v.class == classTransport:
		c.transport++
	default:
		c.invalid++
	}
	if !v.valid() {
		c.addError(v)
	}
	c.status[int(r.Code)]++
	c.bytesIn += int64(r.BytesIn)
	c.bytesOut += int64(r.BytesOut)
	if c.first.IsZero() || r.Timestamp.Before(c.first) {
		c.first = r.Timestamp
	}
	if r.Timestamp.After(c.lastStart) {
		c.lastStart = r.Timestamp
	}
	if end := r.End(); end.After(c.last) {
		c.last = end
	}
	c.latency.record(r.Latency)
	c.series.request(r.Timestamp, r.Latency, v.valid())
	if c.drift != nil {
		c.drift.request(r.Timestamp, r.Latency, v.valid())
	}
}

// attackSpan is the time from the first request's start to the last's.
func (c *collector) attackSpan() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastStart.Sub(c.first)
}

func (c *collector) addError(v verdict) { c.countError(v.class, v.kind, v.detail, 1) }

// countError adds n errors of a kind, keeping the first example and at
// most maxErrorKinds kinds, the rest counted as "other" of their class.
func (c *collector) countError(class, kind, example string, n int64) {
	k := errorKey{class, kind}
	e, ok := c.errors[k]
	if !ok && len(c.errors) >= maxErrorKinds {
		k = errorKey{class, "other"}
		e, ok = c.errors[k]
	}
	if !ok {
		e = &reports.ErrorCount{Class: k.class, Kind: k.kind, Example: example}
		c.errors[k] = e
	}
	e.Count += n
}

// update records a stored update seen at t, latency after its ping.
func (c *collector) update(t time.Time, latency time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.series.update(t, latency, c.series.propagationCeiling)
}

// sample records the harness's heap in the window of now.
func (c *collector) sample(now time.Time, heap float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.series.at(now).heapMB = heap
}

// queue records the mock's queue depth in the window of now.
func (c *collector) queue(now time.Time, pending, running int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.series.at(now)
	w.queuePending, w.queueRunning = max(w.queuePending, pending), max(w.queueRunning, running)
}

// progress is a snapshot for the live progress line.
type progress struct {
	total, valid, failed int64
	p99                  float64
}

func (c *collector) progress() progress {
	c.mu.Lock()
	defer c.mu.Unlock()
	return progress{total: c.total, valid: c.valid, failed: c.invalid + c.transport, p99: c.latency.ms(99)}
}

// fill writes the requests' figures into l.
func (c *collector) fill(l *reports.Load) {
	c.mu.Lock()
	defer c.mu.Unlock()
	elapsed := c.last.Sub(c.first)
	l.Requests = reports.RequestReport{Total: c.total, Valid: c.valid, Invalid: c.invalid,
		TransportErrors: c.transport, BytesIn: c.bytesIn, BytesOut: c.bytesOut}
	if c.total > 0 {
		l.Requests.Success = float64(c.valid) / float64(c.total)
	}
	if elapsed > 0 {
		l.Requests.Throughput = float64(c.valid) / elapsed.Seconds()
	}
	l.Latency = c.latency.percentiles()
	l.Histogram = c.latency.buckets(30)
	l.Status = make(map[string]int, len(c.status))
	for code, n := range c.status {
		l.Status[strconv.Itoa(code)] = n
	}
	l.Errors = c.errorList()
	l.Series = c.series.report()
	l.Precision = precisionNote(runDigits)
	if c.drift != nil {
		l.Drift = c.drift.report()
	}
}

// errorList is the errors, most frequent first.
func (c *collector) errorList() []reports.ErrorCount {
	out := make([]reports.ErrorCount, 0, len(c.errors))
	for _, e := range c.errors {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Class+out[i].Kind < out[j].Class+out[j].Kind
	})
	return out
}
