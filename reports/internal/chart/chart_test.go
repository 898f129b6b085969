package chart

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"p4p/reports/internal/charttest"
)

func TestValueAxis(t *testing.T) {
	tests := []struct {
		hi        float64
		top, step float64
	}{
		{0, 1, 0.2},
		{-5, 1, 0.2},
		{math.NaN(), 1, 0.2},
		{math.Inf(1), 1, 0.2},
		{1e-12, 1, 0.2},
		{1, 1, 0.2},
		{7, 8, 2},
		{9.3, 10, 2},
		{112.4, 125, 25},
		{500, 500, 100},
		{1150, 1250, 250},
		{39_000, 40_000, 10_000},
		{0.037, 0.04, 0.01},
		{1e300, 1e300, 2e299},
		{math.MaxFloat64, 1e300, 2e299},
	}
	for _, tt := range tests {
		got := valueAxis(tt.hi, 5)
		if !near(got.Top, tt.top) || !near(got.Step, tt.step) {
			t.Errorf("valueAxis(%g): got top %g step %g, want %g, %g", tt.hi, got.Top, got.Step, tt.top, tt.step)
		}
		if n := len(got.ticks()); n < 2 || n > 7 {
			t.Errorf("valueAxis(%g): got %d ticks", tt.hi, n)
		}
	}
}

// near reports whether a and b are equal to 9 significant digits.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func TestTimeAxis(t *testing.T) {
	tests := []struct {
		span float64
		want string // the tick labels
	}{
		{0, "0 0.2s 0.4s 0.6s 0.8s 1s"},
		{0.5, "0 0.1s 0.2s 0.3s 0.4s 0.5s"},
		{3, "0 1s 2s 3s"},
		{4.5, "0 1s 2s 3s 4s"},
		{60.0124, "0 10s 20s 30s 40s 50s 1m"},
		{71.24, "0 10s 20s 30s 40s 50s 1m 1m10s"},
		{300, "0 1m 2m 3m 4m 5m"},
		{3600.0875, "0 10m 20m 30m 40m 50m 1h"},
		{5400, "0 15m 30m 45m 1h 1h15m 1h30m"},
		{7 * 86400, "0 1d 2d 3d 4d 5d 6d 7d"},
		{math.NaN(), "0 0.2s 0.4s 0.6s 0.8s 1s"},
		{math.Inf(1), "0 0.2s 0.4s 0.6s 0.8s 1s"},
	}
	for _, tt := range tests {
		a := timeAxis(tt.span, 8)
		var labels []string
		for _, v := range a.timeTicks() {
			labels = append(labels, clockText(v, a.Step))
		}
		if got := strings.Join(labels, " "); got != tt.want {
			t.Errorf("timeAxis(%g): got ticks %q, want %q", tt.span, got, tt.want)
		}
	}
}

func TestTickText(t *testing.T) {
	tests := []struct {
		v, step float64
		want    string
	}{
		{0, 25, "0"},
		{125, 25, "125"},
		{7.5, 2.5, "7.5"},
		{0.04, 0.01, "0.04"},
		{1250, 250, "1250"},
		{20_000, 10_000, "20k"},
		{25_000, 2500, "25k"},
		{12_500, 2500, "12.5k"},
		{3e6, 1e6, "3M"},
		{4e9, 1e9, "4G"},
		{2e13, 1e13, "20T"},
		{2e299, 2e299, "2e299"},
		{1e19, 2e18, "1e19"},
	}
	for _, tt := range tests {
		if got := tickText(tt.v, tt.step); got != tt.want {
			t.Errorf("tickText(%g, %g): got %q, want %q", tt.v, tt.step, got, tt.want)
		}
	}
}

