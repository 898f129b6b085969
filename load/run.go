package load

import (
	"io/fs"

	"p4p"

	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p/load/slo"
	"p4p/profile"
	"p4p/reports"
)

// RawResults is the file, in the report directory, holding every result
// in Vegeta's gob encoding (bodies dropped, tokens p4p.Redacted), for
// `vegeta report` and `vegeta plot`.
const RawResults = "results.bin"

// MinAchieved is the share of the scheduled requests a run must send:
// below it the latencies understate what the target rate would meet
// (coordinated omission), and the run fails.
const MinAchieved = 0.99

// Options are what a run needs besides its scenario.
type Options struct {
	// Progress receives a progress line every second; nil for none.
	Progress io.Writer
	// HarnessVersion names the p4p build in the reports.
	HarnessVersion string
}

// Run checks the scenario, starts what it needs, runs it, judges its
// SLOs and writes the reports to the scenario's report directory. A run
// that breaches an SLO or falls short of its rate returns a report with
// Passed false and a nil error; errors are for runs that could not be
// made (a bad scenario, an endpoint that cannot be started, a report
// that cannot be written). The report returned, like those written, holds
// neither the network key nor the token.
func Run(ctx context.Context, s Scenario, opt Options) (*reports.Load, error) {
	s, err := s.Check()
	if err != nil {
		return nil, err
	}
	objectives, err := slo.ParseAll(s.SLOs, sloScenario(s))
	if err != nil {
		return nil, err
	}
	e, err := startEnv(ctx, s, s.base())
	if err != nil {
		return nil, err
	}
	defer e.close()
	r, err := newRun(s, e, opt)
	if err != nil {
		return nil, err
	}
	l, err := r.execute(ctx)
	if err != nil {
		return nil, err
	}
	judgeSLOs(l, objectives)
	if _, err := reports.WriteLoadDir(s.ReportDir, l, e.secrets()...); err != nil {
		return nil, err
	}
	redacted := l.Redact(e.secrets()...)
	// The shard file holds what summary.json shows, secrets redacted (the
	// errors' examples may quote a body or a URL), and the histograms.
	if err := writeShardFile(s.ReportDir, r.shardRecord(redacted)); err != nil {
		return nil, err
	}
	return redacted, nil
}

// base is the scenario a soak repeats, or the scenario itself.
func (s Scenario) base() Kind {
	if s.Kind == Soak {
		return s.Of
	}
	return s.Kind
}

// run is one scenario under way.
type run struct {
	s         Scenario
	env       *env
	opt       Options
	validator *profile.Validator
	started   time.Time
	collector *collector
	tracker   *tracker // propagation only
	raw       *os.File
	cpu       cpuClock
}

func newRun(s Scenario, e *env, opt Options) (*run, error) {
	v, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		return nil, err
	}
	return &run{s: s, env: e, opt: opt, validator: v}, nil
}

// execute runs the scenario and returns its report, SLOs not yet judged.
func (r *run) execute(ctx context.Context) (*reports.Load, error) {
	if err := os.MkdirAll(r.s.ReportDir, 0o755); err != nil {
		return nil, fmt.Errorf("report directory: %w", err)
	}
	// What an earlier run left here is not this run's: a merge must not
	// find it if this run ends before it writes its own.
	for _, f := range []string{ShardFile, reports.SummaryFile} {
		if err := os.Remove(filepath.Join(r.s.ReportDir, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("report directory: %w", err)
		}
	}
	raw, err := os.Create(filepath.Join(r.s.ReportDir, RawResults))
	if err != nil {
		return nil, fmt.Errorf("raw results: %w", err)
	}
	defer raw.Close()
	r.raw = raw
	r.started = time.Now()
	r.cpu = startCPUClock()
	span := time.Duration(r.s.Duration) + r.drain()
	r.collector = newCollector(r.started, span, time.Duration(r.s.Timeout)+time.Second)
	if r.s.Kind == Soak {
		r.collector.drift = newDrift(r.started, time.Duration(r.s.Window), time.Duration(r.s.Timeout)+time.Second)
	}
	var l *reports.Load
	if r.s.base() == Propagation {
		l, err = r.propagation(ctx)
	} else {
		l, err = r.pull(ctx)
	}
	if err != nil {
		return nil, err
	}
	if err := raw.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return nil, fmt.Errorf("raw results: %w", err)
	}
	l.Files = []string{RawResults, reports.SummaryFile, "junit.xml", "report.html", ShardFile}
	if r.s.Shard.split() {
		l.Shard = &reports.ShardInfo{Index: r.s.Shard.Index, Count: r.s.Shard.Count, Run: r.env.fingerprint}
	}
	return l, nil
}

