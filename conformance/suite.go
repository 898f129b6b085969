package conformance

import (
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/onsi/ginkgo/v2"

	"p4p/reports"
)

// ErrRan is returned by RunSuite when the suite already ran in this
// process: Ginkgo runs one suite per process.
var ErrRan = errors.New("conformance: the suite already ran in this process")

var ran atomic.Bool

// Output says how progress is shown while the suite runs.
type Output struct {
	Verbose bool // each spec as it runs, instead of one line for all
	NoColor bool
	// Progress, when set, receives p4p's own progress, and Ginkgo's
	// reporter is silenced: an integrator's terminal shows no framework
	// internals (source paths, a second failure summary). A program sets
	// it; a go test leaves it nil to keep Ginkgo's output.
	Progress io.Writer
}

// RunSuite runs the specs selected by env's label filter as a Ginkgo
// suite, in the order of Specs, and returns the report. A failed MUST spec
// fails the Ginkgo spec and t; a failed SHOULD spec is a warning; a spec
// whose needs failed is skipped as blocked. t is the *testing.T of a test,
// or anything with a Fail method in a program.
func RunSuite(env *Env, t ginkgo.GinkgoTestingT, out Output) (*reports.Conformance, error) {
	if ran.Swap(true) {
		return nil, ErrRan
	}
	run := NewRun(env)
	progress := newProgress(out)
	describe(run, progress)
	suite, reporter := ginkgo.GinkgoConfiguration()
	suite.LabelFilter = env.cfg.LabelFilter
	suite.RandomizeAllSpecs = false
	suite.Timeout = suiteTimeout(env)
	reporter.Succinct = !out.Verbose
	reporter.Verbose = out.Verbose
	reporter.NoColor = out.NoColor
	if out.Progress != nil {
		defer silenceGinkgo()()
		progress.start(len(Specs()))
	}
	ginkgo.RunSpecs(t, "p4p conformance", suite, reporter)
	progress.end()
	return run.Report(), nil
}

// describe builds the Ginkgo tree: one container, a Describe per group,
// an It per spec, labelled. The container is Ordered, so that specs run as
// Specs lists them and a spec's needs run before it (Ginkgo would sort
// specs made in a loop by their text), and ContinueOnFailure, so that a
// failure does not skip the specs after it.
func describe(run *Run, progress *progress) {
	ginkgo.Describe("Ping for Pull endpoint", ginkgo.Ordered, ginkgo.ContinueOnFailure, func() {
		for _, g := range groups() {
			ginkgo.Describe(g.name, func() {
				for _, s := range g.specs {
					ginkgo.It(s.ID+": "+s.Requirement, ginkgo.Label(s.Labels...), func(ctx ginkgo.SpecContext) {
						res := run.Execute(ctx, s)
						progress.done(res)
						report(res, run.env.cfg.Strict)
					})
				}
			})
		}
	})
}

// report tells Ginkgo a result: a failure fails the spec, as does a
// deviation when strict; a deviation otherwise, or a warning, is a report
// entry; a skip a skip.
func report(res reports.Result, strict bool) {
	for _, n := range res.Notes {
		ginkgo.AddReportEntry("note", n, ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
	switch res.Outcome {
	case reports.Failed:
		ginkgo.Fail(res.ID + ": " + res.Message + "\nFix: " + res.Fix)
	case reports.Deviated:
		if strict {
			ginkgo.Fail(res.ID + " (deviation, --strict): " + res.Message + "\nFix: " + res.Fix)
		}
		ginkgo.AddReportEntry("deviation", res.ID+": "+res.Message+"\nFix: "+res.Fix)
	case reports.Warned:
		ginkgo.AddReportEntry("warning", res.ID+" (SHOULD): "+res.Message+"\nFix: "+res.Fix)
	case reports.Skipped:
		ginkgo.Skip(res.Message)
	}
}

// suiteTimeout bounds the whole run, a safety net above the specs' own
// limits: a propagation budget for P4P-PIPE-002 and one for each round of
// P4P-PIPE-003's changes, and a request timeout for each request the
// specs make.
func suiteTimeout(env *Env) time.Duration {
	requests := 40 + len(env.cfg.Users)*10 + env.cfg.Burst/env.cfg.Concurrency
	return (1+updateRounds)*env.cfg.budget(env.timeScale) + time.Duration(requests)*env.cfg.Timeout
}
