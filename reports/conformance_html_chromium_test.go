package reports

import (
	"html"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"p4p/internal/headless"
)

// writeConformanceHTML writes c's HTML report to a temporary file and
// returns its file:// URL.
func writeConformanceHTML(t *testing.T, c *Conformance) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(rendered(t, c.WriteHTML)), 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(path)
}

// TestHTMLInChromium renders a report of each verdict in headless
// Chromium: the DOM has the verdict, the strict note when the run was
// strict, the endpoint and every spec; and the certificate at the top of
// the screenshot is drawn in the verdict's colour, not another verdict's.
func TestHTMLInChromium(t *testing.T) {
	chromium := headless.Find(t)
	for _, tt := range verdictCases {
		if tt.name == "certified strict" || tt.name == "failure strict" {
			continue // the same page as another case, but for the strict note
		}
		t.Run(tt.name, func(t *testing.T) {
			c := sampleVariant(tt.failed, tt.deviated, tt.strict)
			page := writeConformanceHTML(t, c)
			t.Run("dump-dom", func(t *testing.T) {
				dom := string(headless.Run(t, chromium, "--dump-dom", page))
				wants := []string{`id="verdict">` + tt.heading + `</h1>`, c.Endpoint}
				if tt.strict {
					wants = append(wants, `<p class="strict">--strict: deviations fail</p>`)
				}
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
				img := screenshot(t, chromium, page, "conformance-"+strings.ReplaceAll(tt.name, " ", "-"))
				checkVerdictColour(t, img, tt.colour)
			})
		})
	}
}

// checkVerdictColour fails the test unless the certificate, the top
// 600 pixels of img, is drawn in colour (its border and its verdict)
// and hardly in the colour of another verdict.
func checkVerdictColour(t *testing.T, img image.Image, colour string) {
	t.Helper()
	b := img.Bounds()
	top := img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(image.Rect(b.Min.X, b.Min.Y, b.Max.X, b.Min.Y+600))
	want := pixelsNear(top, colour, 24)
	if want < 5000 {
		t.Errorf("the certificate has %d pixels of the verdict's colour %s, want at least 5000", want, colour)
	}
	for _, other := range []string{"#1a7f37", "#bc4c00", "#c62828"} {
		if n := pixelsNear(top, other, 24); other != colour && n*10 > want {
			t.Errorf("the certificate has %d pixels of another verdict's colour %s, beside %d of its own %s", n, other, want, colour)
		}
	}
}
