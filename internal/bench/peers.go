package main

import (
	"context"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"p4p/reports"
)

// keyEnv is how the reports show the environment that gives p4p the
// network key.
var keyEnv = []string{"P4P_NETWORK_KEY=…"}

// runP4PLoad runs p4p load's pull scenario at maximum rate, every
// response validated, and reads its summary.json.
func runP4PLoad(ctx context.Context, c config, t *pullTargets) (peerRun, error) {
	dir := filepath.Join(t.dir, "p4p")
	defer os.RemoveAll(dir)
	w := strconv.Itoa(c.loadWorkers)
	argv := []string{c.binary, "load", "pull", "--pull-url", t.template, "--network", network,
		"--user-count", strconv.Itoa(c.loadUsers), "--rate", "0", "--workers", w, "--max-workers", w,
		"--duration", c.loadDuration.String(), "--report-dir", dir, "-q"}
	_, cpu, err := runTool(ctx, argv, "P4P_NETWORK_KEY="+key)
	if err != nil {
		return peerRun{}, err
	}
	l, err := reports.ReadLoadDir(dir)
	if err != nil {
		return peerRun{}, err
	}
	q := l.Requests
	return peerRun{perSec: q.Throughput, counted: q.Valid, bad: q.Invalid + q.TransportErrors,
		cpu: cpu, cpuPerValidMS: q.CPUPerValidMS, command: shellLine(argv, keyEnv, t.dir)}, nil
}

// runVegeta runs Vegeta's attack at maximum rate, nothing validated but
// the status, and reads its JSON report.
func runVegeta(ctx context.Context, c config, t *pullTargets) (peerRun, error) {
	results := filepath.Join(t.dir, "results.bin")
	defer os.Remove(results)
	w := strconv.Itoa(c.loadWorkers)
	attack := []string{c.vegeta, "attack", "-rate", "0", "-max-workers", w, "-workers", w,
		"-duration", c.loadDuration.String(), "-targets", t.vegeta, "-output", results}
	_, cpu, err := runTool(ctx, attack)
	if err != nil {
		return peerRun{}, err
	}
	report := []string{c.vegeta, "report", "-type", "json", results}
	out, err := exec.CommandContext(ctx, report[0], report[1:]...).Output()
	if err != nil {
		return peerRun{}, fmt.Errorf("vegeta report: %w", err)
	}
	var m struct {
		Requests   int64   `json:"requests"`
		Throughput float64 `json:"throughput"` // successful responses per second
		Success    float64 `json:"success"`    // the share of 2xx and 3xx
	}
	if err := json.Unmarshal(out, &m); err != nil {
		return peerRun{}, fmt.Errorf("vegeta report: %w", err)
	}
	ok := int64(float64(m.Requests)*m.Success + 0.5)
	return peerRun{perSec: m.Throughput, counted: ok, bad: m.Requests - ok, cpu: cpu,
		command: shellLine(attack, nil, t.dir) + " && " + shellLine(report, nil, t.dir)}, nil
}

// runWrkPull runs wrk with pull.lua, which cycles through the same URLs.
func runWrkPull(ctx context.Context, c config, t *pullTargets) (peerRun, error) {
	const script = "internal/bench/pull.lua"
	env := "PATHS_FILE=" + t.paths
	w, err := runWrk(ctx, t.origin, script, c.loadWorkers, c.loadDuration, env)
	if err != nil {
		return peerRun{}, err
	}
	return peerRun{perSec: w.rps, counted: w.requests, bad: int64(w.non2xx + w.socket), cpu: w.cpu,
		command: shellLine(append([]string{"wrk"}, wrkArgs(t.origin, script, c.loadWorkers, c.loadDuration)...),
			[]string{env}, t.dir)}, nil
}

// runTool runs argv to its end with extra environment, and returns its
// combined output and the CPU (user and system) it took.
func runTool(ctx context.Context, argv []string, env ...string) ([]byte, time.Duration, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var cpu time.Duration
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return out, cpu, fmt.Errorf("%s %s: %v: %s", filepath.Base(argv[0]), argv[1], err, out)
	}
	return out, cpu, nil
}

// vegetaVersion is what `vegeta -version` says: its version, or the
// module version it was built from when it says none, and its Go.
func vegetaVersion(bin string) (string, error) {
	out, err := exec.Command(bin, "-version").Output()
	if err != nil {
		return "", fmt.Errorf("%s -version: %w (make bench builds it)", bin, err)
	}
	var version, runtime string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Version: "); ok {
			version = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "Runtime: "); ok {
			runtime = strings.TrimSpace(v)
		}
	}
	if version == "" {
		if info, err := buildinfo.ReadFile(bin); err == nil {
			version = info.Main.Version + " (module version)"
		}
	}
	return strings.TrimSpace("Vegeta " + version + ", " + runtime), nil
}

// wrkVersion is the first line of `wrk -v`, without the copyright.
func wrkVersion() string {
	out, _ := exec.Command("wrk", "-v").CombinedOutput() // wrk -v exits 1
	line, _, _ := strings.Cut(string(out), "\n")
	line, _, _ = strings.Cut(line, " Copyright")
	return strings.TrimSpace(line)
}

// shellLine is argv as a POSIX shell would take it, after env (NAME=value
// words, shown as they are), with dir shown as $DIR.
func shellLine(argv, env []string, dir string) string {
	var words []string
	for _, e := range env {
		words = append(words, replaceDir(e, dir))
	}
	for _, a := range argv {
		if dir != "" && strings.Contains(a, dir) {
			words = append(words, replaceDir(a, dir))
			continue
		}
		words = append(words, shellQuote(a))
	}
	return strings.Join(words, " ")
}

func replaceDir(s, dir string) string {
	if dir == "" {
		return s
	}
	return strings.ReplaceAll(s, dir, "$DIR")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
