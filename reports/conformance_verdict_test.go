package reports

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestCountsLine(t *testing.T) {
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "0 passed, 0 deviations, 0 warnings, 0 failed, 0 skipped"},
		{Summary{Passed: 20, Deviated: 2, Warned: 1, Failed: 1, Skipped: 1}, "20 passed, 2 deviations, 1 warning, 1 failed, 1 skipped"},
		{Summary{Passed: 1, Deviated: 1, Warned: 2, Failed: 3, Skipped: 4}, "1 passed, 1 deviation, 2 warnings, 3 failed, 4 skipped"},
	}
	for _, tt := range tests {
		if got := countsLine(tt.s); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.s, got, tt.want)
		}
	}
}

// verdictCases are runs with each verdict, strict and not: whether the
// run has a failure and a deviation, and what each rendering must say.
var verdictCases = []struct {
	name              string
	failed, deviated  bool
	strict            bool
	verdict           Verdict
	heading, meaning  string
	class, colour     string
	verdictLineStarts string
}{
	{"certified", false, false, false, Certified, "CERTIFIED", "Every MUST spec that ran holds",
		"certified", "#1a7f37", "CERTIFIED: "},
	{"certified strict", false, false, true, Certified, "CERTIFIED", "Every MUST spec that ran holds",
		"certified", "#1a7f37", "CERTIFIED (--strict: deviations fail): "},
	{"with deviations", false, true, false, CertifiedWithDeviations, "CERTIFIED WITH DEVIATIONS", "The sync works and is safe, but",
		"deviations", "#bc4c00", "CERTIFIED WITH DEVIATIONS: "},
	{"deviations strict", false, true, true, NotCertified, "NOT CERTIFIED", "which fails a strict run",
		"not-certified", "#c62828", "NOT CERTIFIED (--strict: deviations fail): "},
	{"failure", true, true, false, NotCertified, "NOT CERTIFIED", "A MUST spec failed",
		"not-certified", "#c62828", "NOT CERTIFIED: "},
	{"failure strict", true, false, true, NotCertified, "NOT CERTIFIED", "A MUST spec failed",
		"not-certified", "#c62828", "NOT CERTIFIED (--strict: deviations fail): "},
}

// TestVerdictEverywhere checks that the terminal, report.json, junit.xml
// and report.html say the same verdict, and the strict flag, for each
// verdict.
func TestVerdictEverywhere(t *testing.T) {
	for _, tt := range verdictCases {
		t.Run(tt.name, func(t *testing.T) {
			c := sampleVariant(tt.failed, tt.deviated, tt.strict)
			if c.Verdict != tt.verdict {
				t.Fatalf("got verdict %q, want %q", c.Verdict, tt.verdict)
			}
			if got := lastLine(rendered(t, c.WriteText)); !strings.HasPrefix(got, tt.verdictLineStarts) {
				t.Errorf("text: got verdict line %q, want it to start %q", got, tt.verdictLineStarts)
			}
			checkJSONVerdict(t, c, tt.verdict, tt.strict)
			doc, _ := parseJUnit(t, c.WriteJUnit)
			checkProperties(t, doc.Suites[0].Properties, map[string]string{"verdict": string(tt.verdict), "strict": strconv.FormatBool(tt.strict)})
			checkHTMLVerdict(t, rendered(t, c.WriteHTML), tt.class, tt.heading, tt.meaning, tt.strict)
		})
	}
}

// checkJSONVerdict fails the test unless c's report.json says verdict
// and strict.
func checkJSONVerdict(t *testing.T, c *Conformance, verdict Verdict, strict bool) {
	t.Helper()
	var got struct {
		Verdict Verdict `json:"verdict"`
		Strict  bool    `json:"strict"`
		Passed  bool    `json:"passed"`
	}
	if err := json.Unmarshal([]byte(rendered(t, c.WriteJSON)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Verdict != verdict || got.Strict != strict || got.Passed != (verdict != NotCertified) {
		t.Errorf("json: got verdict %q strict %v passed %v, want %q %v %v", got.Verdict, got.Strict, got.Passed, verdict, strict, verdict != NotCertified)
	}
}

// checkHTMLVerdict fails the test unless the page out has a certificate
// of class, the heading, the meaning, and the strict note just when
// strict.
func checkHTMLVerdict(t *testing.T, out, class, heading, meaning string, strict bool) {
	t.Helper()
	want := []string{
		`<title>` + heading + `: p4p conformance of `,
		`<section class="certificate ` + class + `" aria-labelledby="verdict">`,
		`<h1 class="verdict" id="verdict">` + heading + `</h1>`,
		`<p class="meaning">`, strings.ReplaceAll(meaning, "'", "&#39;"),
	}
	note := []string{`<p class="strict">--strict: deviations fail</p>`}
	if strict {
		checkHolds(t, out, append(want, note...), nil)
	} else {
		checkHolds(t, out, want, note)
	}
}

func TestVerdictHeading(t *testing.T) {
	tests := []struct {
		v      Verdict
		strict bool
		want   string
	}{
		{Certified, false, "CERTIFIED"},
		{CertifiedWithDeviations, false, "CERTIFIED WITH DEVIATIONS"},
		{NotCertified, false, "NOT CERTIFIED"},
		{NotCertified, true, "NOT CERTIFIED (--strict: deviations fail)"},
		{Certified, true, "CERTIFIED (--strict: deviations fail)"},
		{"", false, "NO VERDICT"},
	}
	for _, tt := range tests {
		c := &Conformance{Verdict: tt.v, Strict: tt.strict}
		if got := c.verdictHeading(); got != tt.want {
			t.Errorf("%q strict %v: got %q, want %q", tt.v, tt.strict, got, tt.want)
		}
	}
}

func TestVerdictClass(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range []Verdict{Certified, CertifiedWithDeviations, NotCertified} {
		class := verdictClass(v)
		if class == "unknown" || seen[class] {
			t.Errorf("verdict %q: got class %q, want one of its own", v, class)
		}
		seen[class] = true
	}
	if got := verdictClass("maybe"); got != "unknown" {
		t.Errorf("an unknown verdict: got class %q, want unknown", got)
	}
}

// TestCertificateSaysWhatItDoesNotCover: a certified run with a skipped
// MUST spec names it in the terminal and on report.html's certificate; a
// run where every MUST spec ran says nothing of the kind.
func TestCertificateSaysWhatItDoesNotCover(t *testing.T) {
	c := sampleVariant(false, false, false)
	if c.Verdict != Certified {
		t.Fatalf("sample verdict %q, want certified", c.Verdict)
	}
	var skippedMust []string
	for _, r := range c.Results {
		if r.Level == Must && r.Outcome == Skipped {
			skippedMust = append(skippedMust, r.ID)
		}
	}
	if len(skippedMust) == 0 {
		t.Fatal("the sample has no skipped MUST spec")
	}
	for name, out := range map[string]string{"text": rendered(t, c.WriteText), "html": rendered(t, c.WriteHTML)} {
		if !strings.Contains(out, "does not cover "+skippedMust[0]) {
			t.Errorf("%s does not say the certificate leaves out %s", name, skippedMust[0])
		}
	}
	for i := range c.Results {
		if c.Results[i].Level == Must && c.Results[i].Outcome == Skipped {
			c.Results[i].Outcome = Passed
		}
	}
	c.Tally()
	if out := rendered(t, c.WriteText); strings.Contains(out, "does not cover") {
		t.Errorf("every MUST spec ran, yet the text says the certificate does not cover one:\n%s", out)
	}
}
