package load

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p/livefyre"
	"p4p/reports"
)

// Propagation run timings.
const (
	drainPoll      = 50 * time.Millisecond  // how often the drain checks for the last updates
	reconnectPause = 200 * time.Millisecond // between attempts to reopen /events
	queueTimeout   = 900 * time.Millisecond // for one queue-depth sample
	maxPingAnswer  = 64 << 10               // bytes of a ping's answer decoded
	propCeiling    = 2 * MaxDuration        // the longest ping-to-update latency recorded
)

// propagation pings the mock for the whole duration and follows /events
// until every acknowledged ping has its outcome or the drain is over.
func (r *run) propagation(ctx context.Context) (*reports.Load, error) {
	r.tracker = newTracker(r.promise(), r.visiblePromise(), propCeiling, r.collector.update)
	client := r.env.client()
	followCtx, stopFollow := context.WithCancel(ctx)
	defer stopFollow()
	stream, err := client.Events(followCtx)
	if err != nil {
		return nil, fmt.Errorf("follow the mock's events: %w", err)
	}
	f := &follower{run: r, client: client}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); f.follow(followCtx, stream) }()

	q := &queueSampler{client: client, collector: r.collector, tracker: r.tracker}
	stopProgress := r.progress(q.sample)
	targets := newPingTargets(r.env.livefyre, r.env.users.IDs, r.env.token)
	a := &attack{name: "ping", attacker: r.attacker(), targeter: targets.targeter(), pacer: r.schedule(),
		duration: r.schedule().attackDuration(), collector: r.collector, raw: r.raw, secrets: r.env.secrets(),
		judge: func(res *vegeta.Result) (verdict, string) { return pingVerdict(res), res.URL },
		after: func(res *vegeta.Result, v verdict) {
			if v.valid() {
				r.tracker.ack(v.pull.PullID, v.pull.UserID, res.Timestamp, v.pull.Coalesced)
			}
		}}
	err = a.run(ctx)
	r.collector.stoppedEarly = ctx.Err() != nil
	if err == nil {
		r.awaitUpdates(ctx)
	}
	stopProgress()
	r.endProgress()
	stopFollow()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return r.propagationReport(f.gaps.Load(), q), nil
}

// awaitUpdates waits until no acknowledged ping awaits its update or its
// visibility in the app, the drain is over, or ctx is done.
func (r *run) awaitUpdates(ctx context.Context) {
	deadline := time.Now().Add(r.drain())
	t := time.NewTicker(drainPoll)
	defer t.Stop()
	for (r.tracker.outstanding() > 0 || r.tracker.notVisible() > 0) && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (r *run) propagationReport(gaps int64, q *queueSampler) *reports.Load {
	l := r.report()
	l.Livefyre = r.env.livefyre
	if r.s.Livefyre == "" {
		l.Livefyre = "embedded mock (" + r.env.livefyre + ")"
	}
	p := &reports.Propagation{Pings: l.Requests.Total, TimeScale: r.env.timeScale, Gaps: int(gaps)}
	r.tracker.fill(p)
	p.Rejected = p.Pings - p.Acknowledged
	p.MaxQueuePending, p.MaxQueueRunning = q.max()
	l.Propagation = p
	l.Errors = append(l.Errors, r.tracker.failureList()...)
	return l
}

// pingVerdict checks a ping's answer: 200 with the v3 envelope whose data
// names the pull (spec 4).
func pingVerdict(res *vegeta.Result) verdict {
	if res.Code == 0 {
		return transportVerdict(res)
	}
	if res.Code != 200 {
		return verdict{class: classStatus, kind: fmt.Sprintf("status %d", res.Code),
			detail: fmt.Sprintf("ping answered %d, want 200", res.Code)}
	}
	var env struct {
		Data livefyre.PingResult `json:"data"`
	}
	body := res.Body[:min(len(res.Body), maxPingAnswer)]
	if err := json.Unmarshal(body, &env); err != nil || env.Data.PullID == "" {
		return verdict{class: classPing, kind: "no pull id in the answer",
			detail: fmt.Sprintf("ping answered 200 without data.pull_id: %.200q", body)}
	}
	return verdict{pull: &env.Data}
}

// follower reads /events into the tracker, reopening the stream after the
// last event seen when it ends before the run does; a reopening the mock
// could not resume from is a gap in what was seen.
type follower struct {
	run    *run
	client *livefyre.Client
	gaps   atomic.Int64
}

func (f *follower) follow(ctx context.Context, s *livefyre.Stream) {
	// Reconciling reads sync records while the reopened stream is read,
	// so that the mock does not drop a client that fell behind.
	var reconciling sync.WaitGroup
	defer reconciling.Wait()
	for {
		for ev := range s.C {
			f.event(ev, time.Now())
		}
		last := s.LastID()
		s.Close()
		if ctx.Err() != nil {
			return
		}
		if s = f.reopen(ctx, last); s == nil {
			f.gaps.Add(1)
			return
		}
		if s.Resumed() {
			continue // every event since the cut is replayed: no gap
		}
		f.gaps.Add(1)
		reconciling.Go(func() { f.reconcile(ctx) })
	}
}

// reopen follows /events again after the event last, or nil once ctx
// is done.
func (f *follower) reopen(ctx context.Context, last string) *livefyre.Stream {
	for {
		s, err := f.client.EventsAfter(ctx, last)
		if err == nil {
			return s
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(reconnectPause):
		}
	}
}

func (f *follower) event(ev livefyre.Event, at time.Time) {
	t := f.run.tracker
	if mine := f.run.env.mine; mine != nil && ev.UserID != "" && !mine[ev.UserID] {
		return // another shard's user: that shard counts it
	}
	switch ev.Type {
	case livefyre.ProfileUpdated:
		t.ended(ev.PullID, ending{at: at, stored: ev.Time})
	case livefyre.AppVisible:
		t.appVisible(ev.UserID, ev.PullID, at)
	case livefyre.BootstrapRefreshed:
		t.refreshed(ev.Time, at)
	case livefyre.PullStarted:
		t.pull(func(c *reports.PullCounts) { c.Started++ })
	case livefyre.PullSucceeded:
		t.pull(func(c *reports.PullCounts) { c.Succeeded++ })
	case livefyre.PullFailed:
		if !ev.Final {
			t.pull(func(c *reports.PullCounts) { c.Retried++ })
			return
		}
		t.pull(func(c *reports.PullCounts) { c.Failed++ })
		t.ended(ev.PullID, ending{at: at, failed: true, reason: ev.Error})
	}
}

// queueSampler reads the mock's queue depth once a second.
type queueSampler struct {
	client    *livefyre.Client
	collector *collector
	tracker   *tracker
	mu        sync.Mutex
	pending   int64
	running   int64
}

func (q *queueSampler) sample(now time.Time) string {
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	pending, running, err := q.client.QueueDepth(ctx)
	queue := "queue ?"
	if err == nil {
		q.collector.queue(now, pending, running)
		q.mu.Lock()
		q.pending, q.running = max(q.pending, pending), max(q.running, running)
		q.mu.Unlock()
		queue = fmt.Sprintf("queue %d+%d", pending, running)
	}
	return fmt.Sprintf("  %s  awaiting %d", queue, q.tracker.outstanding())
}

func (q *queueSampler) max() (pending, running int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pending, q.running
}
