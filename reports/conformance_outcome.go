package reports

import "time"

// Word returns the outcome as the upper-case word reports for people show:
// PASS, FAIL, DEV, WARN or SKIP, and "????" for an outcome it does not
// know.
func (o Outcome) Word() string {
	switch o {
	case Passed:
		return "PASS"
	case Failed:
		return "FAIL"
	case Deviated:
		return "DEV"
	case Warned:
		return "WARN"
	case Skipped:
		return "SKIP"
	}
	return "????"
}

// Severity is the severity of the finding an outcome is: failure,
// deviation or warning, and "" for passed and skipped.
func (o Outcome) Severity() Severity {
	switch o {
	case Failed:
		return Failure
	case Deviated:
		return Deviation
	case Warned:
		return Warning
	}
	return ""
}

// Tally sets each result's Severity from its outcome, c.Summary from
// c.Results, and c.Verdict and c.Passed from the summary and c.Strict:
// producers fill the results first, then call Tally.
func (c *Conformance) Tally() {
	s := Summary{Total: len(c.Results)}
	for i := range c.Results {
		r := &c.Results[i]
		r.Severity = r.Outcome.Severity()
		switch r.Outcome {
		case Passed:
			s.Passed++
		case Failed:
			s.Failed++
		case Deviated:
			s.Deviated++
		case Warned:
			s.Warned++
		case Skipped:
			s.Skipped++
		}
	}
	c.Summary = s
	switch {
	case s.Failed > 0, s.Deviated > 0 && c.Strict:
		c.Verdict = NotCertified
	case s.Deviated > 0:
		c.Verdict = CertifiedWithDeviations
	default:
		c.Verdict = Certified
	}
	c.Passed = c.Verdict != NotCertified
}

// attention reports whether a result's details are worth showing
// unasked: it is a finding (it failed, deviated or warned).
func attention(r Result) bool {
	return r.Outcome.Severity() != ""
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
