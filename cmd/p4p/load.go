package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"p4p/load"
	"p4p/load/slo"
	"p4p/profile"
	"p4p/reports"
)

// defaultRate is the rate without --rate or a scenario file, per second:
// Vegeta's default.
const defaultRate = 50

// loadUsage is p4p load's synopsis.
const loadUsage = `usage: p4p load pull|propagation|soak [flags]
       p4p load --scenario FILE [flags that override the file]
       p4p load ... --shard i/n   (one of n shares; merge with p4p report merge)`

// loadFlags are p4p load's flags, applied onto a load.Scenario: a
// scenario file's, when --scenario names one, or an empty one. Only the
// flags given override the file.
type loadFlags struct {
	file  string
	s     load.Scenario
	slos  userList
	ids   userList
	of    string
	shard string
	q     bool
}

func (f *loadFlags) register(fs *flag.FlagSet) {
	s := &f.s
	fs.StringVar(&f.file, "scenario", "", "a scenario file (YAML or JSON, see schemas/scenario.schema.json); flags given as well override it")
	fs.StringVar(&s.Name, "name", "", "a name for the run, shown in the reports")
	fs.StringVar(&f.of, "of", "", "soak: the scenario to soak, pull (default) or propagation")
	fs.StringVar(&s.PullURL, "pull-url", "", "the Pull URL template, with {id} (default: p4p's reference endpoint, in-process)")
	fs.StringVar(&s.Network, "network", os.Getenv("P4P_NETWORK"), "full network name, e.g. example.fyre.co (env P4P_NETWORK)")
	fs.StringVar(&s.Key, "key", "", "network key (default: the environment variable named by key_env, P4P_NETWORK_KEY)")
	fs.StringVar(&s.UsersFile, "users", "", "a JSON array of user ids, or of profiles as p4p refapp --users-file takes")
	fs.Var(&f.ids, "user", "a user id; repeat, or separate with commas")
	fs.IntVar(&s.UserCount, "user-count", 0, fmt.Sprintf("draw from N synthetic users, as p4p refapp serves them (default %d)", load.DefaultUserCount))
	fs.Var(&s.Rate, "rate", "requests per time unit, e.g. 500/s or 50/1m; 0 is as fast as the workers allow (needs --max-workers) (default 50/s, as Vegeta's)")
	fs.Var((*rampFlag)(&s.Ramp), "ramp", "how the rate changes: constant, linear (to --ramp-to) or sine (± --amplitude every --period)")
	fs.Var(&s.RampTo, "ramp-to", "linear: the rate at the end of the run")
	fs.Var(&s.Amplitude, "amplitude", "sine: how far the rate swings from --rate")
	fs.Var(&s.Period, "period", "sine: the length of a full wave")
	fs.Var(&s.Duration, "duration", "how long to send requests, e.g. 5m")
	fs.Uint64Var(&s.Workers, "workers", 0, fmt.Sprintf("initial workers (default %d)", load.DefaultWorkers))
	fs.Uint64Var(&s.MaxWorkers, "max-workers", 0, "most workers (default unbounded)")
	fs.IntVar(&s.Connections, "connections", 0, fmt.Sprintf("idle connections per host (default %d)", load.DefaultConnections))
	fs.Var(&s.Timeout, "timeout", fmt.Sprintf("per request (default %s)", load.DefaultTimeout))
	fs.StringVar(&s.Livefyre, "livefyre", "", "propagation: base URL of a running p4p mock (default: one in-process)")
	fs.StringVar(&s.Delay, "delay", "", `propagation, in-process mock: delay from ping to pull, e.g. "1m-10m" (default 0)`)
	fs.Float64Var(&s.TimeScale, "time-scale", 0, "propagation, in-process mock: divide its delays and the promise by this (default 1)")
	fs.Var(&s.Promise, "promise", fmt.Sprintf("propagation: Livefyre's promise, before the time scale (default %s)", load.DefaultPromise))
	fs.Var(&s.Drain, "drain", "propagation: how long to wait for updates and their visibility after the last ping (default: the promise plus the mock's bootstrap cadence maximum)")
	fs.Var(&s.Window, "window", fmt.Sprintf("soak: the drift window (default %s)", load.DefaultWindow))
	fs.Var(&f.slos, "slo", `an objective the run must meet, e.g. 'p99<800ms', 'success>=99.9%', 'lost==0'; repeat`)
	fs.StringVar(&s.Fault, "fault", "", "break the in-process reference endpoint with this fault mode (see p4p refapp -h)")
	fs.StringVar(&s.ReportDir, "report-dir", "", fmt.Sprintf("where to write the reports (default %s)", load.DefaultReportDir))
	fs.StringVar(&f.shard, "shard", "", "run the i-th (from 0) of n shares of the run, as i/n; /n reads i from "+load.JobIndexEnv+
		" (a Kubernetes Indexed Job's); merge the shards' report directories with p4p report merge")
	fs.BoolVar(&f.q, "q", false, "no progress line")
}

// rampFlag makes a load.Ramp a flag.
type rampFlag load.Ramp

func (r *rampFlag) String() string { return string(*r) }
func (r *rampFlag) Set(v string) error {
	*r = rampFlag(v)
	return nil
}

