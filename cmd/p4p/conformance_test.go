package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"p4p/conformance"
	"p4p/reports"
)

// conformanceRun is one finished run of p4p conformance.
type conformanceRun struct {
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
	r := conformanceRun{stdout: stdout.String(), stderr: stderr.String()}
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

// notPassing are the ids of the specs that failed or warned.
func (r conformanceRun) notPassing() []string {
	var ids []string
	for _, res := range r.report.Results {
		if res.Outcome == reports.Failed || res.Outcome == reports.Warned {
			ids = append(ids, res.ID)
		}
	}
	return ids
}

// fastFlags keep the fault runs short: the burst is small and the latency
// budget tight, so that the slow fault (which waits 2.5 budgets) is quick.
var fastFlags = []string{"--burst", "10", "--concurrency", "2", "--latency-budget", "200ms"}

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
// Specs blocked by it are skipped, not failed. MUST specs exit 1, SHOULD
// specs warn and exit 0.
func TestConformanceFaults(t *testing.T) {
	for _, s := range conformance.Specs() {
		t.Run(string(s.BrokenBy), func(t *testing.T) {
			t.Parallel()
			r := runSuite(t, nil, append([]string{"--fault", string(s.BrokenBy)}, fastFlags...)...)
			if r.report == nil {
				t.Fatalf("no report; exit %d; stderr:\n%s", r.code, r.stderr)
			}
			if got := r.notPassing(); !slices.Equal(got, []string{s.ID}) {
				t.Errorf("failed or warned: %v, want exactly [%s]\n%s", got, s.ID, r.stdout)
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
	for _, leak := range []string{e2eKey, "lftoken=eyJ"} {
		if strings.Contains(r.stdout, leak) || strings.Contains(r.stderr, leak) {
			t.Errorf("output contains %q", leak)
		}
	}
}
