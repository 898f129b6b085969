package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// binary is the p4p built once for the tests that run it as a process.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "p4p-bin-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "p4p")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build p4p:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a p4p server running as a child process.
type proc struct {
	cmd    *exec.Cmd
	URL    string
	stderr *output
}

// startProc runs p4p with args and waits for its "listening on URL" line.
func startProc(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	return startCommand(t, exec.Command(binary, args...), env, args)
}

// startCommand runs cmd, p4p with args, and waits for its "listening on
// URL" line.
func startCommand(t *testing.T, cmd *exec.Cmd, env []string, args []string) *proc {
	t.Helper()
	cmd.Env = append(os.Environ(), env...)
	p := &proc{cmd: cmd, stderr: &output{}}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), " listening on "); ok {
				found <- strings.Fields(rest)[0]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case p.URL = <-found:
		return p
	case <-time.After(60 * time.Second):
		t.Fatalf("p4p %s did not start within 60s; stderr: %s", strings.Join(args, " "), p.stderr)
		return nil
	}
}

// needInterrupt skips t where stop cannot work: Windows has no signal to
// interrupt another process with. A test that calls stop calls it first.
func needInterrupt(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("stopping a child p4p cleanly needs an interrupt signal, which Windows cannot send")
	}
}

// stop sends SIGINT and waits for a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("p4p exited with %v after SIGINT; stderr: %s", err, p.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("p4p did not exit within 30s of SIGINT")
	}
}

// run runs p4p to completion and returns its stdout.
func run(t *testing.T, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("p4p %s: %v; stderr: %s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
