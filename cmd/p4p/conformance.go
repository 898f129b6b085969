package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"p4p"
	"p4p/conformance"
	"p4p/reports"
)

// DefaultReportDir is where p4p conformance writes its reports.
const DefaultReportDir = "reports/latest"

// conformanceFlags are p4p conformance's flags, parsed into a
// conformance.Config.
type conformanceFlags struct {
	net       networkFlags
	cfg       conformance.Config
	users     userList
	delay     string
	reportDir string
	list      bool
	verbose   bool
}

func (f *conformanceFlags) register(fs *flag.FlagSet) {
	f.net.register(fs)
	c := &f.cfg
	fs.StringVar(&c.PullURL, "pull-url", "", "the Pull URL template to certify, with {id}, e.g. 'https://example.com/pull?id={id}' (default: p4p's reference endpoint, in-process)")
	fs.Var(&f.users, "user", "a user id the endpoint knows; repeat, or separate with commas; the first is pulled most (required with --pull-url)")
	fs.StringVar(&c.UnknownUser, "unknown-user", "", "a user id the endpoint does not know (default: a random one)")
	fs.StringVar(&c.UpdateHook, "update-hook", "", `a URL that changes a user's profile when POSTed {"id":…,"display_name":…}; enables P4P-PIPE-003`)
	fs.StringVar(&c.UserTokenURL, "user-token-url", "", `a URL on your site that answers a GET with the userAuthToken it would issue the user now, as text or {"token":…}; {id} in it is filled in, or ?id= added; enables P4P-PIPE-004 (default with no --pull-url: the reference endpoint's)`)
	fs.BoolVar(&c.HarnessPings, "harness-pings", false, "ping Livefyre after using --update-hook, for sites whose hook does not ping")
	fs.StringVar(&c.Livefyre, "livefyre", "", "base URL of a running p4p mock (default: one in-process)")
	fs.DurationVar(&c.PropagationBudget, "propagation-budget", conformance.DefaultPropagationBudget, "how long a ping may take to reach the stored profile, divided by the mock's time scale")
	fs.Float64Var(&c.TimeScale, "time-scale", 1, "in-process mock: divide its delays (and the propagation budget) by this")
	fs.StringVar(&f.delay, "delay", "0", `in-process mock: delay from ping to pull, e.g. "1m-10m" for Livefyre's timing`)
	fs.DurationVar(&c.LatencyBudget, "latency-budget", conformance.DefaultLatencyBudget, "P4P-PERF-001: the p95 pull latency allowed")
	fs.IntVar(&c.Burst, "burst", conformance.DefaultBurst, "P4P-PERF-001: pulls in the burst")
	fs.IntVar(&c.Concurrency, "concurrency", conformance.DefaultConcurrency, "P4P-PERF-001: pulls in flight at once")
	fs.DurationVar(&c.Timeout, "timeout", conformance.DefaultTimeout, "per request")
	fs.StringVar(&c.LabelFilter, "label-filter", "", `run only specs whose labels match, e.g. "auth || response" (labels: auth, response, schema, pipeline, security, performance)`)
	fs.BoolVar(&c.Strict, "strict", false, "deviations from the letter of Livefyre's docs fail the run too (default: a run with deviations is certified with deviations, exit 0)")
	fs.StringVar(&c.Fault, "fault", "", "break the in-process reference endpoint with this fault mode, to see a failing report (see p4p refapp -h)")
	fs.StringVar(&f.reportDir, "report-dir", DefaultReportDir, `where to write junit.xml, report.json, report.html and results.tar.gz ("" for none)`)
	fs.BoolVar(&f.list, "list", false, "list the specs and exit")
	fs.BoolVar(&f.verbose, "v", false, "show each spec as it runs")
}

