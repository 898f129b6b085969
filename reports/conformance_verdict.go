package reports

import (
	"fmt"
	"strings"
)

// The wording every rendering for people shares, so that the terminal,
// junit.xml and report.html say the same thing in the same words.
const (
	// strictNote is said beside the verdict of a run with --strict.
	strictNote = "--strict: deviations fail"
	// culpritNote marks an exchange a finding is about.
	culpritNote = "broke the rule"
)

// severities are the severities of findings, the gravest first: the
// order in which reports for people list them.
var severities = []Severity{Failure, Deviation, Warning}

// heading is the verdict in capitals, as reports for people show it:
// "CERTIFIED", "CERTIFIED WITH DEVIATIONS" or "NOT CERTIFIED"; "NO
// VERDICT" when it is empty.
func (v Verdict) heading() string {
	if v == "" {
		return "NO VERDICT"
	}
	return strings.ToUpper(string(v))
}

// verdictHeading is the run's verdict in capitals, with the strict note
// when the run was strict: "NOT CERTIFIED (--strict: deviations fail)".
func (c *Conformance) verdictHeading() string {
	if c.Strict {
		return c.Verdict.heading() + " (" + strictNote + ")"
	}
	return c.Verdict.heading()
}

// verdictMeaning says in a sentence what the run's verdict means for the
// integration, and what a certificate does not cover, or "" for a verdict
// it does not know.
func (c *Conformance) verdictMeaning() string {
	switch c.Verdict {
	case Certified:
		return "Every MUST spec that ran holds to the letter of Livefyre's docs." + c.notCovered()
	case CertifiedWithDeviations:
		return "The sync works and is safe, but not every MUST spec is followed to the letter of Livefyre's docs." + c.notCovered()
	case NotCertified:
		if c.Summary.Failed == 0 {
			return "The sync works and is safe, but not every MUST spec is followed to the letter of Livefyre's docs, which fails a strict run."
		}
		return "A MUST spec failed: the sync breaks or is unsafe."
	}
	return ""
}

// notCovered names the MUST specs a certificate does not cover, because
// they were skipped (no --update-hook, a label filter, a single --user), as
// a sentence to add to the verdict's meaning; "" when every one ran.
func (c *Conformance) notCovered() string {
	var ids []string
	for _, r := range c.Results {
		if r.Level == Must && r.Outcome == Skipped {
			ids = append(ids, r.ID)
		}
	}
	switch {
	case len(ids) == 0:
		return ""
	case len(ids) > 3:
		return fmt.Sprintf(" It does not cover %d MUST specs that did not run (see Skipped).", len(ids))
	}
	return fmt.Sprintf(" It does not cover %s, which did not run (see Skipped).", strings.Join(ids, ", "))
}

// verdictClass is the CSS class for a verdict: "certified",
// "deviations", "not-certified", or "unknown".
func verdictClass(v Verdict) string {
	switch v {
	case Certified:
		return "certified"
	case CertifiedWithDeviations:
		return "deviations"
	case NotCertified:
		return "not-certified"
	}
	return "unknown"
}

// countsLine says how many specs had each outcome, e.g.
// "20 passed, 2 deviations, 1 warning, 1 failed, 1 skipped".
func countsLine(s Summary) string {
	return fmt.Sprintf("%d passed, %s, %s, %d failed, %d skipped", s.Passed,
		plural(s.Deviated, "deviation"), plural(s.Warned, "warning"), s.Failed, s.Skipped)
}

// plural is n and noun, with an "s" unless n is 1: "1 warning",
// "0 warnings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// title is the heading of a severity's section in reports for people:
// "Failures", "Deviations" or "Warnings".
func (s Severity) title() string {
	switch s {
	case Failure:
		return "Failures"
	case Deviation:
		return "Deviations"
	case Warning:
		return "Warnings"
	}
	return "Findings"
}

// meaning says what a severity means for the integration, in a few
// words for a heading.
func (s Severity) meaning() string {
	switch s {
	case Failure:
		return "the sync breaks or is unsafe"
	case Deviation:
		return "the sync works; the documented contract is not followed to the letter"
	case Warning:
		return "advice"
	}
	return ""
}

// withSeverity is the results whose outcome has severity s, in order;
// with s empty, those that passed or were skipped.
func withSeverity(results []Result, s Severity) []Result {
	var out []Result
	for _, r := range results {
		if r.Outcome.Severity() == s {
			out = append(out, r)
		}
	}
	return out
}

// hasCulprit reports whether any of r's evidence is marked as what the
// finding is about.
func hasCulprit(r Result) bool {
	for _, ex := range r.Evidence {
		if ex.Culprit {
			return true
		}
	}
	return false
}
