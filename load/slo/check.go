package slo

import (
	"fmt"
	"math"

	"p4p/reports"
)

// Check checks o against a run's measured values, keyed by metric name
// and in each metric's unit. A value that is missing, NaN or infinite
// fails: the metric was not measured.
func (o Objective) Check(values map[string]float64) reports.SLOResult {
	r := reports.SLOResult{Expr: o.Expr, Metric: o.Metric.Name, Unit: string(o.Metric.Unit)}
	v, ok := values[o.Metric.Name]
	switch {
	case !ok:
		r.Message = o.Metric.Name + " was not measured"
		return r
	case math.IsNaN(v) || math.IsInf(v, 0):
		r.Message = fmt.Sprintf("%s was not measured (the value was %v)", o.Metric.Name, v)
		return r
	}
	r.Value, r.Passed = v, o.Op.holds(v, o.Threshold)
	r.Message = o.message(v, r.Passed)
	return r
}

// message says what v was and whether it met o: "p99 was 912.4ms, not <
// 800ms" or "p99 was 312.1ms (< 800ms)".
func (o Objective) message(v float64, passed bool) string {
	got := formatValue(o.Metric.Unit, v, sigToTell(v, o.Threshold))
	want := render(o.Metric.Unit, o.Threshold)
	if passed {
		return fmt.Sprintf("%s was %s (%s %s)", o.Metric.Name, got, o.Op, want)
	}
	return fmt.Sprintf("%s was %s, not %s %s", o.Metric.Name, got, o.Op, want)
}
