package load

import (
	"fmt"
	"time"

	"p4p/reports"
)

// mergeCollector adds the shards' requests up into one collector, its
// series aligned by the wall clock.
func mergeCollector(ins []shardInput) (*collector, error) {
	c := &collector{status: map[int]int{}, errors: map[errorKey]*reports.ErrorCount{}}
	for _, in := range ins {
		r := in.rec
		q := r.Requests
		c.total, c.valid, c.invalid, c.transport = c.total+q.Total, c.valid+q.Valid, c.invalid+q.Invalid, c.transport+q.TransportErrors
		c.bytesIn, c.bytesOut = c.bytesIn+q.BytesIn, c.bytesOut+q.BytesOut
		for k, n := range r.Status {
			code, err := statusCode(k)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", in.dir, err)
			}
			c.status[code] += n
		}
		for _, e := range r.Errors {
			c.mergeError(e)
		}
		if err := mergeInto(&c.latency, r.Latency, in.dir); err != nil {
			return nil, err
		}
	}
	if c.latency == nil {
		return nil, fmt.Errorf("%s: no latency histogram", ins[0].dir)
	}
	s, err := mergeSeries(ins)
	if err != nil {
		return nil, err
	}
	c.series = s
	return c, nil
}

// mergeError adds one shard's count of an error kind, as a run counts
// its own.
func (c *collector) mergeError(e reports.ErrorCount) {
	c.countError(e.Class, e.Kind, e.Example, e.Count)
}

// mergeInto decodes h and adds it to *d, which it sets if nil.
func mergeInto(d **distribution, h *histogram, dir string) error {
	from, err := h.distribution()
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if *d == nil {
		*d = from
		return nil
	}
	if err := (*d).merge(from); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	return nil
}

// mergeSeries aligns the shards' series by the wall clock: the merged
// series starts with the earliest shard, its windows as wide as the
// widest shard's (wider if the shards together span more than
// maxWindows of them), and each shard's window is added to the merged
// window its start is nearest to.
func mergeSeries(ins []shardInput) (*series, error) {
	start, end, width := ins[0].rec.Series.Start, time.Time{}, time.Duration(0)
	for _, in := range ins {
		s := in.rec.Series
		w := time.Duration(s.WidthMS * 1e6)
		width = max(width, w)
		if s.Start.Before(start) {
			start = s.Start
		}
		if e := s.Start.Add(time.Duration(len(s.Windows)) * w); e.After(end) {
			end = e
		}
	}
	out := &series{start: start, width: max(width, windowWidth(end.Sub(start)))}
	for _, in := range ins {
		s := in.rec.Series
		w := time.Duration(s.WidthMS * 1e6)
		for i, rw := range s.Windows {
			at := s.Start.Add(time.Duration(i)*w + out.width/2)
			if err := out.at(at).add(rw, in.dir); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// add adds one shard's window to w: counts summed, distributions
// merged, the queue's depth its deepest (every shard samples the same
// mock) and the heap summed (each shard's harness has its own).
func (w *window) add(r windowRecord, dir string) error {
	w.requests, w.valid, w.errors, w.updates = w.requests+r.Requests, w.valid+r.Valid, w.errors+r.Errors, w.updates+r.Updates
	w.queuePending, w.queueRunning = max(w.queuePending, r.QueuePending), max(w.queueRunning, r.QueueRunning)
	w.heapMB += r.HeapMB
	if r.Latency != nil {
		if err := mergeInto(&w.latency, r.Latency, dir); err != nil {
			return err
		}
	}
	if r.Propagation != nil {
		return mergeInto(&w.propagation, r.Propagation, dir)
	}
	return nil
}

// mergeLedgers adds the shards' propagation ledgers up; pings is the
// merged run's requests.
func mergeLedgers(ins []shardInput, pings int64) (*reports.Propagation, error) {
	p := &reports.Propagation{Pings: pings}
	var latency, visible *distribution
	var within, visibleWithin int64
	for _, in := range ins {
		g, sum := in.rec.Ledger, in.sum.Propagation
		if g == nil || sum == nil {
			return nil, fmt.Errorf("%s: a propagation shard without its ledger", in.dir)
		}
		p.Acknowledged += g.Acknowledged
		p.Coalesced += g.Coalesced
		p.Updated += g.Updated
		p.Failed += g.Failed
		p.Lost += g.Lost
		p.Reconciled += g.Reconciled
		p.NotVisible += g.NotVisible
		p.Gaps += g.Gaps
		within, visibleWithin = within+g.Within, visibleWithin+g.VisibleWithin
		p.Pulls.Started += g.Pulls.Started
		p.Pulls.Succeeded += g.Pulls.Succeeded
		p.Pulls.Retried += g.Pulls.Retried
		p.Pulls.Failed += g.Pulls.Failed
		p.MaxQueuePending, p.MaxQueueRunning = max(p.MaxQueuePending, sum.MaxQueuePending), max(p.MaxQueueRunning, sum.MaxQueueRunning)
		p.PromiseMS, p.VisiblePromiseMS, p.TimeScale = sum.PromiseMS, sum.VisiblePromiseMS, sum.TimeScale
		if err := mergeInto(&latency, g.Latency, in.dir); err != nil {
			return nil, err
		}
		if err := mergeInto(&visible, g.Visible, in.dir); err != nil {
			return nil, err
		}
	}
	p.Rejected = p.Pings - p.Acknowledged
	p.Latency, p.Histogram = latency.percentiles(), latency.buckets(30)
	p.Visible, p.VisibleHistogram = visible.percentiles(), visible.buckets(30)
	if p.Acknowledged > 0 {
		p.WithinPromise = float64(within) / float64(p.Acknowledged)
		p.WithinVisiblePromise = float64(visibleWithin) / float64(p.Acknowledged)
	}
	return p, nil
}

// mergeDrift adds up the shards' first drift windows, and their last
// full ones; the heap's growth is the largest shard's (each has its own).
func mergeDrift(ins []shardInput) (*reports.Drift, error) {
	var first, last driftWindow
	d := &reports.Drift{P99Ratio: 1}
	for _, in := range ins {
		r := in.rec.DriftData
		if r == nil || r.First == nil {
			return nil, fmt.Errorf("%s: a soak shard without its drift windows", in.dir)
		}
		d.WindowMS = r.WidthMS
		d.HeapGrowthMB = max(d.HeapGrowthMB, r.HeapGrowthMB)
		if err := first.add(r.First, in.dir); err != nil {
			return nil, err
		}
		if r.Last != nil {
			if err := last.add(r.Last, in.dir); err != nil {
				return nil, err
			}
		}
	}
	if last.latency == nil {
		return d, nil
	}
	if p := first.latency.ms(99); p > 0 {
		d.P99Ratio = last.latency.ms(99) / p
	}
	d.ErrorRateDelta = last.errorRate() - first.errorRate()
	return d, nil
}

func (w *driftWindow) add(c *driftCounts, dir string) error {
	w.requests, w.errors = w.requests+c.Requests, w.errors+c.Errors
	return mergeInto(&w.latency, c.Latency, dir)
}
