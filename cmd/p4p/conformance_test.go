package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"p4p/internal/headless"

	"p4p/conformance"
	"p4p/refapp"
	"p4p/reports"
)

// conformanceRun is one finished run of p4p conformance.
type conformanceRun struct {
	dir    string // the report directory
	code   int
	stdout string
	stderr string
	report *reports.Conformance
}

// runSuite runs p4p conformance to completion with its reports in a
// temporary directory.
func runSuite(t *testing.T, env []string, args ...string) conformanceRun {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, append([]string{"conformance", "--report-dir", dir}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := conformanceRun{dir: dir, stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("p4p conformance %s: %v", strings.Join(args, " "), err)
	}
	if f, err := os.Open(filepath.Join(dir, "report.json")); err == nil {
		defer f.Close()
		if r.report, err = reports.ReadConformance(f); err != nil {
			t.Fatalf("report.json: %v", err)
		}
	}
	return r
}

// notPassing are the ids of the specs that failed, deviated or warned.
func (r conformanceRun) notPassing() []string {
	return r.outcomes(reports.Failed, reports.Deviated, reports.Warned)
}

// outcomes are the ids of the specs whose outcome is one of those given.
func (r conformanceRun) outcomes(of ...reports.Outcome) []string {
	var ids []string
	for _, res := range r.report.Results {
		if slices.Contains(of, res.Outcome) {
			ids = append(ids, res.ID)
		}
	}
	return ids
}

// fastFlags keep the fault runs short: the burst is small and the latency
// budget tight, so that the slow fault (which waits 2.5 budgets) is quick.
// The propagation budget is generous: a run whose pipeline works never
// waits for it, and a loaded machine (parallel -race runs on two cores)
// must not make a pull that works miss it.
var fastFlags = []string{"--burst", "10", "--concurrency", "2", "--latency-budget", "200ms", "--propagation-budget", fastBudget}

const fastBudget = "1m"

// expiringBudget is the propagation budget of the runs that must wait it
// out: those of expiringFaults, whose spec fails only when no ping has
// come by its end. It is shorter than fastFlags', to keep them quick, and
// still ample for the pipeline specs that must pass in those runs.
const expiringBudget = "30s"

// expiringFaults are the faults whose failure is a ping that never comes.
var expiringFaults = []refapp.Fault{refapp.FaultHookNoPing}

// faultFlags are the flags of a run with fault: fastFlags, with
// expiringBudget for the expiring faults.
func faultFlags(fault refapp.Fault) []string {
	flags := append([]string{"--fault", string(fault)}, fastFlags...)
	if slices.Contains(expiringFaults, fault) {
		flags = append(flags, "--propagation-budget", expiringBudget) // the last one counts
	}
	return flags
}

// TestConformanceDefault runs the suite on its embedded default, as
// make conformance does: every spec passes and the exit status is 0.
func TestConformanceDefault(t *testing.T) {
	r := runSuite(t, nil)
	if r.code != exitOK || r.report == nil {
		t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, res := range r.report.Results {
		if res.Outcome != reports.Passed {
			t.Errorf("%s: %s (%s), want passed", res.ID, res.Outcome, res.Message)
		}
	}
	if len(r.report.Results) != len(conformance.Specs()) {
		t.Errorf("report has %d results, want %d", len(r.report.Results), len(conformance.Specs()))
	}
}

// TestConformanceFaults proves that every spec can fail: the reference
// endpoint broken by the spec's fault mode fails that spec and no other.
// Every other spec passes, is skipped as blocked by it (directly or
// through other blocked specs), or is skipped exactly as in the run
// without a fault. MUST specs exit 1, SHOULD specs warn and exit 0.
func TestConformanceFaults(t *testing.T) {
	base := runSuite(t, nil, fastFlags...)
	if base.report == nil || base.code != exitOK {
		t.Fatalf("without a fault: exit %d; stderr:\n%s", base.code, base.stderr)
	}
	for _, s := range conformance.Specs() {
		for _, fault := range s.Faults() {
			t.Run(string(fault), func(t *testing.T) {
				t.Parallel()
				checkFault(t, s, fault, base.report)
			})
		}
		for _, fault := range s.DeviatedBy {
			t.Run(string(fault), func(t *testing.T) {
				t.Parallel()
				checkDeviation(t, s, fault, base.report)
			})
		}
	}
}

// checkDeviation runs the suite with fault, which must make s, and no
// other spec, deviate: certified with deviations, exit 0; and under
// --strict, not certified, exit 1, naming s.
func checkDeviation(t *testing.T, s conformance.Spec, fault refapp.Fault, base *reports.Conformance) {
	t.Helper()
	for _, strict := range []bool{false, true} {
		args := append([]string{"--fault", string(fault)}, fastFlags...)
		verdict, code := reports.CertifiedWithDeviations, exitOK
		if strict {
			args, verdict, code = append(args, "--strict"), reports.NotCertified, exitFail
		}
		r := runSuite(t, nil, args...)
		if r.report == nil {
			t.Fatalf("strict %v: no report; exit %d; stderr:\n%s", strict, r.code, r.stderr)
		}
		if got, others := r.outcomes(reports.Deviated), r.outcomes(reports.Failed, reports.Warned); !slices.Equal(got, []string{s.ID}) || len(others) > 0 {
			t.Errorf("strict %v: deviated %v and failed or warned %v, want deviated exactly [%s]\n%s", strict, got, others, s.ID, r.stdout)
		}
		for _, problem := range othersProblems(r.report, s.ID, base) {
			t.Error(problem)
		}
		checkTerminal(t, r.stdout)
		if r.report.Verdict != verdict || r.code != code {
			t.Errorf("strict %v: verdict %q, exit %d; want %q, exit %d; stderr:\n%s", strict, r.report.Verdict, r.code, verdict, code, r.stderr)
		}
		if strict && !strings.Contains(r.stderr, s.ID) {
			t.Errorf("stderr does not name %s:\n%s", s.ID, r.stderr)
		}
	}
}

// frameworkInternals are what Ginkgo would print: source locations, its
// failure summary and its tally. An integrator's terminal shows p4p's own
// summary only.
var frameworkInternals = regexp.MustCompile(`\.go:\d+|Summarizing \d+ Failure|Ran \d+ of \d+ Specs|\[FAILED\]|\[It\]|Random Seed`)

// checkTerminal fails when a run's terminal output shows framework
// internals.
func checkTerminal(t *testing.T, stdout string) {
	t.Helper()
	if m := frameworkInternals.FindString(stdout); m != "" {
		t.Errorf("the terminal shows test-framework internals (%q):\n%s", m, stdout)
	}
}

// checkFault runs the suite with fault, which must fail s and leave every
// other spec as checkOthers says.
func checkFault(t *testing.T, s conformance.Spec, fault refapp.Fault, base *reports.Conformance) {
	t.Helper()
	r := runSuite(t, nil, faultFlags(fault)...)
	if r.report == nil {
		t.Fatalf("no report; exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if got := r.notPassing(); !slices.Equal(got, []string{s.ID}) {
		t.Errorf("failed, deviated or warned: %v, want exactly [%s]\n%s", got, s.ID, r.stdout)
	}
	checkTerminal(t, r.stdout)
	for _, problem := range othersProblems(r.report, s.ID, base) {
		t.Error(problem)
	}
	want := exitOK
	if s.Level == conformance.Must {
		want = exitFail
	}
	if r.code != want {
		t.Errorf("exit %d, want %d; stderr:\n%s", r.code, want, r.stderr)
	}
	if want == exitFail && !strings.Contains(r.stderr, s.ID) {
		t.Errorf("stderr does not name %s:\n%s", s.ID, r.stderr)
	}
}

// blockedMessage is the message of a spec skipped because a spec it needs
// failed or was itself blocked (conformance.Run).
var blockedMessage = regexp.MustCompile(`^blocked: (P4P-[A-Z]+-\d{3}) failed; fix it first$`)

// othersProblems says how the specs of report other than failing break
// the rule: each passed, or was skipped as blocked by a spec it needs that
// leads, from blocker to blocker, to failing, or was skipped with the same
// message as in base.
func othersProblems(report *reports.Conformance, failing string, base *reports.Conformance) []string {
	results := resultsByID(report)
	baseResults := resultsByID(base)
	var problems []string
	for _, res := range report.Results {
		if res.ID == failing || res.Outcome == reports.Passed {
			continue
		}
		b := baseResults[res.ID]
		switch {
		case res.Outcome != reports.Skipped:
			problems = append(problems, fmt.Sprintf("%s: %s (%s), want passed or skipped", res.ID, res.Outcome, res.Message))
		case b.Outcome == reports.Skipped && b.Message == res.Message:
			// not applicable, as without the fault
		default:
			if chain, ok := blockedBy(results, res.ID, failing); !ok {
				problems = append(problems, fmt.Sprintf("%s: skipped (%s); want it passed, blocked by %s, or skipped as without a fault (%s: %s); blockers %v",
					res.ID, res.Message, failing, b.Outcome, b.Message, chain))
			}
		}
	}
	return problems
}

// TestOthersProblems holds the fault test's rule to the cases it must
// refuse and those it must accept.
func TestOthersProblems(t *testing.T) {
	blocked := func(id string) string { return "blocked: " + id + " failed; fix it first" }
	report := func(results ...reports.Result) *reports.Conformance { return &reports.Conformance{Results: results} }
	res := func(id string, o reports.Outcome, msg string) reports.Result {
		return reports.Result{ID: id, Outcome: o, Message: msg}
	}
	base := report(res("P4P-AUTH-008", reports.Passed, ""), res("P4P-RESP-002", reports.Passed, ""),
		res("P4P-RESP-003", reports.Passed, ""), res("P4P-PIPE-003", reports.Skipped, "no update hook was given (--update-hook)"))
	tests := []struct {
		name   string
		report *reports.Conformance
		ok     bool
	}{
		{"blocked transitively", report(res("P4P-AUTH-008", reports.Failed, "x"), res("P4P-RESP-002", reports.Skipped, blocked("P4P-AUTH-008")),
			res("P4P-RESP-003", reports.Skipped, blocked("P4P-RESP-002")), res("P4P-PIPE-003", reports.Skipped, "no update hook was given (--update-hook)")), true},
		{"another failure", report(res("P4P-AUTH-008", reports.Failed, "x"), res("P4P-RESP-002", reports.Failed, "y")), false},
		{"a warning", report(res("P4P-AUTH-008", reports.Failed, "x"), res("P4P-RESP-002", reports.Warned, "y")), false},
		{"blocked by a spec that passed", report(res("P4P-AUTH-008", reports.Failed, "x"), res("P4P-RESP-002", reports.Passed, ""),
			res("P4P-RESP-003", reports.Skipped, blocked("P4P-RESP-002"))), false},
		{"blocked by a spec it does not need", report(res("P4P-AUTH-008", reports.Failed, "x"), res("P4P-AUTH-001", reports.Skipped, blocked("P4P-AUTH-008"))), false},
		{"skipped otherwise than without the fault", report(res("P4P-AUTH-008", reports.Failed, "x"), res("P4P-PIPE-003", reports.Skipped, "something else")), false},
		{"not selected", report(res("P4P-AUTH-008", reports.Failed, "x"), res("P4P-RESP-002", reports.Skipped, "not selected by the label filter")), false},
	}
	for _, tt := range tests {
		got := othersProblems(tt.report, "P4P-AUTH-008", base)
		if (len(got) == 0) != tt.ok {
			t.Errorf("%s: problems %q, want ok=%v", tt.name, got, tt.ok)
		}
	}
}

// blockedBy follows id's blockers and says whether they lead to failing;
// each must be a spec the one before needs.
func blockedBy(results map[string]reports.Result, id, failing string) ([]string, bool) {
	chain := []string{id}
	for len(chain) <= len(results) {
		m := blockedMessage.FindStringSubmatch(results[id].Message)
		if results[id].Outcome != reports.Skipped || m == nil {
			return chain, false
		}
		spec, _ := conformance.Lookup(id)
		if !slices.Contains(spec.Needs, m[1]) {
			return append(chain, m[1]+" (not needed)"), false
		}
		chain = append(chain, m[1])
		if m[1] == failing {
			return chain, results[failing].Outcome == reports.Failed
		}
		id = m[1]
	}
	return chain, false
}

func resultsByID(r *reports.Conformance) map[string]reports.Result {
	m := make(map[string]reports.Result, len(r.Results))
	for _, res := range r.Results {
		m[res.ID] = res
	}
	return m
}

// TestConformanceLabelFilter: --label-filter runs the selected specs
// only, the others skipped as not selected, and a failing spec left out
// does not fail the run.
func TestConformanceLabelFilter(t *testing.T) {
	for _, tt := range []struct {
		filter, fault string
		selected      func(conformance.Spec) bool
	}{
		{"auth", "", func(s conformance.Spec) bool { return slices.Contains(s.Labels, conformance.LabelAuth) }},
		{"!pipeline", string(refapp.FaultStaleCache), func(s conformance.Spec) bool {
			return !slices.Contains(s.Labels, conformance.LabelPipeline)
		}},
	} {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"--label-filter", tt.filter}, fastFlags...)
			if tt.fault != "" {
				args = append(args, "--fault", tt.fault)
			}
			r := runSuite(t, nil, args...)
			if r.report == nil || r.code != exitOK || !r.report.Passed {
				t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			if r.report.LabelFilter != tt.filter {
				t.Errorf("report's label filter %q, want %q", r.report.LabelFilter, tt.filter)
			}
			var ran int
			for _, res := range r.report.Results {
				spec, _ := conformance.Lookup(res.ID)
				switch {
				case tt.selected(spec) && res.Outcome != reports.Passed:
					t.Errorf("%s (selected): %s (%s), want passed", res.ID, res.Outcome, res.Message)
				case tt.selected(spec):
					ran++
				case res.Outcome != reports.Skipped || res.Message != "not selected by the label filter":
					t.Errorf("%s (not selected): %s (%s), want skipped as not selected", res.ID, res.Outcome, res.Message)
				}
			}
			if ran == 0 || ran == len(r.report.Results) {
				t.Errorf("%d of %d specs ran; the filter selected none or all", ran, len(r.report.Results))
			}
		})
	}
}

