package reports

import (
	"fmt"
	"time"
)

// Word returns the outcome as the upper-case word reports for people show:
// PASS, FAIL, WARN or SKIP, and "????" for an outcome it does not know.
func (o Outcome) Word() string {
	switch o {
	case Passed:
		return "PASS"
	case Failed:
		return "FAIL"
	case Warned:
		return "WARN"
	case Skipped:
		return "SKIP"
	}
	return "????"
}

// Tally sets c.Summary from c.Results and c.Passed to whether no spec
// failed, for producers that fill the results first.
func (c *Conformance) Tally() {
	s := Summary{Total: len(c.Results)}
	for _, r := range c.Results {
		switch r.Outcome {
		case Passed:
			s.Passed++
		case Failed:
			s.Failed++
		case Warned:
			s.Warned++
		case Skipped:
			s.Skipped++
		}
	}
	c.Summary = s
	c.Passed = s.Failed == 0
}

// verdict is the run's verdict in one word.
func (c *Conformance) verdict() string {
	if c.Passed {
		return "PASSED"
	}
	return "FAILED"
}

// countsLine says how many specs had each outcome, e.g.
// "21 passed, 2 warnings, 0 failed, 1 skipped".
func countsLine(s Summary) string {
	warnings := "warnings"
	if s.Warned == 1 {
		warnings = "warning"
	}
	return fmt.Sprintf("%d passed, %d %s, %d failed, %d skipped",
		s.Passed, s.Warned, warnings, s.Failed, s.Skipped)
}

// attention reports whether a result's details are worth showing
// unasked: it failed or warned.
func attention(r Result) bool {
	return r.Outcome == Failed || r.Outcome == Warned
}

// formatMS renders a duration in milliseconds the way time.Duration
// does, rounded to the millisecond: "12ms", "2.345s".
func formatMS(ms float64) string {
	return time.Duration(ms * float64(time.Millisecond)).Round(time.Millisecond).String()
}

// firstLabel is a result's first label, or "" when it has none.
func firstLabel(r Result) string {
	if len(r.Labels) == 0 {
		return ""
	}
	return r.Labels[0]
}
