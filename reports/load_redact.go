package reports

import "slices"

// Redact returns a deep copy of l in which every occurrence of every
// non-empty secret, and of its URL-query-escaped form, is replaced by
// "[redacted]" in every string: the endpoint, failures, error kinds and
// examples, SLO expressions and messages, status-code keys and the rest.
// Status codes whose keys become equal are added up. l is left as it
// was.
func (l *Load) Redact(secrets ...string) *Load {
	r := newRedactor(secrets)
	d := *l
	r.inPlace(&d.Tool, &d.HarnessVersion, &d.Scenario, &d.Of, &d.Name,
		&d.Endpoint, &d.Network, &d.Livefyre, &d.Precision)
	d.Failures = r.strings(l.Failures)
	d.Files = r.strings(l.Files)
	d.Rate = r.rate(l.Rate)
	d.Status = r.counts(l.Status)
	d.Errors = redactEach(l.Errors, r.errorCount)
	d.Histogram = slices.Clone(l.Histogram)
	d.Series = slices.Clone(l.Series)
	d.SLOs = redactEach(l.SLOs, r.slo)
	if l.Propagation != nil {
		p := *l.Propagation
		p.Histogram = slices.Clone(l.Propagation.Histogram)
		p.VisibleHistogram = slices.Clone(l.Propagation.VisibleHistogram)
		d.Propagation = &p
	}
	if l.Drift != nil {
		drift := *l.Drift
		d.Drift = &drift
	}
	if l.Shard != nil {
		sh := *l.Shard
		d.Shard = &sh
	}
	d.Shards = redactEach(l.Shards, r.shard)
	return &d
}

// shard redacts a copy of one shard of a merged report.
func (r redactor) shard(s ShardResult) ShardResult {
	r.inPlace(&s.Dir, &s.Status, &s.Reason)
	return s
}

// rate redacts a copy of a rate report.
func (r redactor) rate(rr RateReport) RateReport {
	r.inPlace(&rr.Ramp, &rr.Target, &rr.RampTo, &rr.Amplitude)
	return rr
}

// counts redacts a copy of a map's keys, adding up the counts of keys
// that become equal, and keeping nil nil.
func (r redactor) counts(m map[string]int) map[string]int {
	if m == nil {
		return nil
	}
	out := make(map[string]int, len(m))
	for k, n := range m {
		out[r.s(k)] += n
	}
	return out
}

// errorCount redacts a copy of one error count.
func (r redactor) errorCount(e ErrorCount) ErrorCount {
	r.inPlace(&e.Class, &e.Kind, &e.Example)
	return e
}

// slo redacts a copy of one SLO result.
func (r redactor) slo(s SLOResult) SLOResult {
	r.inPlace(&s.Expr, &s.Metric, &s.Unit, &s.Message)
	return s
}
