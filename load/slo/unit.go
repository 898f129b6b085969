package slo

// Unit is what a metric's values and thresholds are measured in. It is
// also the unit of reports.SLOResult.Value.
type Unit string

// The units.
const (
	// Milliseconds is a latency. Thresholds are written as Go durations
	// ("800ms", "1.5s", "10m", "250us", "1h30m") and held in milliseconds.
	Milliseconds Unit = "ms"
	// Ratio is a share in [0, 1], written as a percentage ("99.9%") or a
	// fraction ("0.999").
	Ratio Unit = "ratio"
	// Count is a plain non-negative number ("0", "1000", "12.5").
	Count Unit = "count"
	// PerSecond is a rate, written "450/s" or "450".
	PerSecond Unit = "per_s"
	// Factor is a plain number by which something grew ("1.5").
	Factor Unit = "factor"
)

// unitHint says what a unit is and how to write one of its thresholds,
// for the errors of a threshold written in the wrong unit.
var unitHint = map[Unit]struct{ noun, how string }{
	Milliseconds: {"a latency", "a duration such as 800ms"},
	Ratio:        {"a ratio", "a percentage such as 99.9%"},
	Count:        {"a count", "a plain number such as 100"},
	PerSecond:    {"a rate", "a number per second such as 450/s"},
	Factor:       {"a factor", "a plain number such as 1.5"},
}
