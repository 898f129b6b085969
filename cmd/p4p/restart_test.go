package main

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"p4p/livefyre"
)

// restartableMock is a p4p mock process that a test can kill -9 and start
// again on the same address and data directory.
type restartableMock struct {
	*proc
	args []string
}

func startRestartableMock(t *testing.T, env []string, extra ...string) *restartableMock {
	t.Helper()
	args := append([]string{"mock", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, extra...)
	m := &restartableMock{proc: startProc(t, env, args...), args: args}
	m.args[2] = strings.TrimPrefix(m.URL, "http://") // the same port next time
	return m
}

// crash kills the mock with SIGKILL and starts it again, at once, on the
// same address and data.
func (m *restartableMock) crash(t *testing.T, env []string) {
	t.Helper()
	m.cmd.Process.Kill()
	m.cmd.Wait()
	m.proc = startProc(t, env, m.args...)
}

// awaitEvent reads the mock's /events until an event of the type shows.
func awaitEvent(t *testing.T, url, typ string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if sc.Text() == "event: "+typ {
			return
		}
	}
	t.Fatalf("no %s event on %s/events", typ, url)
}

// TestConformanceSurvivesRestart: the mock the suite watches is killed and
// restarted between a ping and its pull. The suite reopens Livefyre's
// events, notes the gap, and still certifies the pipeline, instead of
// hanging or failing on the lost stream.
func TestConformanceSurvivesRestart(t *testing.T) {
	mock := startRestartableMock(t, e2eEnv, "--delay", "2s")
	app := startProc(t, e2eEnv, "refapp", "--addr", "127.0.0.1:0", "--users", "5")
	done := make(chan conformanceRun, 1)
	go func() {
		done <- runSuite(t, e2eEnv, "--pull-url", app.URL+"/pull?id={id}", "--user", "u-0001",
			"--livefyre", mock.URL, "--label-filter", "pipeline")
	}()
	awaitEvent(t, mock.URL, "ping.accepted")
	mock.crash(t, e2eEnv)
	var r conformanceRun
	select {
	case r = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("the suite did not finish within 2 minutes of the restart")
	}
	if r.code != exitOK || r.report == nil {
		t.Fatalf("exit %d after the restart, want 0:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	report := r.report
	var noted bool
	for _, res := range report.Results {
		for _, n := range res.Notes {
			noted = noted || strings.Contains(n, "event stream was cut off")
		}
	}
	if !noted {
		t.Errorf("no spec notes the gap in Livefyre's events:\n%s", r.stdout)
	}
}

// TestLoadPropagationSurvivesRestart: the mock is killed and restarted on
// the same data while p4p load propagation pings it. The run reopens
// /events, counts the gap, settles the pings whose outcome fell in it from
// the mock's sync records, and ends with every acknowledged ping accounted
// for and none lost: the mock lost none, so the harness must not either.
func TestLoadPropagationSurvivesRestart(t *testing.T) {
	mock := startRestartableMock(t, e2eEnv, "--delay", "0-1s", "--bootstrap-refresh", "100ms")
	app := startProc(t, e2eEnv, "refapp", "--addr", "127.0.0.1:0", "--users", "50")
	dir := t.TempDir()
	done := make(chan int, 1)
	go func() {
		_, _, code := runAny(t, e2eEnv, "load", "propagation", "--livefyre", mock.URL, "--pull-url", app.URL+"/pull?id={id}",
			"--network", e2eNetwork, "--user-count", "50", "--rate", "50/s", "--duration", "4s", "--drain", "1m",
			"--report-dir", dir, "-q")
		done <- code
	}()
	awaitEvent(t, mock.URL, "profile.updated")
	time.Sleep(time.Second) // well into the run, with pulls queued
	mock.crash(t, e2eEnv)
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("p4p load did not finish within 2 minutes of the restart")
	}
	l := readSummary(t, dir)
	p := l.Propagation
	if p == nil {
		t.Fatal("no propagation figures")
	}
	t.Logf("%d pings: %d acknowledged, %d updated (%d settled from sync records), %d failed, %d lost; %d gaps",
		p.Pings, p.Acknowledged, p.Updated, p.Reconciled, p.Failed, p.Lost, p.Gaps)
	if p.Gaps < 1 {
		t.Errorf("gaps %d, want the restart counted", p.Gaps)
	}
	if p.Lost != 0 || p.Failed != 0 || p.Updated != p.Acknowledged {
		t.Errorf("%d acknowledged, %d updated, %d failed, %d lost; want every acknowledged ping updated; errors %+v", p.Acknowledged, p.Updated, p.Failed, p.Lost, l.Errors)
		client := &livefyre.Client{BaseURL: mock.URL, Network: e2eNetwork, Key: e2eKey}
		all, _ := client.Profiles(context.Background())
		for _, rp := range all {
			t.Logf("%s: %+v", rp.ID, rp.Sync)
		}
	}
	if p.Acknowledged == 0 || p.Acknowledged+p.Rejected != p.Pings {
		t.Errorf("%d acknowledged + %d rejected, want %d pings in all, some acknowledged", p.Acknowledged, p.Rejected, p.Pings)
	}
}