// pull hits the Pull endpoint for the whole duration.
func (r *run) pull(ctx context.Context) (_ *reports.Load, err error) {
	targets := newPullTargets(r.env.pullURL, r.env.users.IDs, r.env.token)
	known := newValidBodies(len(targets.ids))
	a := &attack{name: "pull", targeter: targets.targeter(), pacer: r.schedule(),
		duration: r.schedule().attackDuration(), collector: r.collector, raw: r.raw, secrets: r.env.secrets(),
		judge: func(res *vegeta.Result) (verdict, string) {
			i, shown, ok := targets.user(res.URL)
			if !ok {
				return verdict{class: classTransport, kind: "unknown target", detail: "a result for a URL the run did not send"}, p4p.Redacted
			}
			return known.judge(r.validator, res, i, targets.ids[i]), shown
		}}
	if a.lean, err = r.lean(); err != nil {
		return nil, err
	}
	if a.lean == nil {
		a.attacker = r.attacker()
	}
	stopProgress := r.progress(nil)
	err = a.run(ctx)
	stopProgress()
	r.endProgress()
	r.collector.stoppedEarly = ctx.Err() != nil
	if err != nil {
		return nil, err
	}
	return r.report(), nil
}

// schedule is the pacer of the run's stripe of the scenario's schedule
// (all of it when unsplit), stopping at the last hit due within the
// duration.
func (r *run) schedule() schedule {
	return schedule{inner: r.s.pacer(), shard: r.s.Shard, duration: time.Duration(r.s.Duration), maxRate: maxRate(r.s.Rate)}
}

// attacker is a Vegeta attacker set up as the scenario says. It follows
// no redirects: Livefyre followed them to the same host only, and a load
// run must not carry the system token anywhere else.
func (r *run) attacker() *vegeta.Attacker {
	opts := []func(*vegeta.Attacker){
		vegeta.Workers(r.s.Workers), vegeta.Connections(r.s.Connections),
		vegeta.Timeout(time.Duration(r.s.Timeout)), vegeta.KeepAlive(true),
		vegeta.MaxBody(int64(r.validator.Limits().MaxBytes) + 1), vegeta.Redirects(vegeta.NoFollow),
	}
	if r.s.MaxWorkers > 0 {
		opts = append(opts, vegeta.MaxWorkers(r.s.MaxWorkers))
	}
	return vegeta.NewAttacker(opts...)
}

// lean is the lean attacker set up as the scenario says, as attacker
// sets up Vegeta's, or nil where it cannot send (see useLean).
func (r *run) lean() (*lean, error) {
	u := p4p.Template(r.env.pullURL).PullURL("u", r.env.token)
	if !useLean(u) {
		return nil, nil
	}
	e, err := newEndpoint(u, time.Duration(r.s.Timeout), int64(r.validator.Limits().MaxBytes)+1)
	if err != nil {
		return nil, fmt.Errorf("pull url: %w", err)
	}
	return &lean{endpoint: e, workers: r.s.Workers, maxWorkers: r.s.MaxWorkers, connections: r.s.Connections,
		maxRate: maxRate(r.s.Rate)}, nil
}

// drain is how long a propagation run waits after its last ping for the
// updates and their visibility: by default the combined promise.
func (r *run) drain() time.Duration {
	if r.s.base() != Propagation {
		return 0
	}
	if r.s.Drain > 0 {
		return time.Duration(r.s.Drain)
	}
	return r.visiblePromise()
}

