package charttest_test

import (
	"strings"
	"testing"

	"p4p/reports/internal/chart"
	"p4p/reports/internal/charttest"
)

// TestCheck: Check refuses each kind of unfit SVG.
func TestCheck(t *testing.T) {
	good := chart.Line{ID: "c", Title: "T", Unit: "ms", Span: 10, Series: []chart.Series{{Name: "p99", Color: "#000", Points: []chart.Point{{X: 0, Y: 1}, {X: 10, Y: 2}}}}}.SVG()
	if err := charttest.Check(good, chart.Width, chart.Height); err != nil {
		t.Fatalf("Check(a drawn chart) = %v", err)
	}
	for _, tt := range []struct{ name, svg, want string }{
		{"NaN", strings.Replace(good, `x1="`, `x1="NaN`, 1), "NaN"},
		{"exponent", strings.Replace(good, `x1="`, `x1="1e+09 `, 1), "e+"},
		{"no viewBox", strings.Replace(good, "viewBox", "viewbox", 1), "viewBox"},
		{"not well-formed", strings.Replace(good, "</svg>", "", 1), "well-formed"},
	} {
		if err := charttest.Check(tt.svg, chart.Width, chart.Height); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Check = %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}