// TestConformanceHTMLInChromium renders the report.html of a real run
// with a failure, so with evidence (the update hook's JSON request among
// it), in headless Chromium: the DOM has the verdict, the failed spec and
// its curl command, and no token; and a screenshot is taken. Set
// P4P_SCREENSHOT to a path to keep the screenshot.
func TestConformanceHTMLInChromium(t *testing.T) {
	chromium := headless.Find(t)
	r := runSuite(t, e2eEnv, append([]string{"--fault", string(refapp.FaultStaleCache)}, fastFlags...)...)
	if r.code != exitFail || r.report == nil {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	page := "file://" + filepath.Join(r.dir, "report.html")
	dom := string(headless.Run(t, chromium, "--dump-dom", page))
	for _, want := range []string{`id="verdict">NOT CERTIFIED</h1>`, `id="P4P-PIPE-003"`, "--data-raw", "application/json", "$(p4p token"} {
		if !strings.Contains(dom, want) && !strings.Contains(dom, html.EscapeString(want)) {
			t.Errorf("the DOM lacks %q", want)
		}
	}
	if m := rawJWT.FindString(dom); m != "" || strings.Contains(dom, e2eKey) {
		t.Errorf("the DOM holds a secret (%.24s…)", m)
	}
	shot := os.Getenv("P4P_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "report.png")
	}
	headless.Run(t, chromium, "--screenshot="+shot, "--window-size=1280,2400", page)
	data, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("no PNG screenshot at %s: %v", shot, err)
	}
}

