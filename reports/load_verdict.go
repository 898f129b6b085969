package reports

import (
	"fmt"
	"strings"
)

// verdict is the load run's verdict in one word.
func (l *Load) verdict() string {
	if l.Passed {
		return "PASSED"
	}
	return "FAILED"
}

// verdictReasons says why the run passed or failed, e.g. "all 3 SLOs
// held" or "1 of 4 SLOs failed (p99<250ms); achieved 188.2/s, below the
// target".
func (l *Load) verdictReasons() string {
	var reasons []string
	if failed := l.failedSLOs(); len(failed) > 0 {
		exprs := make([]string, len(failed))
		for i, s := range failed {
			exprs[i] = s.Expr
		}
		reasons = append(reasons, fmt.Sprintf("%d of %d SLOs failed (%s)",
			len(failed), len(l.SLOs), strings.Join(exprs, ", ")))
	}
	reasons = append(reasons, l.Failures...)
	switch {
	case len(reasons) > 0:
		return strings.Join(reasons, "; ")
	case !l.Passed:
		return "the run did not pass"
	case len(l.SLOs) == 0:
		return "the run completed; no SLOs were set"
	case len(l.SLOs) == 1:
		return "the SLO held"
	}
	return fmt.Sprintf("all %d SLOs held", len(l.SLOs))
}

// failedSLOs are the SLOs that did not hold, in the order given.
func (l *Load) failedSLOs() []SLOResult {
	var out []SLOResult
	for _, s := range l.SLOs {
		if !s.Passed {
			out = append(out, s)
		}
	}
	return out
}

// title names the run: "p4p load pull", or for a soak run
// "p4p load soak of propagation".
func (l *Load) title() string {
	t := "p4p load " + l.Scenario
	if l.Of != "" {
		t += " of " + l.Of
	}
	return t
}

// rateTargetText says what rate was asked for: "500/s constant",
// "100/s → 500/s linear", "300/s ± 100/s sine, period 1m0s" or "max
// rate".
func rateTargetText(r RateReport) string {
	switch {
	case r.Ramp == "max" || r.Target == "0":
		return "max rate"
	case r.Ramp == "linear":
		return r.Target + " → " + r.RampTo + " linear"
	case r.Ramp == "sine":
		return fmt.Sprintf("%s ± %s sine, period %s", r.Target, r.Amplitude, latencyText(r.PeriodMS))
	case r.Ramp == "":
		return r.Target
	}
	return r.Target + " " + r.Ramp
}

// workersText says how many workers the attack had: "10 workers, at
// most 64", "10 workers, unbounded".
func workersText(r RateReport) string {
	bound := "unbounded"
	if r.MaxWorker > 0 {
		bound = fmt.Sprintf("at most %d", r.MaxWorker)
	}
	return fmt.Sprintf("%d workers, %s", r.Workers, bound)
}

// achievedText compares what was sent with what the pacer scheduled:
// "499.9/s, 29,998 of 30,000 requests (99.99%)", or at max rate
// "499.9/s, 29,998 requests".
func achievedText(r RateReport) string {
	if r.Expected == 0 {
		return fmt.Sprintf("%s, %s requests", rateText(r.Achieved), countText(r.Sent))
	}
	return fmt.Sprintf("%s, %s of %s requests (%s)", rateText(r.Achieved),
		countText(r.Sent), countText(r.Expected), percentText(r.Ratio))
}