// visiblePromise is the combined promise of an update visible in the
// app: Livefyre's ten minutes for the pull plus the longest wait for the
// mock's bootstrap refresh, both divided by the mock's time scale.
func (r *run) visiblePromise() time.Duration {
	scale := r.env.timeScale
	if scale <= 0 {
		scale = 1
	}
	return r.promise() + time.Duration(float64(r.env.bootstrapMax)/scale)
}

// promise is Livefyre's ten minutes, divided by the mock's time scale.
func (r *run) promise() time.Duration {
	scale := r.env.timeScale
	if scale <= 0 {
		scale = 1
	}
	return time.Duration(float64(r.s.Promise) / scale)
}

// report gathers the figures of the run so far.
func (r *run) report() *reports.Load {
	l := &reports.Load{Tool: "p4p load", HarnessVersion: r.opt.HarnessVersion, Scenario: string(r.s.Kind),
		Name: r.s.Name, Endpoint: p4p.Template(r.env.pullURL).Redacted(), Network: r.env.network, Users: len(r.env.users.IDs),
		Started: r.started, PlannedMS: ms(time.Duration(r.s.Duration))}
	if r.s.Kind == Soak {
		l.Of = string(r.s.Of)
	}
	r.collector.fill(l)
	l.ElapsedMS = ms(time.Since(r.started))
	l.Rate = r.rateReport(l.Requests.Total)
	if !r.env.inProcess && l.Requests.Valid > 0 {
		l.Requests.CPUPerValidMS = ms(r.cpu.used()) / float64(l.Requests.Valid)
	}
	if !maxRate(r.s.Rate) && l.Rate.Ratio < MinAchieved {
		l.Failures = append(l.Failures, shortfall(l.Rate, r.s))
	}
	return l
}

// rateReport compares the requests sent with those the pacer scheduled.
func (r *run) rateReport(sent int64) reports.RateReport {
	rr := reports.RateReport{Ramp: string(r.s.Ramp), Target: r.s.Rate.String(), Sent: sent,
		Workers: r.s.Workers, MaxWorker: r.s.MaxWorkers}
	planned := r.planned(r.collector.attackSpan())
	rr.Achieved = float64(sent) / planned.Seconds()
	switch r.s.Ramp {
	case Linear:
		rr.RampTo = r.s.RampTo.String()
	case Sine:
		rr.Amplitude, rr.PeriodMS = r.s.Amplitude.String(), ms(time.Duration(r.s.Period))
	}
	if maxRate(r.s.Rate) {
		rr.Ramp, rr.Ratio = "max", 1
		return rr
	}
	rr.Expected = r.s.Shard.stripe(int64(expectedHits(r.s.pacer(), planned) + 0.5))
	if rr.Expected > 0 {
		rr.Ratio = float64(sent) / float64(rr.Expected)
	}
	return rr
}

// shortfall says why a run that sent too few requests failed.
func shortfall(rr reports.RateReport, s Scenario) string {
	why := "the endpoint answered too slowly for the workers to keep up"
	if s.MaxWorkers > 0 {
		why = fmt.Sprintf("all %d workers (--max-workers) were busy", s.MaxWorkers)
	}
	return fmt.Sprintf("achieved rate %.1f/s sent %d of %d scheduled requests (%.1f%%, below %.0f%%): %s; "+
		"the latencies understate what the target rate would meet (coordinated omission)",
		rr.Achieved, rr.Sent, rr.Expected, 100*rr.Ratio, 100*MinAchieved, why)
}

// judgeSLOs checks the objectives against the run and sets Passed.
func judgeSLOs(l *reports.Load, objectives []slo.Objective) {
	values := sloValues(l)
	l.SLOs = make([]reports.SLOResult, 0, len(objectives))
	l.Passed = len(l.Failures) == 0
	for _, o := range objectives {
		res := o.Check(values)
		l.SLOs = append(l.SLOs, res)
		l.Passed = l.Passed && res.Passed
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
