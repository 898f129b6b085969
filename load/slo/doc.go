// Package slo owns the service-level objectives that gate a load run: a
// metric, an operator and a threshold, written as k6 writes thresholds and
// given on the command line (--slo 'p99<800ms', repeatable) or in a
// scenario file's "slo" list. A run fails in CI when any objective does
// not hold.
//
// # Syntax
//
// An objective is a metric, an operator (<, <=, >, >=, == or !=) and a
// threshold, with optional spaces between them:
//
//	p99<800ms               the 99th percentile latency is under 800 ms
//	p(95) <= 1.5s           k6's p(N) works for p(50), p(90), p(95), p(99), p(99.9)
//	avg < 200ms             k6's avg is mean, med is p50
//	success >= 99.9%        a ratio, as a percentage ...
//	success>=0.999          ... or as a fraction
//	throughput>=450/s       a rate per second; "450" alone also works
//	lost==0                 a count
//	propagation_p99<10m     a ping-to-update latency
//	p99_drift<1.5           a factor
//
// The threshold is written in the metric's Unit:
//
//   - a latency (Milliseconds) as a Go duration: "800ms", "1.5s", "10m",
//     "250us", "1h30m", or "0"; in whole nanoseconds;
//   - a Ratio as a percentage up to 100% ("99.9%") or a fraction up to 1
//     ("0.999");
//   - a Count or a Factor as a plain number ("0", "1.5");
//   - a rate (PerSecond) as "450/s" or "450".
//
// Thresholds are never negative, NaN or infinite, and an expression is at
// most MaxExprLen bytes. Errors wrap ErrSLO and say what is wrong, e.g.
// `bad SLO "p98<1s": unknown metric "p98"; did you mean "p99"?` or
// `bad SLO "p99<800": p99 is a latency: write a duration such as 800ms`.
//
// # Metrics
//
// Metrics returns the catalogue, with each metric's unit, description and
// the scenarios that measure it. In short:
//
//   - the pull scenario: requests, success, throughput, errors, invalid,
//     achieved, and the request latency min, mean, p50, p90, p95, p99,
//     p999 and max;
//   - the propagation scenario: pings, acknowledged, updated, lost, failed,
//     within_promise, propagation_p50, _p90, _p95, _p99, _max and _mean,
//     queue_max, visible_within_promise, not_visible, visible_p50, _p99 and
//     _max (ping-to-visible), and, describing the ping requests, requests, success,
//     throughput, errors, achieved, p50, p90, p95, p99 and max;
//   - soak runs, besides the metrics of the scenario they run: p99_drift,
//     error_drift and heap_growth_mb.
//
// ParseAll checks that the scenario measures each metric; Objective.Check
// compares a run's measured values with the threshold and returns the
// reports.SLOResult the reports render.
package slo
