package slo

import (
	"fmt"
	"regexp"
	"strings"
)

// MaxExprLen bounds an expression, in bytes.
const MaxExprLen = 256

// Objective is one parsed service-level objective: the run passes it when
// "Metric Op Threshold" holds for the measured value.
type Objective struct {
	Expr   string // as given, without surrounding space
	Metric Metric
	Op     Op
	// Threshold is in Metric.Unit: milliseconds for a latency, a ratio in
	// [0, 1], a count, a rate per second or a factor.
	Threshold float64
}

// Parse reads one objective, such as "p99<800ms" or "success >= 99.9%".
// Its errors wrap ErrSLO and say what is wrong.
func Parse(expr string) (Objective, error) {
	if len(expr) > MaxExprLen {
		return Objective{}, exprError(truncate(expr, 40), problem("the expression is %d bytes, longer than the %d allowed", len(expr), MaxExprLen))
	}
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return Objective{}, fmt.Errorf("%w: empty expression; write one such as p99<800ms", ErrSLO)
	}
	o, err := parse(expr)
	if err != nil {
		return Objective{}, exprError(expr, err)
	}
	return o, nil
}

// parse reads expr, trimmed, as metric, operator and threshold.
func parse(expr string) (Objective, error) {
	i := strings.IndexAny(expr, opChars)
	if i < 0 {
		return Objective{}, problem("no comparison operator; write one of %s between the metric and the threshold", knownOps)
	}
	name := strings.TrimSpace(expr[:i])
	if name == "" {
		return Objective{}, problem("no metric before the operator; write one such as p99")
	}
	m, err := lookupMetric(name)
	if err != nil {
		return Objective{}, err
	}
	op, rest, err := lexOp(expr[i:])
	if err != nil {
		return Objective{}, err
	}
	t, err := parseThreshold(m, rest)
	if err != nil {
		return Objective{}, err
	}
	return Objective{Expr: expr, Metric: m, Op: op, Threshold: t}, nil
}

// k6Percentile matches k6's p(N).
var k6Percentile = regexp.MustCompile(`^p\s*\(\s*([0-9]*\.?[0-9]*)\s*\)$`)

// lookupMetric finds the metric name names: a metric's name, an alias,
// or k6's p(N).
func lookupMetric(name string) (Metric, error) {
	key := name
	if sub := k6Percentile.FindStringSubmatch(name); sub != nil {
		key = percentileName(sub[1])
	}
	if m, ok := findMetric(key); ok {
		return m, nil
	}
	if s := suggest(key); s != "" {
		return Metric{}, problem("unknown metric %q; did you mean %q? (the metrics are %s)", name, s, metricNames())
	}
	return Metric{}, problem("unknown metric %q (the metrics are %s)", name, metricNames())
}

// percentileName names the metric of k6's p(n): "p99" for p(99), "p999"
// for p(99.9); for a percentile not measured, "p" and n's digits.
func percentileName(n string) string {
	if r, rest := lexNumber(n); r != nil && rest == "" {
		if name, known := percentiles[r.RatString()]; known {
			return name
		}
	}
	return "p" + strings.ReplaceAll(n, ".", "")
}

// String writes o in its canonical form, which Parse reads back as o
// (but for Expr): the metric's name, the operator and the threshold,
// without spaces, e.g. "p99<800ms" or "success>=99.9%".
func (o Objective) String() string {
	return o.Metric.Name + string(o.Op) + render(o.Metric.Unit, o.Threshold)
}
