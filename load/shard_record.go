package load

import (
	"time"

	"p4p/reports"
)

// shardRecord gathers what a merge needs of the finished run, whose
// report l is, SLOs judged.
func (r *run) shardRecord(l *reports.Load) *shardRecord {
	c := r.collector
	c.mu.Lock()
	defer c.mu.Unlock()
	rec := &shardRecord{Format: shardFormat, Shard: Shard{Index: r.s.Shard.Index, Count: r.s.Shard.count()},
		Run: r.env.fingerprint, Scenario: sloScenario(r.s), SLOs: r.s.SLOs, Users: len(r.env.users.IDs),
		Passed: l.Passed, Failures: l.Failures, Interrupted: c.stoppedEarly,
		Started: r.started, Ended: r.started.Add(time.Duration(l.ElapsedMS * 1e6)),
		First: c.first, LastStart: c.lastStart, Last: c.last, PlannedMS: ms(r.planned(c.lastStart.Sub(c.first))),
		Expected: l.Rate.Expected, MaxRate: maxRate(r.s.Rate),
		Requests: l.Requests, CPUMS: l.Requests.CPUPerValidMS * float64(l.Requests.Valid),
		Status: l.Status, Errors: l.Errors, Latency: c.latency.export(), Series: c.series.record()}
	if r.tracker != nil {
		rec.Ledger = r.tracker.ledger()
		rec.Ledger.Gaps = l.Propagation.Gaps
	}
	if c.drift != nil {
		rec.DriftData = c.drift.record()
		rec.DriftData.HeapGrowthMB = l.Drift.HeapGrowthMB
	}
	return rec
}

// planned is the attack's scheduled length, or as far as it got when it
// was interrupted, span being the first request's start to the last's.
func (r *run) planned(span time.Duration) time.Duration {
	planned := time.Duration(r.s.Duration)
	if span < planned && r.collector.stoppedEarly {
		return span
	}
	return planned
}

// record is the series by the wall clock, as a shard file holds it.
func (s *series) record() seriesRecord {
	out := seriesRecord{Start: s.start, WidthMS: ms(s.width), Windows: make([]windowRecord, len(s.windows))}
	for i, w := range s.windows {
		out.Windows[i] = windowRecord{Requests: w.requests, Valid: w.valid, Errors: w.errors,
			Latency: w.latency.export(), Updates: w.updates, Propagation: w.propagation.export(),
			QueuePending: w.queuePending, QueueRunning: w.queueRunning, HeapMB: w.heapMB}
	}
	return out
}

// ledger is the tracker's account, as a shard file holds it.
func (t *tracker) ledger() *ledger {
	t.mu.Lock()
	defer t.mu.Unlock()
	return &ledger{Acknowledged: t.acknowledged, Coalesced: t.coalesced, Updated: t.updated, Failed: t.failed,
		Lost: t.open, Reconciled: t.reconciled, Within: t.within, NotVisible: t.visible.open,
		VisibleWithin: t.visible.within, Latency: t.latency.export(), Visible: t.visible.latency.export(),
		Pulls: t.pulls}
}

// record is the drift's first and last full windows.
func (d *drift) record() *driftRecord {
	out := &driftRecord{WidthMS: ms(d.width), First: d.first.counts()}
	if d.prev != nil {
		out.Last = d.prev.counts()
	}
	return out
}

func (w *driftWindow) counts() *driftCounts {
	return &driftCounts{Requests: w.requests, Errors: w.errors, Latency: w.latency.export()}
}
