package reports

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"

	"p4p/reports/internal/xmltext"
)

func TestWriteJUnitSample(t *testing.T) {
	doc, out := parseJUnit(t, sample().WriteJUnit)
	if !strings.HasPrefix(out, xml.Header) {
		t.Errorf("output does not start with the XML declaration: %.60q", out)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("got %d testsuites, want 1", len(doc.Suites))
	}
	s := doc.Suites[0]
	checkSuiteAttrs(t, s)
	checkProperties(t, s.Properties, map[string]string{
		"endpoint": "https://app.example.org/p4p/pull?id={id}", "network": "example.fyre.co",
		"livefyre": "embedded mock", "suite_version": "1.0.0", "harness_version": "v0.3.0",
		"verdict": "not certified", "strict": "false",
	})
	if got, want := len(s.Cases), 7; got != want {
		t.Fatalf("got %d testcases, want %d", got, want)
	}
	checkCases(t, s.Cases)
	checkGolden(t, "conformance.junit.golden", []byte(out))
}

func checkSuiteAttrs(t *testing.T, s junitSuite) {
	t.Helper()
	got := []string{s.Name, itoa(s.Tests), itoa(s.Failures), itoa(s.Skipped), s.Time, s.Timestamp}
	want := []string{"p4p conformance", "7", "1", "2", "12.417", "2025-03-14T09:26:53"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("testsuite attributes: got %q, want %q", got, want)
			return
		}
	}
}

func checkCases(t *testing.T, cases []junitCase) {
	t.Helper()
	tests := []struct {
		i                  int
		classname, name    string
		failure, skipped   bool
		outPrefix, outPart string
	}{
		{0, "p4p.auth", "P4P-AUTH-001: A pull without lftoken is refused with 403", false, false, "", ""},
		{1, "p4p.auth", "P4P-AUTH-002: A pull with a valid system token is answered with 200", false, false, "Note: ", "3600 s"},
		{sampleDeviated, "p4p.auth", "P4P-AUTH-007: A refused pull's 403 has an empty body", false, false, "DEVIATION (MUST): 1 of 2 refused pulls", "Evidence 2 of 2 (broke the rule): pull u-1002"},
		{sampleFailed, "p4p.response", "P4P-RESP-001: A pull for a known user returns 200 with a JSON profile", true, false, "", ""},
		{sampleWarned, "p4p.response", "P4P-RESP-004: A profile response forbids caching with Cache-Control: no-store", false, false, "WARNING (SHOULD): The response for u-1002", "Fix: Send Cache-Control"},
		{sampleBlocked, "p4p.pipeline", "P4P-PIPE-001: A ping leads to a pull and the profile reaches Livefyre", false, true, "", ""},
		{sampleNoHook, "p4p.pipeline", "P4P-PIPE-003: After a profile change and its ping, the new display name is stored within the propagation budget", false, true, "", ""},
	}
	for _, tt := range tests {
		tc := cases[tt.i]
		if tc.Classname != tt.classname || tc.Name != tt.name {
			t.Errorf("testcase %d: got %s / %q, want %s / %q", tt.i, tc.Classname, tc.Name, tt.classname, tt.name)
		}
		if (tc.Failure != nil) != tt.failure || (tc.Skipped != nil) != tt.skipped {
			t.Errorf("testcase %d: got failure %v skipped %v, want %v %v", tt.i, tc.Failure != nil, tc.Skipped != nil, tt.failure, tt.skipped)
		}
		if !strings.HasPrefix(systemOut(tc), tt.outPrefix) || !strings.Contains(systemOut(tc), tt.outPart) {
			t.Errorf("testcase %d: got system-out %q, want it to start %q and hold %q", tt.i, systemOut(tc), tt.outPrefix, tt.outPart)
		}
	}
	checkFailure(t, cases[sampleFailed].Failure)
	for i, want := range map[int]string{sampleBlocked: "blocked: P4P-RESP-001 failed", sampleNoHook: "no update hook was given (--update-hook)"} {
		if got := cases[i].Skipped.Message; got != want {
			t.Errorf("testcase %d: got skipped message %q, want %q", i, got, want)
		}
	}
	if systemOut(cases[0]) != "" {
		t.Errorf("passing testcase without notes has system-out %q", systemOut(cases[0]))
	}
}

