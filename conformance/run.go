package conformance

import (
	"p4p"

	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"p4p/reports"
)

// skipError says a spec cannot be judged, and why.
type skipError struct{ reason string }

func (e skipError) Error() string { return e.reason }

// skip is what a Check returns when the spec does not apply to this run.
func skip(format string, args ...any) error {
	return skipError{fmt.Sprintf(format, args...)}
}

// deviationError says a MUST spec does not hold to the letter of
// Livefyre's docs, while the sync still works and is safe: e.g. a refusal
// answered 400, or 403 with a body, that serves no profile data.
type deviationError struct{ err error }

func (e deviationError) Error() string { return e.err.Error() }
func (e deviationError) Unwrap() error { return e.err }

// deviation is what a Check returns when the endpoint deviates from the
// documented contract in a way that does not break the sync.
func deviation(format string, args ...any) error {
	return deviationError{fmt.Errorf(format, args...)}
}

// fixError is a failure that brings its own fix: a check that tells
// causes apart gives the advice that fits the cause it found, e.g. "ping
// after the change" for a site that never pinged, instead of the spec's
// general Fix.
type fixError struct {
	err error
	fix string
}

func (e fixError) Error() string { return e.err.Error() }
func (e fixError) Unwrap() error { return e.err }

// withFix is what a Check returns when the fix depends on the cause: the
// result's Fix is fix instead of the spec's. An empty fix keeps the
// spec's.
func withFix(err error, fix string) error {
	if err == nil || fix == "" {
		return err
	}
	return fixError{err: err, fix: fix}
}

// blockedPrefix starts the message of a spec skipped for a failed need.
const blockedPrefix = "blocked: "

// Execute runs one spec against env, outside or inside Ginkgo, and
// returns its result. It does not consider Needs; a Run does.
func Execute(ctx context.Context, env *Env, s Spec) reports.Result {
	res := s.result()
	start := time.Now()
	p := NewProbe(env)
	err := runCheck(ctx, s, p)
	res.Evidence, res.Notes = p.evidence, p.notes
	var sk skipError
	var dev deviationError
	var fe fixError
	switch {
	case err == nil:
		res.Outcome = reports.Passed
	case errors.As(err, &sk):
		res.Outcome, res.Message = reports.Skipped, env.secrets.scrub(sk.reason)
	default:
		res.Outcome, res.Message, res.Fix = reports.Failed, env.secrets.scrub(err.Error()), s.Fix
		if errors.As(err, &fe) {
			res.Fix = fe.fix
		}
		switch {
		case s.Level == Should:
			res.Outcome = reports.Warned
		case errors.As(err, &dev):
			res.Outcome = reports.Deviated
		}
	}
	res.Severity = res.Outcome.Severity()
	res.DurationMS = ms(time.Since(start))
	return res
}

// runCheck runs s's check, turning a panic into a failure: a check that
// breaks on what an endpoint sent must not leave its spec unjudged.
func runCheck(ctx context.Context, s Spec, p *Probe) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("the check of %s stopped on what it received (panic: %v); please report this as a p4p bug", s.ID, v)
		}
	}()
	return s.Check(ctx, p)
}

// Run is one run of the suite: it executes specs in order, skips those
// whose needs failed, and makes the report.
type Run struct {
	env     *Env
	started time.Time

	mu      sync.Mutex
	results map[string]reports.Result
}

// NewRun starts a run against env.
func NewRun(env *Env) *Run {
	return &Run{env: env, started: time.Now(), results: make(map[string]reports.Result)}
}

// Execute runs s unless a spec it needs failed, and keeps its result.
func (r *Run) Execute(ctx context.Context, s Spec) reports.Result {
	var res reports.Result
	if blocker := r.blocker(s); blocker != "" {
		res = s.result()
		res.Outcome = reports.Skipped
		res.Message = blockedPrefix + blocker + " failed; fix it first"
	} else {
		res = Execute(ctx, r.env, s)
	}
	r.mu.Lock()
	r.results[s.ID] = res
	r.mu.Unlock()
	return res
}

// blocker is the first spec s needs that failed, or was itself blocked.
func (r *Run) blocker(s Spec) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range s.Needs {
		res, ok := r.results[id]
		if ok && (res.Outcome == reports.Failed || strings.HasPrefix(res.Message, blockedPrefix)) {
			return id
		}
	}
	return ""
}

// Report is the run's report: every spec in order, those never executed
// as skipped.
func (r *Run) Report() *reports.Conformance {
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg := r.env.cfg
	c := &reports.Conformance{
		Suite: "p4p conformance", SuiteVersion: Version, HarnessVersion: cfg.HarnessVersion,
		Endpoint: r.env.secrets.scrub(p4p.Template(cfg.PullURL).Redacted()), Network: cfg.Network, Livefyre: r.env.Livefyre(),
		Users: cfg.Users, LabelFilter: cfg.LabelFilter, Started: r.started.UTC(),
		DurationMS: ms(time.Since(r.started)), Strict: cfg.Strict,
	}
	for _, s := range Specs() {
		res, ok := r.results[s.ID]
		switch {
		case !ok && selected(cfg.LabelFilter, s):
			res = s.result()
			res.Outcome, res.Message = reports.Failed, "did not run: the run was interrupted or timed out before this spec"
		case !ok:
			res = s.result()
			res.Outcome, res.Message = reports.Skipped, "not selected by the label filter"
		}
		c.Results = append(c.Results, res)
	}
	c.Tally()
	return c
}

// selected reports whether the label filter selects s; an empty or
// unparsable filter selects every spec (Config.Validate refuses the
// latter).
func selected(filter string, s Spec) bool {
	if filter == "" {
		return true
	}
	match, err := types.ParseLabelFilter(filter)
	return err != nil || match(s.Labels)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
