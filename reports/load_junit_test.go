package reports

import (
	"strings"
	"testing"

	"p4p/reports/internal/xmltext"
)

// parseLoadJUnit parses l's JUnit output back, failing the test when it
// is not well-formed XML or not one testsuite.
func parseLoadJUnit(t *testing.T, l *Load) (junitSuite, string) {
	t.Helper()
	doc, out := parseJUnit(t, l.WriteJUnit)
	if len(doc.Suites) != 1 {
		t.Fatalf("got %d testsuites, want 1", len(doc.Suites))
	}
	if doc.Tests != doc.Suites[0].Tests || doc.Failures != doc.Suites[0].Failures {
		t.Errorf("testsuites counts %d/%d differ from the testsuite's %d/%d",
			doc.Tests, doc.Failures, doc.Suites[0].Tests, doc.Suites[0].Failures)
	}
	return doc.Suites[0], out
}

func TestLoadWriteJUnitGolden(t *testing.T) {
	for _, s := range loadSamples {
		t.Run(s.name, func(t *testing.T) {
			_, out := parseLoadJUnit(t, s.load())
			checkGolden(t, "load-"+s.name+".junit.golden", []byte(out))
		})
	}
}

// junitCaseSummary is a testcase in brief: "classname/name", and "!" in
// front when it failed.
func junitCaseSummary(tc junitCase) string {
	s := tc.Classname + "/" + tc.Name
	if tc.Failure != nil {
		s = "!" + s
	}
	return s
}

func TestLoadWriteJUnitCases(t *testing.T) {
	tests := []struct {
		name        string
		load        func() *Load
		suite       string
		tests, fail int
		cases       []string
	}{
		{"pull", samplePull, "p4p load pull", 4, 0,
			[]string{"slo/p99<250ms", "slo/success>=99.5%", "slo/throughput>=450/s", "run/run completed"}},
		{"propagation", samplePropagation, "p4p load propagation", 5, 3,
			[]string{"slo/propagation_p99<5s", "!slo/within_promise>=99.9%", "!slo/lost==0", "slo/p99<100ms",
				"!run/" + samplePropagation().Failures[0]}},
		{"soak", sampleSoak, "p4p load soak of pull", 4, 0,
			[]string{"slo/p99<250ms", "slo/p99_drift<1.5", "slo/heap_growth_mb<64", "run/run completed"}},
		{"empty", func() *Load { return &Load{Scenario: "pull"} }, "p4p load pull", 1, 0, []string{"run/run completed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := parseLoadJUnit(t, tt.load())
			if s.Name != tt.suite || s.Tests != tt.tests || s.Failures != tt.fail {
				t.Errorf("got suite %q with %d tests, %d failures; want %q, %d, %d", s.Name, s.Tests, s.Failures, tt.suite, tt.tests, tt.fail)
			}
			var got []string
			for _, tc := range s.Cases {
				got = append(got, junitCaseSummary(tc))
			}
			if strings.Join(got, "\n") != strings.Join(tt.cases, "\n") {
				t.Errorf("got testcases\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.cases, "\n"))
			}
		})
	}
}

func TestLoadWriteJUnitDetails(t *testing.T) {
	s, _ := parseLoadJUnit(t, samplePropagation())
	checkProperties(t, s.Properties, map[string]string{
		"endpoint": "https://app.example.org/p4p/pull?id={id}", "network": "example.fyre.co",
		"harness_version": "v0.4.0", "scenario": "propagation", "livefyre": "embedded mock",
		"rate": "50/s → 200/s linear",
	})
	if got, want := s.Timestamp, "2025-03-14T09:26:53"; got != want {
		t.Errorf("timestamp: got %q, want %q", got, want)
	}
	failure := s.Cases[1].Failure
	if failure.Type != "SLO" || failure.Message != "within_promise was 99.52%, not >= 99.9%" ||
		failure.Text != failure.Message {
		t.Errorf("SLO failure: got type %q, message %q, text %q", failure.Type, failure.Message, failure.Text)
	}
	if got, want := systemOut(s.Cases[0]), "propagation_p99 was 4.21s, < 5s"; got != want {
		t.Errorf("passing SLO's system-out: got %q, want %q", got, want)
	}
	bare, _ := parseLoadJUnit(t, &Load{Scenario: "pull", SLOs: []SLOResult{{Expr: "p99<1s", Metric: "p99", Value: 1500, Unit: "ms"}}})
	if got, want := bare.Cases[0].Failure.Text, "p99 was 1.5s"; got != want {
		t.Errorf("SLO failure without a message: got text %q, want %q", got, want)
	}
}

func TestLoadWriteJUnitNastyStrings(t *testing.T) { checkEachNasty(t, checkLoadNasty) }

func FuzzWriteLoadJUnit(f *testing.F) {
	addNastySeeds(f)
	f.Fuzz(checkLoadNasty)
}

// checkLoadNasty puts s in every kind of place WriteJUnit writes a
// string and checks the output is well-formed and keeps s, made
// XML-safe.
func checkLoadNasty(t *testing.T, s string) {
	l := samplePropagation()
	l.Endpoint, l.Scenario = s, s
	l.SLOs[0].Expr, l.SLOs[0].Message = s, s
	l.SLOs[1].Expr, l.SLOs[1].Message = s, s
	l.Failures = append(l.Failures, s)
	suite, _ := parseLoadJUnit(t, l)
	want := xmltext.Safe(s)
	if got := suite.Properties[0].Value; got != want {
		t.Errorf("endpoint property: got %q, want %q", got, want)
	}
	if got := suite.Name; got != xmltext.Safe("p4p load "+s) {
		t.Errorf("suite name: got %q, want %q", got, xmltext.Safe("p4p load "+s))
	}
	if got := suite.Cases[1].Name; got != want {
		t.Errorf("SLO testcase name: got %q, want %q", got, want)
	}
	if got := suite.Cases[1].Failure.Message; got != want {
		t.Errorf("SLO failure message: got %q, want %q", got, want)
	}
	if got := suite.Cases[len(suite.Cases)-1].Failure.Message; got != want {
		t.Errorf("run failure message: got %q, want %q", got, want)
	}
}
