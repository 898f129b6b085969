package reports

import (
	"fmt"
	"io"

	"p4p/reports/internal/xmltext"
)

// WriteJUnit writes the load run as JUnit XML for CI systems: one
// testsuite named after the scenario ("p4p load pull") with one
// testcase per SLO (classname "slo", named by its expression, failed
// with its message when it did not hold), one failed testcase per other
// reason the run failed (classname "run"), and when there is none a
// passing testcase "run completed". The output is well-formed XML
// whatever the run's strings hold: characters XML 1.0 forbids become
// U+FFFD.
func (l *Load) WriteJUnit(w io.Writer) error {
	return writeJUnit(w, l.junitSuite(), "load junit report")
}

// junitSuite is the load run as one testsuite.
func (l *Load) junitSuite() junitSuite {
	s := junitSuite{
		Name:       xmltext.Safe(l.title()),
		Time:       junitSeconds(l.ElapsedMS),
		Timestamp:  l.Started.UTC().Format(junitTimestamp),
		Properties: l.junitProperties(),
	}
	for _, slo := range l.SLOs {
		s.Cases = append(s.Cases, junitSLOCase(slo))
	}
	for _, f := range l.Failures {
		s.Cases = append(s.Cases, junitCase{Classname: "run", Name: xmltext.Safe(f), Time: junitSeconds(0),
			Failure: &junitFailure{Message: xmltext.Safe(f), Type: "run", Text: xmltext.Safe(block(f))}})
	}
	if len(l.Failures) == 0 {
		s.Cases = append(s.Cases, junitCase{Classname: "run", Name: "run completed", Time: junitSeconds(l.ElapsedMS),
			SystemOut: &junitText{xmltext.Safe(l.junitFigures())}})
	}
	s.tally()
	return s
}

// junitProperties say what was attacked and how: always the endpoint,
// network, harness version and scenario, and what else the run names.
func (l *Load) junitProperties() []junitProperty {
	props := []junitProperty{
		{"endpoint", xmltext.Safe(l.Endpoint)},
		{"network", xmltext.Safe(l.Network)},
		{"harness_version", xmltext.Safe(l.HarnessVersion)},
		{"scenario", xmltext.Safe(l.Scenario)},
	}
	for _, p := range []junitProperty{
		{"of", l.Of}, {"name", l.Name}, {"livefyre", l.Livefyre}, {"rate", rateTargetText(l.Rate)},
	} {
		if p.Value != "" {
			props = append(props, junitProperty{p.Name, xmltext.Safe(p.Value)})
		}
	}
	return props
}

// junitSLOCase is one SLO as a testcase: its message (or, without one,
// the value measured) goes in the failure when it did not hold, and in
// system-out when it did.
func junitSLOCase(s SLOResult) junitCase {
	tc := junitCase{Classname: "slo", Name: xmltext.Safe(s.Expr), Time: junitSeconds(0)}
	text := s.Message
	if text == "" {
		text = fmt.Sprintf("%s was %s", s.Metric, sloValueText(s))
	}
	if !s.Passed {
		tc.Failure = &junitFailure{Message: xmltext.Safe(s.Message), Type: "SLO", Text: xmltext.Safe(block(text))}
		return tc
	}
	tc.SystemOut = &junitText{xmltext.Safe(block(text))}
	return tc
}

// junitFigures are the run's main figures in one line, for the passing
// "run completed" testcase.
func (l *Load) junitFigures() string {
	s := fmt.Sprintf("%s requests at %s, %s valid, throughput %s, p50 %s, p99 %s",
		countText(l.Requests.Total), rateText(l.Rate.Achieved), percentText(l.Requests.Success),
		rateText(l.Requests.Throughput), latencyText(l.Latency.P50), latencyText(l.Latency.P99))
	if p := l.Propagation; p != nil {
		s += fmt.Sprintf("; ping to update p50 %s, p99 %s; ping to visible p50 %s, p99 %s, %s within %s",
			latencyText(p.Latency.P50), latencyText(p.Latency.P99), latencyText(p.Visible.P50), latencyText(p.Visible.P99),
			percentText(p.WithinVisiblePromise), latencyText(p.VisiblePromiseMS))
	}
	return s
}
