package load_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"p4p"
	"p4p/internal/headless"
	"p4p/load"
)

// TestReportHTMLOfRealRunsInChromium renders the report.html of short
// real runs, pull (with a share of errors) and propagation, in headless
// Chromium: every chart is there, and the page is drawn on. With
// $P4P_KEEP_SCREENSHOTS naming a directory, the screenshots are kept
// there as run-NAME.png, to look at.
func TestReportHTMLOfRealRunsInChromium(t *testing.T) {
	chromium := headless.Find(t)
	common := []string{"Latency over time", "Latency distribution", "Throughput and errors"}
	tests := []struct {
		name   string
		run    func(t *testing.T) load.Scenario
		charts []string
	}{
		{"pull", func(t *testing.T) load.Scenario {
			users := ids(10)
			e := startFaultyEndpoint(t, users, 0, func(id string, _ time.Duration) behaviour {
				return map[string]behaviour{"c-03": status503, "c-07": truncate}[id]
			})
			return load.Scenario{Kind: load.Pull, PullURL: e.URL, Network: testNetwork, Key: testKey, Users: users,
				Rate: load.Rate{Freq: 50, Per: time.Second}, Duration: load.Duration(3 * time.Second),
				SLOs: []string{"p99<500ms", "success>=99%"}, ReportDir: t.TempDir()}
		}, common},
		{"propagation", func(t *testing.T) load.Scenario {
			p := startPipeline(t, p4p.Delay{Min: 200 * time.Millisecond, Max: 800 * time.Millisecond}, "")
			return p.scenario(t, "30/s", 3*time.Second, "lost==0", "propagation_p99<2s")
		}, append(common, "Ping-to-update distribution", "Ping-to-visible distribution", "Propagation p99 over time", "Updates per second", "Queue depth")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.run(t)
			if _, err := load.Run(context.Background(), s, load.Options{}); err != nil {
				t.Fatal(err)
			}
			page := "file://" + filepath.Join(s.ReportDir, "report.html")
			dom := string(headless.Run(t, chromium, "--dump-dom", page))
			for _, title := range tt.charts {
				if !strings.Contains(dom, "<h3>"+title+"</h3>") {
					t.Errorf("the page lacks the chart %q", title)
				}
			}
			if got, want := strings.Count(dom, "<svg"), len(tt.charts); got != want {
				t.Errorf("the page has %d <svg> elements, want %d", got, want)
			}
			shot := filepath.Join(t.TempDir(), "shot.png")
			headless.Run(t, chromium, "--screenshot="+shot, "--window-size=1280,3200", "--hide-scrollbars", page)
			data, err := os.ReadFile(shot)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Fatalf("the screenshot: %v", err)
			}
			if dir := os.Getenv("P4P_KEEP_SCREENSHOTS"); dir != "" {
				os.MkdirAll(dir, 0o755)
				os.WriteFile(filepath.Join(dir, "run-"+tt.name+".png"), data, 0o644)
			}
		})
	}
}