// conformanceConfig parses p4p conformance's flags into a configuration
// the suite accepts, or a usage error.
func conformanceConfig(args []string, stderr io.Writer) (conformance.Config, conformanceFlags, error) {
	var f conformanceFlags
	fs := flag.NewFlagSet("p4p conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs)
	if err := parse(fs, args); err != nil {
		return f.cfg, f, err
	}
	if f.list {
		return f.cfg, f, nil
	}
	cfg, err := f.config()
	if err == nil {
		err = cfg.Validate()
	}
	if errors.Is(err, conformance.ErrConfig) {
		err = usageError{err}
	}
	return cfg, f, err
}

// config checks the flags and makes the suite's configuration.
func (f *conformanceFlags) config() (conformance.Config, error) {
	c := f.cfg
	c.Network, c.Key, c.Users = f.net.network, f.net.key, f.users
	if c.PullURL != "" {
		if err := f.net.check(); err != nil {
			return c, err
		}
		if len(c.Users) == 0 {
			return c, usagef("--user is required with --pull-url: give an id your endpoint knows")
		}
	}
	d, err := p4p.ParseDelay(f.delay)
	if err != nil {
		return c, usagef("--delay: %v", err)
	}
	c.Delay = d
	// Zero would silently mean the default in a Config; on the command line
	// it is a mistake.
	switch {
	case c.TimeScale <= 0:
		return c, usagef("--time-scale must be positive")
	case c.Burst < 1 || c.Concurrency < 1:
		return c, usagef("--burst and --concurrency must be at least 1")
	case c.PropagationBudget <= 0 || c.LatencyBudget <= 0 || c.Timeout <= 0:
		return c, usagef("--propagation-budget, --latency-budget and --timeout must be positive")
	}
	return c, nil
}

// runConformance certifies a Pull endpoint: exit status 0 when it is
// certified, with or without deviations, 1 when it is not certified (a
// failure, or a deviation under --strict).
func runConformance(args []string, stdout, stderr io.Writer) error {
	cfg, f, err := conformanceConfig(args, stderr)
	if err != nil {
		return err
	}
	if f.list {
		return conformance.WriteSpecList(stdout)
	}
	cfg.HarnessVersion = harnessVersion()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	env, err := conformance.Start(ctx, cfg)
	cancel()
	if errors.Is(err, conformance.ErrConfig) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	defer env.Close()
	report, err := conformance.RunSuite(env, &suiteT{}, conformance.Output{Verbose: f.verbose, NoColor: !isTerminal(os.Stdout), Progress: stdout})
	if errors.Is(err, conformance.ErrConfig) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	return finish(report, env, f.reportDir, stdout)
}

// finish prints the summary, writes the reports and turns the verdict
// into the exit status.
func finish(report *reports.Conformance, env *conformance.Env, dir string, stdout io.Writer) error {
	fmt.Fprintln(stdout)
	if err := report.Redact(env.Secrets()...).WriteText(stdout); err != nil {
		return err
	}
	if dir != "" {
		files, err := reports.WriteDir(dir, report, env.Secrets()...)
		if err != nil {
			return fmt.Errorf("writing the reports: %w", err)
		}
		fmt.Fprintf(stdout, "\nReports: %s (open in a browser), %s, %s; all in %s\n", files.HTML, files.JUnit, files.JSON, files.Archive)
	}
	if !report.Passed {
		return fmt.Errorf("%s: %s", report.Verdict, strings.Join(failing(report), "; "))
	}
	return nil
}

// failing names the specs that made the run not certified: those that
// failed, and under --strict those that deviated.
func failing(r *reports.Conformance) []string {
	var failed, deviated []string
	for _, res := range r.Results {
		switch {
		case res.Outcome == reports.Failed:
			failed = append(failed, res.ID)
		case res.Outcome == reports.Deviated && r.Strict:
			deviated = append(deviated, res.ID)
		}
	}
	var out []string
	if len(failed) > 0 {
		out = append(out, "failed "+strings.Join(failed, ", "))
	}
	if len(deviated) > 0 {
		out = append(out, "deviated (--strict) "+strings.Join(deviated, ", "))
	}
	return out
}

// suiteT stands in for *testing.T when Ginkgo runs in the binary; the
// verdict comes from the report.
type suiteT struct{ failed bool }

func (t *suiteT) Fail() { t.failed = true }

// isTerminal says whether f is a character device, for colour.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// userList is a repeatable flag of user ids, each value possibly a
// comma-separated list.
type userList []string

func (u *userList) String() string { return strings.Join(*u, ",") }

func (u *userList) Set(v string) error {
	for _, id := range strings.Split(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			*u = append(*u, id)
		}
	}
	return nil
}
