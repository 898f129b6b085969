package reports

import (
	"bytes"
	"io"

	"p4p/reports/internal/xmltext"
)

// WriteJUnit writes the run as JUnit XML for CI systems: one testsuite
// named "p4p conformance" with one testcase per spec. A failed spec is a
// failure of type MUST; a warned spec passes with its warning in
// system-out, since JUnit has no warning state; a skipped spec is
// skipped. The output is well-formed XML whatever the report's strings
// hold: characters XML 1.0 forbids become U+FFFD.
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
		},
	}
	if c.LabelFilter != "" {
		s.Properties = append(s.Properties, junitProperty{"label_filter", xmltext.Safe(c.LabelFilter)})
	}
	for _, r := range c.Results {
		s.Cases = append(s.Cases, junitTestcase(r))
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

// junitTestcase is one result as a testcase.
func junitTestcase(r Result) junitCase {
	tc := junitCase{
		Classname: xmltext.Safe(junitClassname(r)),
		Name:      xmltext.Safe(r.ID + ": " + r.Requirement),
		Time:      junitSeconds(r.DurationMS),
	}
	switch r.Outcome {
	case Failed:
		tc.Failure = &junitFailure{Message: xmltext.Safe(r.Message), Type: "MUST", Text: junitFindings(r)}
	case Warned:
		tc.SystemOut = &junitText{"WARNING (SHOULD): " + junitFindings(r)}
	case Skipped:
		tc.Skipped = &junitSkipped{Message: xmltext.Safe(r.Message)}
	default:
		if len(r.Notes) > 0 {
			tc.SystemOut = &junitText{junitFindings(r)}
		}
	}
	return tc
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
