package reports

import (
	"bytes"
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromiumNames are the names a Chromium-based browser goes by on PATH.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome"}

// findChromium returns the path of a Chromium on PATH. Without one the
// test is skipped, unless CI is set: CI installs Chromium, so there its
// absence is a failure.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range chromiumNames {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("none of %v on PATH, and CI is set", chromiumNames)
	}
	t.Skipf("none of %v on PATH", chromiumNames)
	return ""
}

// runChromium runs a headless Chromium with args after its usual flags,
// with a fresh profile, and returns what it wrote to stdout. Chromium's
// warnings on stderr are shown only when it fails.
func runChromium(t *testing.T, chromium string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	flags := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--no-first-run",
		"--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, chromium, append(flags, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstderr:\n%s", chromium, strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// writeSampleHTML writes the sample report's HTML to a temporary file
// and returns its file:// URL.
func writeSampleHTML(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(rendered(t, sample().WriteHTML)), 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(path)
}

func TestHTMLInChromium(t *testing.T) {
	chromium := findChromium(t)
	page := writeSampleHTML(t)
	c := sample()
	t.Run("dump-dom", func(t *testing.T) {
		dom := string(runChromium(t, chromium, "--dump-dom", page))
		wants := []string{`id="verdict">FAILED</h1>`, c.Endpoint}
		for _, r := range c.Results {
			wants = append(wants, `id="`+r.ID+`"`)
		}
		for _, want := range wants {
			if !strings.Contains(dom, want) && !strings.Contains(dom, html.EscapeString(want)) {
				t.Errorf("DOM lacks %q", want)
			}
		}
	})
	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(t.TempDir(), "shot.png")
		runChromium(t, chromium, "--screenshot="+shot, "--window-size=1200,2000", page)
		data, err := os.ReadFile(shot)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("screenshot is not a PNG: starts % x", data[:min(8, len(data))])
		}
	})
}