func checkFailure(t *testing.T, f *junitFailure) {
	t.Helper()
	if f.Type != "failure" || !strings.HasPrefix(f.Message, "2 of 2 pulls") {
		t.Errorf("failure: got type %q message %q, want type failure", f.Type, f.Message)
	}
	for _, want := range []string{"FAILURE (MUST): 2 of 2 pulls", "Fix: Answer a pull", "< 503 Service Unavailable", "< Retry-After: 120", "(6144 bytes, truncated)", "Error: Get ", "Reproduce: curl"} {
		if !strings.Contains(f.Text, want) {
			t.Errorf("failure text lacks %q:\n%s", want, f.Text)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestWriteJUnitNastyStrings(t *testing.T) { checkEachNasty(t, checkNasty) }

func FuzzWriteJUnit(f *testing.F) {
	addNastySeeds(f)
	f.Fuzz(checkNasty)
}

// checkNasty puts s in every kind of place WriteJUnit writes a string
// and checks the output is well-formed and keeps s, made XML-safe.
func checkNasty(t *testing.T, s string) {
	c := sample()
	c.Endpoint = s
	failed := &c.Results[sampleFailed]
	failed.ID, failed.Message, failed.Fix = s, s, s
	failed.Evidence[0].Response.Body = s
	failed.Evidence[0].Response.Header["X-Nasty"] = []string{s}
	c.Results[sampleBlocked].Message = s
	doc, _ := parseJUnit(t, c.WriteJUnit)
	suite := doc.Suites[0]
	want := xmltext.Safe(s)
	if got := suite.Properties[0].Value; got != want {
		t.Errorf("endpoint property: got %q, want %q", got, want)
	}
	if got := suite.Cases[sampleFailed].Failure.Message; got != want {
		t.Errorf("failure message: got %q, want %q", got, want)
	}
	if got := suite.Cases[sampleBlocked].Skipped.Message; got != want {
		t.Errorf("skipped message: got %q, want %q", got, want)
	}
	if body := xmltext.Safe(block(s)); !strings.ContainsAny(s, "\r\n") && !strings.Contains(suite.Cases[sampleFailed].Failure.Text, body) {
		t.Errorf("failure text lacks the body %q:\n%s", body, suite.Cases[sampleFailed].Failure.Text)
	}
	if got, prefix := suite.Cases[sampleFailed].Name, xmltext.Safe(s+": "); !strings.HasPrefix(got, prefix) {
		t.Errorf("testcase name: got %q, want prefix %q", got, prefix)
	}
}

func TestJUnitClassname(t *testing.T) {
	tests := []struct {
		labels []string
		want   string
	}{
		{nil, "p4p"},
		{[]string{}, "p4p"},
		{[]string{"auth", "response"}, "p4p.auth"},
	}
	for _, tt := range tests {
		if got := junitClassname(Result{Labels: tt.labels}); got != tt.want {
			t.Errorf("labels %q: got %q, want %q", tt.labels, got, tt.want)
		}
	}
}

// TestWriteJUnitDeviation checks that a deviation passes, its finding in
// system-out, unless the run is strict: then it is a failure of type
// deviation, and counts as one.
func TestWriteJUnitDeviation(t *testing.T) {
	tests := []struct {
		strict   bool
		failure  bool
		failures string
	}{
		{false, false, "1"},
		{true, true, "2"},
	}
	for _, tt := range tests {
		c := sample()
		c.Strict = tt.strict
		c.Tally()
		doc, _ := parseJUnit(t, c.WriteJUnit)
		s := doc.Suites[0]
		tc := s.Cases[sampleDeviated]
		if got := tc.Failure != nil; got != tt.failure {
			t.Fatalf("strict %v: got failure %v, want %v", tt.strict, got, tt.failure)
		}
		if got := itoa(s.Failures) + "/" + itoa(doc.Failures); got != tt.failures+"/"+tt.failures {
			t.Errorf("strict %v: got testsuite/testsuites failures %s, want %s", tt.strict, got, tt.failures)
		}
		text := systemOut(tc)
		if tt.failure {
			text = tc.Failure.Text
			if tc.Failure.Type != "deviation" || !strings.HasPrefix(tc.Failure.Message, "1 of 2 refused pulls") {
				t.Errorf("strict: got failure type %q message %q, want type deviation", tc.Failure.Type, tc.Failure.Message)
			}
			if systemOut(tc) != "" {
				t.Errorf("strict: the failing deviation has system-out %q as well", systemOut(tc))
			}
		}
		if want := "DEVIATION (MUST): 1 of 2 refused pulls"; !strings.HasPrefix(text, want) {
			t.Errorf("strict %v: got finding %q, want it to start %q", tt.strict, text, want)
		}
	}
}
