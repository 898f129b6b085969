package conformance

import (
	"fmt"
	"io"

	"github.com/onsi/ginkgo/v2/formatter"

	"p4p/reports"
)

// progress writes p4p's own account of a run as it goes: one character
// per spec (".", "F", "D", "W", "S"), or with Verbose one line per spec
// with its outcome, time and message. A nil *progress writes nothing.
type progress struct {
	w       io.Writer
	verbose bool
}

func newProgress(out Output) *progress {
	if out.Progress == nil {
		return nil
	}
	return &progress{w: out.Progress, verbose: out.Verbose}
}

// start announces n specs.
func (p *progress) start(n int) {
	if p == nil {
		return
	}
	if p.verbose {
		fmt.Fprintf(p.w, "Running %d specs\n", n)
		return
	}
	fmt.Fprintf(p.w, "Running %d specs: ", n)
}

// done shows one spec's result.
func (p *progress) done(res reports.Result) {
	if p == nil {
		return
	}
	if !p.verbose {
		fmt.Fprint(p.w, progressMarks[res.Outcome])
		return
	}
	line := fmt.Sprintf("%-4s  %s (%.0f ms)", res.Outcome.Word(), res.ID, res.DurationMS)
	if res.Message != "" {
		line += ": " + res.Message
	}
	fmt.Fprintln(p.w, reports.OneLine(line))
}

// end closes the line of marks.
func (p *progress) end() {
	if p != nil && !p.verbose {
		fmt.Fprintln(p.w)
	}
}

// progressMarks are the characters of the outcomes in a line of marks.
var progressMarks = map[reports.Outcome]string{
	reports.Passed: ".", reports.Failed: "F", reports.Deviated: "D", reports.Warned: "W", reports.Skipped: "S",
}

// silenceGinkgo sends Ginkgo's reporter to io.Discard until the returned
// function is called: the reporter writes to formatter.ColorableStdOut,
// which RunSpecs reads when it starts.
func silenceGinkgo() (restore func()) {
	saved := formatter.ColorableStdOut
	formatter.ColorableStdOut = io.Discard
	return func() { formatter.ColorableStdOut = saved }
}
