package reports

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"p4p/reports/internal/xmltext"
)

// WriteJUnit writes the run as JUnit XML for CI systems: one testsuite
// named "p4p conformance" with one testcase per spec, and the run's
// verdict and strictness among the testsuite's properties.
//
// A failed spec is a failure of type "failure". A deviated spec passes
// with its finding in system-out, since the sync works and CI systems
// show a failure as broken, unless the run is strict: then it is a
// failure of type "deviation". A warned spec passes with its finding in
// system-out, since JUnit has no warning state. Each finding's text
// starts with its severity and level, e.g. "DEVIATION (MUST): ". A
// skipped spec is skipped, with its reason as the message.
//
// The output is well-formed XML whatever the report's strings hold:
// characters XML 1.0 forbids become U+FFFD.
func (c *Conformance) WriteJUnit(w io.Writer) error {
	return writeJUnit(w, c.junitSuite(), "junit report")
}

// junitSuite is the run as one testsuite.
func (c *Conformance) junitSuite() junitSuite {
	s := junitSuite{
		Name:      "p4p conformance",
		Time:      junitSeconds(c.DurationMS),
		Timestamp: c.Started.UTC().Format(junitTimestamp),
		Properties: []junitProperty{
			{"endpoint", xmltext.Safe(c.Endpoint)},
			{"network", xmltext.Safe(c.Network)},
			{"livefyre", xmltext.Safe(c.Livefyre)},
			{"suite_version", xmltext.Safe(c.SuiteVersion)},
			{"harness_version", xmltext.Safe(c.HarnessVersion)},
			{"verdict", xmltext.Safe(string(c.Verdict))},
			{"strict", strconv.FormatBool(c.Strict)},
		},
	}
	if c.LabelFilter != "" {
		s.Properties = append(s.Properties, junitProperty{"label_filter", xmltext.Safe(c.LabelFilter)})
	}
	for _, r := range c.Results {
		s.Cases = append(s.Cases, junitTestcase(r, c.Strict))
	}
	s.tally()
	return s
}

// tally counts s's testcases, failures and skipped testcases.
func (s *junitSuite) tally() {
	for _, tc := range s.Cases {
		s.Tests++
		if tc.Failure != nil {
			s.Failures++
		}
		if tc.Skipped != nil {
			s.Skipped++
		}
	}
}

// junitTestcase is one result as a testcase; strict makes a deviation a
// failure.
func junitTestcase(r Result, strict bool) junitCase {
	tc := junitCase{
		Classname: xmltext.Safe(junitClassname(r)),
		Name:      xmltext.Safe(r.ID + ": " + r.Requirement),
		Time:      junitSeconds(r.DurationMS),
	}
	switch {
	case r.Outcome == Failed, r.Outcome == Deviated && strict:
		tc.Failure = &junitFailure{Message: xmltext.Safe(r.Message), Type: string(r.Outcome.Severity()), Text: junitFinding(r)}
	case r.Outcome == Deviated, r.Outcome == Warned:
		tc.SystemOut = &junitText{junitFinding(r)}
	case r.Outcome == Skipped:
		tc.Skipped = &junitSkipped{Message: xmltext.Safe(r.Message)}
	case len(r.Notes) > 0:
		tc.SystemOut = &junitText{junitFindings(r)}
	}
	return tc
}

// junitFinding is junitFindings after a prefix that names the finding's
// severity and the spec's level: "DEVIATION (MUST): ".
func junitFinding(r Result) string {
	prefix := strings.ToUpper(string(r.Outcome.Severity()))
	if r.Level != "" {
		prefix += " (" + string(r.Level) + ")"
	}
	return xmltext.Safe(prefix+": ") + junitFindings(r)
}

// junitClassname is "p4p." and the result's first label, or "p4p" when
// it has none.
func junitClassname(r Result) string {
	if label := firstLabel(r); label != "" {
		return "p4p." + label
	}
	return "p4p"
}

// junitFindings is a result's message, fix, notes and evidence as the
// text report writes them, which shows control characters escaped; it
// goes in CDATA sections, which encoding/xml splits at "]]>".
func junitFindings(r Result) string {
	var b bytes.Buffer
	writeTextFindings(&b, r, "")
	return xmltext.Safe(b.String())
}