// loadScenario parses p4p load's arguments into a scenario.
func loadScenario(args []string, stderr io.Writer) (load.Scenario, loadFlags, error) {
	var f loadFlags
	fs := flag.NewFlagSet("p4p load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, loadUsage)
		fs.PrintDefaults()
	}
	f.register(fs)
	kind := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		kind, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return load.Scenario{}, f, err
	}
	s, err := f.scenario(fs, kind)
	return s, f, err
}

// scenario starts from the scenario file, if any, and applies the flags
// given.
func (f *loadFlags) scenario(fs *flag.FlagSet, kind string) (load.Scenario, error) {
	var s load.Scenario
	if f.file != "" {
		var err error
		if s, err = load.ReadScenario(f.file); err != nil {
			return s, usageError{err}
		}
	}
	if kind != "" {
		s.Kind = load.Kind(kind)
	}
	if s.Kind == "" {
		return s, usagef("name a scenario (pull, propagation or soak) or a --scenario file\n%s", loadUsage)
	}
	if f.file == "" {
		s.Rate = load.Rate{Freq: defaultRate, Per: time.Second}
	}
	fs.Visit(func(fl *flag.Flag) { f.apply(&s, fl.Name) })
	if f.shard != "" {
		sh, err := load.ParseShard(f.shard, os.Getenv)
		if err != nil {
			return s, usageError{err}
		}
		s.Shard = sh
	}
	if s.Network == "" {
		// --network's default, which Visit skips: as for every command,
		// the network may come from the environment.
		s.Network = os.Getenv("P4P_NETWORK")
	}
	return s.LookupKey(os.Getenv), nil
}

// apply copies the flag called name onto s.
func (f *loadFlags) apply(s *load.Scenario, name string) {
	v := &f.s
	switch name {
	case "name":
		s.Name = v.Name
	case "of":
		s.Of = load.Kind(f.of)
	case "pull-url":
		s.PullURL = v.PullURL
	case "network":
		s.Network = v.Network
	case "key":
		s.Key = v.Key
	case "users":
		s.UsersFile, s.Users, s.UserCount = v.UsersFile, nil, 0
	case "user":
		s.UsersFile, s.Users, s.UserCount = "", f.ids, 0
	case "user-count":
		s.UsersFile, s.Users, s.UserCount = "", nil, v.UserCount
	case "rate":
		s.Rate = v.Rate
	case "ramp":
		s.Ramp = v.Ramp
	case "ramp-to":
		s.RampTo = v.RampTo
	case "amplitude":
		s.Amplitude = v.Amplitude
	case "period":
		s.Period = v.Period
	case "duration":
		s.Duration = v.Duration
	case "workers":
		s.Workers = v.Workers
	case "max-workers":
		s.MaxWorkers = v.MaxWorkers
	case "connections":
		s.Connections = v.Connections
	case "timeout":
		s.Timeout = v.Timeout
	case "livefyre":
		s.Livefyre = v.Livefyre
	case "delay":
		s.Delay = v.Delay
	case "time-scale":
		s.TimeScale = v.TimeScale
	case "promise":
		s.Promise = v.Promise
	case "drain":
		s.Drain = v.Drain
	case "window":
		s.Window = v.Window
	case "slo":
		s.SLOs = f.slos
	case "fault":
		s.Fault = v.Fault
	case "report-dir":
		s.ReportDir = v.ReportDir
	}
}

// loadGCPercent is p4p load's GOGC unless the environment sets one.
const loadGCPercent = 400

// runLoad runs a load scenario: exit status 0 when every SLO held, 1
// when one was breached or the run fell short of its rate.
func runLoad(args []string, stdout, stderr io.Writer) error {
	s, f, err := loadScenario(args, stderr)
	if err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		// A load generator's heap is small and short-lived (results
		// are counted, then dropped); collecting it a quarter as often
		// gave 13-17% more validated responses per second at the same
		// CPU in docs/BENCHMARKS.md's pull run. The live heap stays as
		// bounded as before; GOGC set by the user wins.
		debug.SetGCPercent(loadGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opt := load.Options{HarnessVersion: harnessVersion()}
	if !f.q {
		opt.Progress = stderr
	}
	l, err := load.Run(ctx, s, opt)
	if errors.Is(err, load.ErrScenario) || errors.Is(err, slo.ErrSLO) || errors.Is(err, profile.ErrUsers) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if err := l.WriteText(stdout); err != nil {
		return err
	}
	dir := cmp.Or(s.ReportDir, load.DefaultReportDir)
	fmt.Fprintf(stdout, "\nReports in %s: report.html (open in a browser), summary.json, junit.xml, %s (vegeta report %s), %s (p4p report merge)\n",
		dir, load.RawResults, dir+"/"+load.RawResults, load.ShardFile)
	if !l.Passed {
		return fmt.Errorf("the run failed: %s", failureSummary(l))
	}
	return nil
}

// failureSummary names what failed the run.
func failureSummary(l *reports.Load) string {
	var why []string
	for _, s := range l.SLOs {
		if !s.Passed {
			why = append(why, s.Expr)
		}
	}
	if len(why) > 0 {
		return "SLO breached: " + strings.Join(why, ", ")
	}
	return strings.Join(l.Failures, "; ")
}
