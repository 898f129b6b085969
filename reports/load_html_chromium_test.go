package reports

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"p4p/internal/headless"
)

// writeLoadHTML writes l's HTML report to a temporary file and returns
// its file:// URL.
func writeLoadHTML(t *testing.T, l *Load) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(rendered(t, l.WriteHTML)), 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(path)
}

var svgElem = regexp.MustCompile(`<svg[\s>]`)

func TestLoadHTMLInChromium(t *testing.T) {
	chromium := headless.Find(t)
	tests := []struct {
		name   string
		load   func() *Load
		charts []string
		colors []string
	}{
		{"propagation", samplePropagation,
			[]string{"Latency over time", "Latency distribution", "Throughput and errors", "Ping-to-update distribution",
				"Ping-to-visible distribution", "Propagation p99 over time", "Updates per second", "Queue depth"},
			[]string{colorBlue, colorPurple, colorOrange, colorGreen, colorRed, colorTeal}},
		{"soak", sampleSoak,
			[]string{"Latency over time", "Latency distribution", "Throughput and errors", "Harness heap"},
			[]string{colorBlue, colorPurple, colorOrange, colorGreen}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := writeLoadHTML(t, tt.load())
			t.Run("dump-dom", func(t *testing.T) {
				dom := string(headless.Run(t, chromium, "--dump-dom", page))
				if got, want := len(svgElem.FindAllString(dom, -1)), len(tt.charts); got != want {
					t.Errorf("DOM has %d <svg> elements, want %d", got, want)
				}
				for _, title := range tt.charts {
					if !strings.Contains(dom, "<h3>"+title+"</h3>") {
						t.Errorf("DOM lacks the chart %q", title)
					}
				}
				if strings.Contains(dom, "<script") {
					t.Errorf("DOM holds a script")
				}
			})
			t.Run("screenshot", func(t *testing.T) {
				img := screenshot(t, chromium, page, "load-"+tt.name)
				checkNotBlank(t, img)
				for _, c := range tt.colors {
					if n := pixelsNear(img, c, 24); n < 50 {
						t.Errorf("screenshot has %d pixels of the series colour %s, want at least 50", n, c)
					}
				}
			})
		})
	}
}

// screenshot takes a 1280×3000 screenshot of page, keeps a copy in
// $P4P_KEEP_SCREENSHOTS as NAME.png when that names a directory, and
// decodes it.
func screenshot(t *testing.T, chromium, page, name string) image.Image {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "shot.png")
	headless.Run(t, chromium, "--screenshot="+shot, "--window-size=1280,3000", "--hide-scrollbars", page)
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if dir := os.Getenv("P4P_KEEP_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 3000 {
		t.Errorf("screenshot is %dx%d, want 1280x3000", b.Dx(), b.Dy())
	}
	return img
}

// checkNotBlank fails the test unless a good share of the screenshot,
// which the charts fill from a third of the way down, is drawn on.
func checkNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	chartArea := image.Rect(b.Min.X, b.Min.Y+b.Dy()/4, b.Max.X, b.Max.Y-b.Dy()/4)
	ink, total := 0, 0
	for y := chartArea.Min.Y; y < chartArea.Max.Y; y += 2 {
		for x := chartArea.Min.X; x < chartArea.Max.X; x += 2 {
			total++
			if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 < 200 || g>>8 < 200 || bl>>8 < 200 {
				ink++
			}
		}
	}
	if ink*100 < total*2 {
		t.Errorf("only %d of %d sampled pixels in the chart area are drawn on, want at least 2%%", ink, total)
	}
}

// pixelsNear counts the pixels of img within tolerance of the colour
// hex ("#rrggbb") in every channel.
func pixelsNear(img image.Image, hex string, tolerance int) int {
	var want [3]int
	for i := range want {
		want[i] = hexByte(hex[1+2*i : 3+2*i])
	}
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			got := [3]int{int(r >> 8), int(g >> 8), int(bl >> 8)}
			if near(got, want, tolerance) {
				n++
			}
		}
	}
	return n
}

// near reports whether two colours differ by at most tolerance in every
// channel.
func near(a, b [3]int, tolerance int) bool {
	for i := range a {
		if d := a[i] - b[i]; d > tolerance || d < -tolerance {
			return false
		}
	}
	return true
}

// hexByte parses two hex digits.
func hexByte(s string) int {
	n := 0
	for _, c := range s {
		n *= 16
		switch {
		case c >= '0' && c <= '9':
			n += int(c - '0')
		case c >= 'a' && c <= 'f':
			n += int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			n += int(c-'A') + 10
		}
	}
	return n
}