// TestConformanceHarnessPings runs the embedded default with an update
// hook that never pings: P4P-PIPE-003 alone fails, unless the harness
// pings after the change (--harness-pings), when every spec passes. The
// run that passes has fastFlags' generous budget.
func TestConformanceHarnessPings(t *testing.T) {
	for _, tt := range []struct {
		name  string
		flags []string
		want  []string
		code  int
	}{
		{"flags", nil, []string{"P4P-PIPE-003"}, exitFail},
		{"flags --harness-pings", []string{"--harness-pings", "--propagation-budget", fastBudget}, nil, exitOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runSuite(t, nil, append(faultFlags(refapp.FaultHookNoPing), tt.flags...)...)
			if r.report == nil || r.code != tt.code {
				t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if got := r.notPassing(); !slices.Equal(got, tt.want) {
				t.Errorf("failed or warned: %v, want %v\n%s", got, tt.want, r.stdout)
			}
		})
	}
}

// TestConformanceProcesses certifies an endpoint running as its own
// process, through a mock Livefyre running as another, the way an
// integrator with a staging site would: the site pings the mock itself.
func TestConformanceProcesses(t *testing.T) {
	mock := startProc(t, e2eEnv, "mock", "--addr", "127.0.0.1:0", "--data", t.TempDir())
	app := startProc(t, e2eEnv, "refapp", "--addr", "127.0.0.1:0", "--users", "8", "--livefyre", mock.URL, "--register=false")
	r := runSuite(t, e2eEnv, append([]string{"--pull-url", app.URL + "/pull?id={id}", "--user", "u-0001,user.0002",
		"--user", "user_0003", "--user", "a.b-c_0004", "--livefyre", mock.URL, "--update-hook", app.URL + "/hook"}, fastFlags...)...)
	if r.code != exitOK || r.report == nil {
		t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	// Plain http on loopback: the https spec warns, everything else passes.
	if got := r.notPassing(); !slices.Equal(got, []string{"P4P-SEC-001"}) {
		t.Errorf("failed or warned: %v, want [P4P-SEC-001]", got)
	}
	r.checkNoSecrets(t, e2eKey)
}

// TestConformanceNoTokenLeak runs the embedded default with a delay from
// ping to pull, so that the tokens the Livefyre client mints for ping,
// register and reading stored profiles are minted in other seconds than
// the suite's own: none of them, nor the key, may reach any output.
func TestConformanceNoTokenLeak(t *testing.T) {
	r := runSuite(t, e2eEnv, append([]string{"--delay", "2s"}, fastFlags...)...)
	if r.code != exitOK || r.report == nil {
		t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r.checkNoSecrets(t, e2eKey)
}

// rawJWT matches a token that is not in its redacted form, which keeps
// only the start of the header, then "…[redacted N-byte token]".
var rawJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// tokenParam matches a token parameter whose value is a token's header
// in full, with the dot after it: more than the redacted form keeps.
var tokenParam = regexp.MustCompile(`(actor_token|lftoken)=eyJ[A-Za-z0-9_-]*\.`)

// checkNoSecrets searches the run's output, its report files and the
// files in results.tar.gz for the key and for any unredacted token.
func (r conformanceRun) checkNoSecrets(t *testing.T, key string) {
	t.Helper()
	texts := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	for _, name := range []string{"report.json", "report.html", "junit.xml"} {
		data, err := os.ReadFile(filepath.Join(r.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		texts[name] = string(data)
	}
	for name, data := range archived(t, filepath.Join(r.dir, "results.tar.gz")) {
		texts["results.tar.gz:"+name] = data
	}
	if len(texts) != 2+3+3 {
		t.Errorf("searched %d texts, want stdout, stderr, 3 reports and 3 archived", len(texts))
	}
	for name, text := range texts {
		for _, leak := range []string{key, url.QueryEscape(key)} {
			if strings.Contains(text, leak) {
				t.Errorf("%s contains the network key", name)
			}
		}
		for _, re := range []*regexp.Regexp{rawJWT, tokenParam} {
			if m := re.FindString(text); m != "" {
				t.Errorf("%s contains an unredacted token (%.24s…)", name, m)
			}
		}
	}
}

// archived is the contents of each file in a .tar.gz.
func archived(t *testing.T, file string) map[string]string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			out[path.Base(h.Name)] = string(data)
		}
	}
}
