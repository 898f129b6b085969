package reports

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"p4p/internal/headless"
)

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
	chromium := headless.Find(t)
	page := writeSampleHTML(t)
	c := sample()
	t.Run("dump-dom", func(t *testing.T) {
		dom := string(headless.Run(t, chromium, "--dump-dom", page))
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
		headless.Run(t, chromium, "--screenshot="+shot, "--window-size=1200,2000", page)
		data, err := os.ReadFile(shot)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("screenshot is not a PNG: starts % x", data[:min(8, len(data))])
		}
	})
}
