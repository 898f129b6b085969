// Package headless runs a headless Chromium for the tests that check what
// p4p's HTML reports show a person: the page is loaded from a file, with a
// fresh profile and none of Chromium's own network traffic.
package headless

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// names are the names a Chromium-based browser goes by on PATH.
var names = []string{"chromium", "chromium-browser", "google-chrome"}

// Timeout bounds one run of the browser.
const Timeout = 60 * time.Second

// Find returns the path of a Chromium on PATH. Without one the test is
// skipped, unless CI is set: CI installs Chromium, so there its absence is
// a failure.
func Find(t testing.TB) string {
	t.Helper()
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("none of %v on PATH, and CI is set", names)
	}
	t.Skipf("none of %v on PATH", names)
	return ""
}

// Run runs the browser at path headless with args after its usual flags
// and returns what it wrote to stdout (the DOM, for --dump-dom). Its
// stderr is shown only when it fails.
func Run(t testing.TB, path string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, path, append(flags, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstderr:\n%s", path, strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}