func TestLineChartShapes(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name           string
		points         []Point
		paths, circles int
		empty          bool
	}{
		{"no points", nil, 0, 0, true},
		{"all gaps", []Point{{1, nan}, {2, nan}}, 0, 0, true},
		{"one point", []Point{{0.5, 3}}, 0, 1, false},
		{"a line", []Point{{0.5, 3}, {1.5, 4}, {2.5, 2}}, 1, 0, false},
		{"a gap", []Point{{0.5, 3}, {1.5, 4}, {2.5, nan}, {3.5, 1}, {4.5, 2}}, 1, 0, false},
		{"a lone point between gaps", []Point{{0.5, 3}, {1.5, nan}, {2.5, 5}, {3.5, nan}}, 0, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := Line{ID: "t", Title: "T", Unit: "ms", Span: 5,
				Series: []Series{{Name: "s", Color: blue, Points: tt.points}}}.SVG()
			if err := charttest.Check(svg, Width, Height); err != nil {
				t.Fatalf("%v:\n%s", err, svg)
			}
			if got := strings.Count(svg, "<path "); got != tt.paths {
				t.Errorf("got %d paths, want %d", got, tt.paths)
			}
			if got := strings.Count(svg, "<circle "); got != tt.circles {
				t.Errorf("got %d dots, want %d", got, tt.circles)
			}
			if got := strings.Contains(svg, ">no data<"); got != tt.empty {
				t.Errorf("got \"no data\" %v, want %v", got, tt.empty)
			}
		})
	}
}

func TestBarChartMarkers(t *testing.T) {
	buckets := msBuckets([]float64{1, 2, 4, 8, 16}, []int64{10, 20, 40, 20, 5})
	tests := []struct {
		name    string
		markers []Marker
		want    []string // label texts in the order drawn
		rows    []string // their y positions
	}{
		{"apart", []Marker{{"p50 1.5ms", 1.5}, {"p99 15ms", 15}}, []string{"p50 1.5ms", "p99 15ms"}, []string{"38", "38"}},
		{"crowded", []Marker{{"p50 3ms", 3}, {"p90 3.2ms", 3.2}, {"p99 3.4ms", 3.4}}, []string{"p50 3ms", "p90 3.2ms", "p99 3.4ms"}, []string{"38", "25", "12"}},
		{"out of range", []Marker{{"p50 100ms", 100}, {"p90 n/a", math.NaN()}, {"p99 0ms", 0}}, nil, nil},
	}
	label := regexp.MustCompile(`<text x="[^"]*" y="([^"]*)" text-anchor="middle" class="marker">([^<]*)</text>`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := Bar{ID: "h", Title: "H", Unit: "responses", Quantity: "latency", Color: blue,
				Buckets: buckets, Markers: tt.markers}.SVG()
			if err := charttest.Check(svg, Width, Height); err != nil {
				t.Fatalf("%v:\n%s", err, svg)
			}
			var texts, rows []string
			for _, m := range label.FindAllStringSubmatch(svg, -1) {
				rows, texts = append(rows, m[1]), append(texts, m[2])
			}
			if strings.Join(texts, "|") != strings.Join(tt.want, "|") || strings.Join(rows, "|") != strings.Join(tt.rows, "|") {
				t.Errorf("got markers %q at y %q, want %q at %q", texts, rows, tt.want, tt.rows)
			}
		})
	}
}

func TestBarChartManyBuckets(t *testing.T) {
	uppers, counts := make([]float64, 300), make([]int64, 300)
	for i := range uppers {
		uppers[i], counts[i] = float64(i+1), int64(i%7)
	}
	svg := Bar{ID: "h", Title: "H", Color: blue, Buckets: msBuckets(uppers, counts)}.SVG()
	if err := charttest.Check(svg, Width, Height); err != nil {
		t.Fatalf("%v:\n%s", err, svg)
	}
	width := regexp.MustCompile(`<rect x="[^"]*" y="[^"]*" width="([^"]*)"`)
	bars := width.FindAllStringSubmatch(svg, -1)
	if len(bars) != 300 {
		t.Fatalf("got %d bars, want 300", len(bars))
	}
	for _, b := range bars {
		if b[1] == "0" {
			t.Fatalf("a bar has no width")
		}
	}
	if n := strings.Count(svg, `class="tick">`); n > 20 {
		t.Errorf("got %d tick labels, want few enough not to overlap", n)
	}
}

// blue is the colour the tests draw in.
const blue = "#0969da"

// msBuckets are buckets with the given upper bounds, in milliseconds, and
// counts, labelled as the load report labels them: "2ms", "1ms–2ms: 20".
func msBuckets(uppers []float64, counts []int64) []Bucket {
	ms := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + "ms" }
	buckets := make([]Bucket, len(uppers))
	lower := 0.0
	for i, u := range uppers {
		buckets[i] = Bucket{Upper: u, Count: counts[i], Label: ms(u),
			Tooltip: ms(lower) + "–" + ms(u) + ": " + strconv.FormatInt(counts[i], 10)}
		lower = u
	}
	return buckets
}
