package load

import (
	"slices"
	"sync"
	"time"

	"p4p"
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
	users    map[string]string      // pull id → its user, for the waiting pulls
	byUser   map[string][]string    // user → the waiting pulls of the user
	early    map[string]ending      // pulls that ended before their pings were acknowledged
	earlyLog []earlyEntry           // early, oldest first, for forgetting
	open     int64                  // acknowledged pings not yet ended
	promise  time.Duration
	latency  *distribution
	series   func(at time.Time, latency time.Duration) // records an update in the time series
	visible  visibility

	acknowledged, coalesced, updated, failed, within, reconciled int64
	pulls                                                        reports.PullCounts
	failures                                                     map[string]int64 // why pulls failed for good
}

type ending struct {
	at     time.Time
	stored time.Time // by the mock's clock, when known
	failed bool
	reason string
}

type earlyEntry struct {
	pullID string
	at     time.Time
}

// newTracker follows pings to their update within promise, and to their
// visibility in the app within visiblePromise.
func newTracker(promise, visiblePromise, ceiling time.Duration, series func(time.Time, time.Duration)) *tracker {
	return &tracker{waiting: map[string][]time.Time{}, users: map[string]string{}, byUser: map[string][]string{}, early: map[string]ending{}, promise: promise,
		latency: newDistribution(ceiling, runDigits), series: series, failures: map[string]int64{},
		visible: newVisibility(visiblePromise, ceiling)}
}

// ack records a ping for userID sent at sent that the mock answered with
// pullID.
func (t *tracker) ack(pullID, userID string, sent time.Time, coalesced bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.acknowledged++
	if coalesced {
		t.coalesced++
	}
	if e, ok := t.early[pullID]; ok {
		t.end(pullID, userID, sent, e)
		return
	}
	if _, ok := t.waiting[pullID]; !ok {
		t.users[pullID] = userID
		t.byUser[userID] = append(t.byUser[userID], pullID)
	}
	t.waiting[pullID] = append(t.waiting[pullID], sent)
	t.open++
}

// ended records the end of a pull, seen at e.at: its update stored, or
// failed for good.
//
// A stored update also settles the user's earlier pulls still waiting:
// a user's pulls never overlap and run in order, so an earlier one ended
// before this one started, its end unseen (it fell in a gap of /events),
// and this pull, started after their pings, stored what they asked for.
// Those pings count as updated at e.at, and as reconciled.
func (t *tracker) ended(pullID string, e ending) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.waiting[pullID]; !ok {
		t.early[pullID] = e
		t.earlyLog = append(t.earlyLog, earlyEntry{pullID, e.at})
		t.forget(e.at.Add(-earlyKeep))
		return
	}
	user := t.users[pullID]
	t.endPull(pullID, e)
	if e.failed {
		return
	}
	for _, earlier := range slices.Clone(t.byUser[user]) {
		if p4p.PullID(pullID).AtLeast(p4p.PullID(earlier)) {
			t.reconciled += int64(len(t.waiting[earlier]))
			t.endPull(earlier, e)
		}
	}
}

// endPull ends every ping waiting for a pull.
func (t *tracker) endPull(pullID string, e ending) {
	sent := t.waiting[pullID]
	user := t.users[pullID]
	delete(t.waiting, pullID)
	delete(t.users, pullID)
	t.byUser[user] = slices.DeleteFunc(t.byUser[user], func(p string) bool { return p == pullID })
	if len(t.byUser[user]) == 0 {
		delete(t.byUser, user)
	}
	t.open -= int64(len(sent))
	for _, s := range sent {
		t.end(pullID, user, s, e)
	}
}

// end counts the outcome of one ping for user's pull pullID; an update
// then waits to be visible.
func (t *tracker) end(pullID, user string, sent time.Time, e ending) {
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
	t.visible.update(user, updated{pullID: pullID, sent: sent, at: e.at, stored: e.stored})
}

// appVisible records the mock's app.visible for user's pull pullID,
// seen at at.
func (t *tracker) appVisible(user, pullID string, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.visible.appVisible(user, pullID, at)
}

// refreshed records a bootstrap.refreshed made at mock, seen at at.
func (t *tracker) refreshed(mock, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.visible.refreshed(mock, at)
}

// notVisible is the updated pings the app's view does not show yet.
func (t *tracker) notVisible() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.visible.open
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

// waitingPulls is a copy of the pulls acknowledged pings still wait for,
// pull id → user id.
func (t *tracker) waitingPulls() map[string]string {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := make(map[string]string, len(t.users))
	for p, u := range t.users {
		m[p] = u
	}
	return m
}

// settle ends a waiting pull whose end fell in a gap of /events, as the
// mock's sync record tells it; the pings so settled are counted as
// reconciled besides their outcome.
func (t *tracker) settle(pullID string, e ending) {
	t.mu.Lock()
	if sent, ok := t.waiting[pullID]; ok {
		t.reconciled += int64(len(sent))
	}
	t.mu.Unlock()
	t.ended(pullID, e)
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
	p.Reconciled = t.reconciled
	p.Latency = t.latency.percentiles()
	p.Histogram = t.latency.buckets(30)
	p.PromiseMS = float64(t.promise) / 1e6
	if t.acknowledged > 0 {
		p.WithinPromise = float64(t.within) / float64(t.acknowledged)
	}
	p.Pulls = t.pulls
	t.visible.fill(p, t.acknowledged)
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
