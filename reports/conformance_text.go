package reports

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteText writes the terminal summary of a run: a header saying what
// was tested, one line per spec, then the findings, gravest first (the
// failures, the deviations, the warnings, each with its message, fix and
// evidence), the reason each spec was skipped, and a verdict line such as
// "CERTIFIED WITH DEVIATIONS: 21 passed, 2 deviations, 1 warning, 0 failed, 1 skipped".
//
// Control characters in the report's strings are shown escaped, so a
// response body cannot drive the terminal.
func (c *Conformance) WriteText(w io.Writer) error {
	var b bytes.Buffer
	c.writeTextHeader(&b)
	c.writeTextTable(&b)
	for _, s := range severities {
		writeTextSection(&b, s, withSeverity(c.Results, s))
	}
	writeTextSkips(&b, c.Results)
	if nc := strings.TrimSpace(c.notCovered()); nc != "" && c.Verdict != NotCertified {
		b.WriteString("\n" + oneLine("The certificate"+strings.TrimPrefix(nc, "It")) + "\n")
	}
	fmt.Fprintf(&b, "\n%s: %s\n", c.verdictHeading(), countsLine(c.Summary))
	if _, err := b.WriteTo(w); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// writeTextHeader writes what was tested, with what, and when.
func (c *Conformance) writeTextHeader(b *bytes.Buffer) {
	fmt.Fprintf(b, "%s %s\n", oneLine(c.Suite), oneLine(c.SuiteVersion))
	field := func(name, value string) {
		fmt.Fprintf(b, "  %-10s%s\n", name+":", oneLine(value))
	}
	field("Endpoint", c.Endpoint)
	field("Network", c.Network)
	field("Livefyre", c.Livefyre)
	if len(c.Users) > 0 {
		field("Users", strings.Join(c.Users, ", "))
	}
	if c.LabelFilter != "" {
		field("Labels", c.LabelFilter)
	}
	field("Started", c.Started.UTC().Format(time.RFC3339)+", took "+formatMS(c.DurationMS))
	field("Harness", c.HarnessVersion)
}

// writeTextTable writes one aligned line per spec.
func (c *Conformance) writeTextTable(b *bytes.Buffer) {
	idWidth := 0
	for _, r := range c.Results {
		idWidth = max(idWidth, len(oneLine(r.ID)))
	}
	b.WriteString("\n")
	for _, r := range c.Results {
		line := fmt.Sprintf("%-4s  %-*s  %-6s  %s", r.Outcome.Word(), idWidth,
			oneLine(r.ID), oneLine(string(r.Level)), oneLine(r.Requirement))
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}

// writeTextSection writes the findings of severity s under a heading
// that says what the severity means; it writes nothing when there are
// none.
func writeTextSection(b *bytes.Buffer, s Severity, results []Result) {
	if len(results) == 0 {
		return
	}
	heading := fmt.Sprintf("%s (%s)", s.title(), s.meaning())
	fmt.Fprintf(b, "\n%s\n%s\n", heading, strings.Repeat("-", utf8.RuneCountInString(heading)))
	for _, r := range results {
		writeTextDetail(b, r)
	}
}

// writeTextDetail writes why a spec failed, deviated or warned, what to
// do about it, and the exchanges that show it.
func writeTextDetail(b *bytes.Buffer, r Result) {
	fmt.Fprintf(b, "\n%-4s  %s: %s\n", r.Outcome.Word(), oneLine(r.ID), oneLine(r.Requirement))
	writeTextFindings(b, r, "  ")
}

// writeTextFindings writes a result's message, fix, notes and evidence,
// each line prefixed with prefix.
func writeTextFindings(b *bytes.Buffer, r Result, prefix string) {
	if r.Message != "" {
		b.WriteString(indent(block(r.Message), prefix))
	}
	if r.Fix != "" {
		b.WriteString(indent("Fix: "+block(r.Fix), prefix))
	}
	for _, n := range r.Notes {
		b.WriteString(indent("Note: "+block(n), prefix))
	}
	for i, ex := range r.Evidence {
		b.WriteString("\n")
		writeTextExchange(b, ex, i+1, len(r.Evidence), prefix)
	}
}

// writeTextExchange writes the i-th of n exchanges: the request, the
// response or the error, and the curl command that repeats it.
func writeTextExchange(b *bytes.Buffer, ex Exchange, i, n int, prefix string) {
	culprit := ""
	if ex.Culprit {
		culprit = " (" + culpritNote + ")"
	}
	fmt.Fprintf(b, "%sEvidence %d of %d%s: %s (%s)\n", prefix, i, n, culprit, oneLine(ex.Title), formatMS(ex.DurationMS))
	in := prefix + "  "
	fmt.Fprintf(b, "%s> %s %s\n", in, oneLine(ex.Request.Method), oneLine(ex.Request.URL))
	for _, h := range headerLines(ex.Request.Header) {
		fmt.Fprintf(b, "%s> %s\n", in, oneLine(h))
	}
	if ex.Request.Body != "" {
		b.WriteString(indent(block(ex.Request.Body), in+"  "))
	}
	if ex.Response != nil {
		writeTextResponse(b, ex.Response, in)
	}
	if ex.Error != "" {
		b.WriteString(indent("Error: "+block(ex.Error), in))
	}
	if ex.Curl != "" {
		b.WriteString(indent("Reproduce: "+block(ex.Curl), in))
	}
}

// writeTextResponse writes a response's status line, headers and body.
func writeTextResponse(b *bytes.Buffer, resp *Response, in string) {
	fmt.Fprintf(b, "%s< %s\n", in, statusLine(resp.Status))
	for _, h := range headerLines(resp.Header) {
		fmt.Fprintf(b, "%s< %s\n", in, oneLine(h))
	}
	switch {
	case resp.Body == "" && resp.BodyBytes == 0:
		fmt.Fprintf(b, "%s(empty body)\n", in)
	case resp.Body != "":
		b.WriteString(indent(block(resp.Body), in+"  "))
	}
	if resp.Truncated {
		fmt.Fprintf(b, "%s(%d bytes, truncated)\n", in, resp.BodyBytes)
	}
}

// skipListMax is how many specs skipped for one reason the terminal
// names one by one; when more share a reason (such as every spec a
// label filter left out), one line counts them.
const skipListMax = 3

// writeTextSkips writes why each spec was skipped, in spec order, then
// a line for each reason too many specs share to name them; it writes
// nothing when none was skipped.
func writeTextSkips(b *bytes.Buffer, results []Result) {
	skips := withOutcome(results, Skipped)
	if len(skips) == 0 {
		return
	}
	b.WriteString("\nSkipped (not run)\n-----------------\n")
	shared := map[string]int{}
	for _, r := range skips {
		shared[r.Message]++
	}
	var many []string
	for _, r := range skips {
		switch n := shared[r.Message]; {
		case n <= skipListMax:
			fmt.Fprintf(b, "SKIP  %s: %s\n", oneLine(r.ID), skipReason(r))
		case !slices.Contains(many, r.Message):
			many = append(many, r.Message)
		}
	}
	for _, msg := range many {
		fmt.Fprintf(b, "SKIP  %d specs: %s\n", shared[msg], skipReason(Result{Message: msg}))
	}
}

// skipReason is why r was skipped, on one line.
func skipReason(r Result) string {
	if r.Message == "" {
		return "(no reason given)"
	}
	return oneLine(r.Message)
}

// withOutcome is the results with outcome o, in order.
func withOutcome(results []Result, o Outcome) []Result {
	var out []Result
	for _, r := range results {
		if r.Outcome == o {
			out = append(out, r)
		}
	}
	return out
}
