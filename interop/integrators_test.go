package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"p4p/conformance"
	"p4p/reports"
	"p4p/token"
)

// runTimeout bounds one run of the suite against an endpoint on loopback,
// which takes a second or two.
const runTimeout = time.Minute

// integratorUsers are the ids every endpoint of TestIntegrators knows,
// with '-', '.' and '_' as real ids have them.
var integratorUsers = []string{"u-1001", "user.1002", "user_1003"}

// endpointEnv is the environment the integrators' scripts read.
func endpointEnv(extra ...string) []string {
	return append([]string{"NETWORK=" + network, "NETWORK_KEY=" + key, "USERS=" + strings.Join(integratorUsers, ",")}, extra...)
}

// An integrator starts a Pull endpoint as a process and returns its Pull
// URL template; p4p is the built p4p command.
type integrator func(t *testing.T, p4p string) string

// express is the Financial Times' Express endpoint (spec 5.1), with env
// added to its environment.
func express(env ...string) integrator {
	return func(t *testing.T, _ string) string {
		node := nodeModule(t, "express")
		u := startNode(t, node, filepath.Join("node", "express_endpoint.js"), endpointEnv(env...)...)
		return u + "/v1/livefyre/profile?id={id}"
	}
}

// python is the standard-library endpoint that checks the token by hand
// and compares its domain loosely.
func python(t *testing.T, _ string) string {
	py := need(t, "python3", "Debian's python3")
	u := startEndpoint(t, py, []string{filepath.Join("python", "pull_endpoint.py")}, endpointEnv()...)
	return u + "/livefyre/pull?id={id}"
}

// refappProcess is p4p's reference endpoint, run as p4p refapp serving
// integratorUsers.
func refappProcess(t *testing.T, p4p string) string {
	users, err := json.Marshal(integratorUsers)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(file, users, 0o600); err != nil {
		t.Fatal(err)
	}
	u := startEndpoint(t, p4p, []string{"refapp", "--addr", "127.0.0.1:0", "--network", network, "--key", key,
		"--users-file", file, "--log-level", "warn"})
	return u + "/pull?id={id}"
}

// A certifier runs the whole suite against cfg and returns its report.
type certifier struct {
	name    string
	certify func(t *testing.T, p4p string, cfg conformance.Config) *reports.Conformance
}

var certifiers = []certifier{{"library", certifyInProcess}, {"cli", certifyWithCLI}}

// certifyInProcess runs every spec with the conformance library, as
// conformance.RunSuite does without Ginkgo.
func certifyInProcess(t *testing.T, _ string, cfg conformance.Config) *reports.Conformance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	env, err := conformance.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	run := conformance.NewRun(env)
	for _, s := range conformance.Specs() {
		run.Execute(ctx, s)
	}
	return run.Report()
}

// certifyWithCLI runs p4p conformance, checks that its exit status is
// what report.json's verdict says (0 unless not certified, then 1), and
// returns that report.
func certifyWithCLI(t *testing.T, p4p string, cfg conformance.Config) *reports.Conformance {
	t.Helper()
	dir := t.TempDir()
	args := []string{"conformance", "--pull-url", cfg.PullURL, "--network", cfg.Network, "--key", cfg.Key, "--report-dir", dir}
	for _, u := range cfg.Users {
		args = append(args, "--user", u)
	}
	if cfg.Strict {
		args = append(args, "--strict")
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, p4p, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	status := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitCode()
	case err != nil:
		t.Fatalf("p4p %s: %v", strings.Join(args, " "), err)
	}
	f, err := os.Open(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatalf("p4p conformance exited %d without a report.json: %v\n%s", status, err, lastLines(out.String()))
	}
	defer f.Close()
	report, err := reports.ReadConformance(f)
	if err != nil {
		t.Fatalf("report.json: %v", err)
	}
	want := 0
	if report.Verdict == reports.NotCertified {
		want = 1
	}
	if status != want {
		t.Errorf("p4p conformance exited %d, want %d for the verdict %q in report.json\n%s", status, want, report.Verdict, lastLines(out.String()))
	}
	return report
}

