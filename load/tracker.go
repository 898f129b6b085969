package load

import (
	"sync"
	"time"

	"p4p/reports"
)

// earlyKeep is how long the tracker remembers a pull that ended before
// any ping for it was acknowledged: the update can reach /events before
// the ping's own answer is read.
const earlyKeep = time.Minute

// tracker follows every acknowledged ping to its outcome. The mock
// answers a ping with the id of the pull it queued or joined, and its
// events name the pull that stored the update or failed for good, so each
// ping is matched exactly, coalesced or not. It is safe for concurrent
// use.
type tracker struct {
	mu       sync.Mutex
	waiting  map[string][]time.Time // pull id → when its pings were sent
	early    map[string]ending      // pulls that ended before their pings were acknowledged
	earlyLog []earlyEntry           // early, oldest first, for forgetting
	open     int64                  // acknowledged pings not yet ended
	promise  time.Duration
	latency  *distribution
	series   func(at time.Time, latency time.Duration) // records an update in the time series

	acknowledged, coalesced, updated, failed, within int64
	pulls                                            reports.PullCounts
	failures                                         map[string]int64 // why pulls failed for good
}

type ending struct {
	at     time.Time
	failed bool
	reason string
}

type earlyEntry struct {
	pullID string
	at     time.Time
}

func newTracker(promise, ceiling time.Duration, series func(time.Time, time.Duration)) *tracker {
	return &tracker{waiting: map[string][]time.Time{}, early: map[string]ending{}, promise: promise,
		latency: newDistribution(ceiling, runDigits), series: series, failures: map[string]int64{}}
}

// acknowledged records a ping sent at sent that the mock answered with
// pullID.
func (t *tracker) ack(pullID string, sent time.Time, coalesced bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.acknowledged++
	if coalesced {
		t.coalesced++
	}
	if e, ok := t.early[pullID]; ok {
		t.end(sent, e)
		return
	}
	t.waiting[pullID] = append(t.waiting[pullID], sent)
	t.open++
}

// ended records the end of a pull, seen at e.at: its update stored, or
// failed for good.
func (t *tracker) ended(pullID string, e ending) {
	t.mu.Lock()
	defer t.mu.Unlock()
	sent, ok := t.waiting[pullID]
	if !ok {
		t.early[pullID] = e
		t.earlyLog = append(t.earlyLog, earlyEntry{pullID, e.at})
		t.forget(e.at.Add(-earlyKeep))
		return
	}
	delete(t.waiting, pullID)
	t.open -= int64(len(sent))
	for _, s := range sent {
		t.end(s, e)
	}
}

// end counts one ping's outcome.
func (t *tracker) end(sent time.Time, e ending) {
	if e.failed {
		t.failed++
		reason := e.reason
		if _, ok := t.failures[reason]; !ok && len(t.failures) >= maxErrorKinds {
			reason = "other"
		}
		t.failures[reason]++
		return
	}
	d := max(e.at.Sub(sent), 0)
	t.updated++
	if d <= t.promise {
		t.within++
	}
	t.latency.record(d)
	t.series(e.at, d)
}

// forget drops the early endings seen before cutoff.
func (t *tracker) forget(cutoff time.Time) {
	n := 0
	for n < len(t.earlyLog) && t.earlyLog[n].at.Before(cutoff) {
		delete(t.early, t.earlyLog[n].pullID)
		n++
	}
	t.earlyLog = t.earlyLog[n:]
}

// pull counts a pull event.
func (t *tracker) pull(f func(*reports.PullCounts)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(&t.pulls)
}

// outstanding is the acknowledged pings still waiting for their update.
func (t *tracker) outstanding() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.open
}

// fill writes the propagation figures into p; the pings still waiting
// are lost.
func (t *tracker) fill(p *reports.Propagation) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p.Acknowledged, p.Coalesced, p.Updated, p.Failed, p.Lost = t.acknowledged, t.coalesced, t.updated, t.failed, t.open
	p.Latency = t.latency.percentiles()
	p.Histogram = t.latency.buckets(30)
	p.PromiseMS = float64(t.promise) / 1e6
	if t.acknowledged > 0 {
		p.WithinPromise = float64(t.within) / float64(t.acknowledged)
	}
	p.Pulls = t.pulls
}

// failureList is why pulls failed for good, as error counts.
func (t *tracker) failureList() []reports.ErrorCount {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]reports.ErrorCount, 0, len(t.failures))
	for reason, n := range t.failures {
		out = append(out, reports.ErrorCount{Class: "pull", Kind: reason, Count: n, Example: reason})
	}
	return out
}