// lastLines is the end of a command's output, where it says why it
// stopped.
func lastLines(out string) string {
	const n = 20
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// TestIntegrators certifies Pull endpoints written as integrators wrote
// them, in their languages, each a real process on loopback, with the
// library and with the p4p command, and pins the verdict and every spec
// that does not pass:
//   - p4p's reference endpoint, and the Financial Times' Express endpoint
//     without its deviations, are certified, warned only for plain http;
//   - the Express endpoint as FT wrote it (400 for a missing token,
//     res.sendStatus(403)) is certified with deviations, not certified
//     under --strict;
//   - a Python endpoint that checks the token by hand and compares its
//     domain loosely is not certified, and P4P-AUTH-010 names the domain
//     rule alone.
func TestIntegrators(t *testing.T) {
	p4p := buildP4P(t)
	onLoopback := map[string]reports.Outcome{
		"P4P-SEC-001":  reports.Warned,  // plain http
		"P4P-PIPE-003": reports.Skipped, // no update hook
		"P4P-PIPE-004": reports.Skipped, // no update hook, no user-token URL
	}
	with := func(more map[string]reports.Outcome) map[string]reports.Outcome {
		m := maps.Clone(onLoopback)
		maps.Copy(m, more)
		return m
	}
	ftDeviations := with(map[string]reports.Outcome{"P4P-AUTH-001": reports.Deviated, "P4P-AUTH-007": reports.Deviated})
	ftSays := map[string][]string{"P4P-AUTH-001": {"400"}, "P4P-AUTH-007": {"body"}}
	var otherRules []string
	for _, r := range []string{token.RuleAlg, token.RuleSignature, token.RuleUserID, token.RuleExpires} {
		otherRules = append(otherRules, "misses the "+r+" rule")
	}
	tests := []struct {
		name     string
		start    integrator
		strict   bool
		verdict  reports.Verdict
		findings map[string]reports.Outcome // every spec that does not pass
		says     map[string][]string        // what a spec's message says
		saysNot  map[string][]string        // and does not
	}{
		{name: "refapp", start: refappProcess, verdict: reports.Certified, findings: onLoopback},
		{name: "express without deviations", start: express("STRICT_REFUSALS=1"), verdict: reports.Certified, findings: onLoopback},
		{name: "express as FT", start: express(), verdict: reports.CertifiedWithDeviations, findings: ftDeviations, says: ftSays},
		{name: "express as FT, strict", start: express(), strict: true, verdict: reports.NotCertified, findings: ftDeviations, says: ftSays},
		{
			name: "python, loose domain", start: python, verdict: reports.NotCertified,
			findings: with(map[string]reports.Outcome{"P4P-AUTH-010": reports.Failed}),
			says: map[string][]string{"P4P-AUTH-010": {
				"misses the " + token.RuleDomain + " rule",
				fmt.Sprintf(`domain %q (upper case)`, strings.ToUpper(network)),
				fmt.Sprintf(`domain %q`, "www."+network),
			}},
			saysNot: map[string][]string{"P4P-AUTH-010": otherRules},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			template := tt.start(t, p4p)
			cfg := conformance.Config{PullURL: template, Network: network, Key: key, Users: integratorUsers, Strict: tt.strict}
			for _, c := range certifiers {
				t.Run(c.name, func(t *testing.T) {
					report := c.certify(t, p4p, cfg)
					if report.Verdict != tt.verdict {
						t.Errorf("verdict %q, want %q", report.Verdict, tt.verdict)
					}
					checkFindings(t, report, tt.findings, tt.says, tt.saysNot)
				})
			}
		})
	}
}

// checkFindings compares the outcome of every spec that did not pass with
// want, and the messages of those in says and saysNot with what they must
// and must not say.
func checkFindings(t *testing.T, report *reports.Conformance, want map[string]reports.Outcome, says, saysNot map[string][]string) {
	t.Helper()
	got := map[string]reports.Outcome{}
	messages := map[string]string{}
	for _, r := range report.Results {
		messages[r.ID] = r.Message
		if r.Outcome != reports.Passed {
			got[r.ID] = r.Outcome
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		var seen strings.Builder
		for _, r := range report.Results {
			if r.Outcome != reports.Passed {
				fmt.Fprintf(&seen, "\n  %s %s: %s", r.ID, r.Outcome, r.Message)
			}
		}
		t.Errorf("specs that did not pass (-want +got):\n%s\nseen:%s", diff, seen.String())
	}
	for id, parts := range says {
		for _, s := range parts {
			if !strings.Contains(messages[id], s) {
				t.Errorf("%s's message does not say %q: %s", id, s, messages[id])
			}
		}
	}
	for id, parts := range saysNot {
		for _, s := range parts {
			if strings.Contains(messages[id], s) {
				t.Errorf("%s's message says %q: %s", id, s, messages[id])
			}
		}
	}
}
