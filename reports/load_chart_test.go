package reports

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
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
		if !close(got.Top, tt.top) || !close(got.Step, tt.step) {
			t.Errorf("valueAxis(%g): got top %g step %g, want %g, %g", tt.hi, got.Top, got.Step, tt.top, tt.step)
		}
		if n := len(got.ticks()); n < 2 || n > 7 {
			t.Errorf("valueAxis(%g): got %d ticks", tt.hi, n)
		}
	}
}

// close reports whether a and b are equal to 9 significant digits.
func close(a, b float64) bool {
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

func TestWindowTimes(t *testing.T) {
	tests := []struct {
		name      string
		starts    []float64
		elapsedMS float64
		wantMid   []float64
		wantWidth []float64
		wantSpan  float64
	}{
		{"none", nil, 5000, []float64{}, []float64{}, 5},
		{"one window spans the run", []float64{0}, 2500, []float64{1.25}, []float64{2.5}, 2.5},
		{"one window, no elapsed time", []float64{0}, 0, []float64{0.5}, []float64{1}, 1},
		{"consecutive starts", []float64{0, 1000, 2000}, 3600, []float64{0.5, 1.5, 2.5}, []float64{1, 1, 1}, 3.6},
		{"ended inside the last window", []float64{0, 1000, 2000}, 2600, []float64{0.5, 1.5, 2.3}, []float64{1, 1, 0.6}, 2.6},
		{"drain after the last window", []float64{0, 1000}, 9000, []float64{0.5, 1.5}, []float64{1, 1}, 9},
		{"repeated start", []float64{0, 0, 1000}, 2000, []float64{0.5, 0.5, 1.5}, []float64{1, 1, 1}, 2},
		{"not numbers", []float64{0, math.NaN(), 2000}, math.NaN(), []float64{0.5, math.NaN(), 2.5}, []float64{1, 1, 1}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Load{ElapsedMS: tt.elapsedMS}
			for _, s := range tt.starts {
				l.Series = append(l.Series, Window{StartMS: s})
			}
			w := l.windowTimes()
			if !equalFloats(w.Mid, tt.wantMid) || !equalFloats(w.Width, tt.wantWidth) || w.Span != tt.wantSpan {
				t.Errorf("got mid %v width %v span %g, want %v %v %g", w.Mid, w.Width, w.Span, tt.wantMid, tt.wantWidth, tt.wantSpan)
			}
		})
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

// edgeLoads are runs whose charts are easy to get wrong.
func edgeLoads() map[string]*Load {
	withAll := func(mod func(l *Load)) *Load {
		l := samplePropagation()
		l.Drift = &Drift{WindowMS: 1000}
		mod(l)
		return l
	}
	return map[string]*Load{
		"empty": {Scenario: "pull", Propagation: &Propagation{}, Drift: &Drift{}},
		"one window": withAll(func(l *Load) {
			l.Series = l.Series[:1]
			l.Histogram = l.Histogram[:1]
			l.Propagation.Histogram = l.Propagation.Histogram[:1]
		}),
		"all zeros": withAll(func(l *Load) {
			for i := range l.Series {
				l.Series[i] = Window{StartMS: l.Series[i].StartMS}
			}
			for i := range l.Histogram {
				l.Histogram[i].Count = 0
			}
			l.Latency, l.ElapsedMS = Percentiles{}, 0
		}),
		"huge values": withAll(func(l *Load) {
			l.Series[3].P99, l.Series[4].Max = math.MaxFloat64, 1e300
			l.Series[5].Requests, l.Series[6].QueuePending = math.MaxInt64, math.MaxInt64
			l.Series[7].StartMS = 1e308
			l.Histogram[2].Count, l.Histogram[3].UpperMS = math.MaxInt64, math.MaxFloat64
			l.Latency.P99, l.ElapsedMS = math.MaxFloat64, math.MaxFloat64
		}),
		"not numbers": withAll(func(l *Load) {
			l.Series[1].P50, l.Series[2].P90, l.Series[3].HeapMB = math.NaN(), math.Inf(1), math.Inf(-1)
			l.Series[4].StartMS, l.Series[5].StartMS = math.NaN(), math.Inf(-1)
			l.Latency.P50, l.Latency.P99 = math.NaN(), math.Inf(1)
			l.Histogram[0].UpperMS = math.NaN()
			l.ElapsedMS = math.NaN()
		}),
		"tiny and negative values": withAll(func(l *Load) {
			l.Series[1].P50, l.Series[2].P90, l.Series[3].Requests = 5e-324, -7, -100
			l.Series[4].StartMS = -1000
			l.Histogram[0].Count, l.Histogram[1].UpperMS = -5, -1
			l.Latency.P50 = 1e-320
		}),
	}
}

var svgPart = regexp.MustCompile(`(?s)<svg.*?</svg>`)

func TestChartsEdgeCases(t *testing.T) {
	for name, l := range edgeLoads() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := l.WriteHTML(&b); err != nil {
				t.Fatal(err)
			}
			for _, render := range []func(io.Writer) error{l.WriteText, l.WriteJUnit, l.WriteJSON} {
				if err := render(io.Discard); err != nil && !strings.Contains(err.Error(), "unsupported value") {
					t.Errorf("rendering: %v", err)
				}
			}
			svgs := svgPart.FindAllString(b.String(), -1)
			if got, want := len(svgs), len(l.charts()); got != want || got == 0 {
				t.Fatalf("got %d charts, want %d", got, want)
			}
			for _, svg := range svgs {
				checkSVG(t, svg)
			}
		})
	}
}

// checkSVG fails the test if svg is not well-formed XML, holds NaN or
// an infinity, or lacks its viewBox.
func checkSVG(t *testing.T, svg string) {
	t.Helper()
	for _, bad := range []string{"NaN", "Inf", "e+", "e-"} {
		if strings.Contains(svgNumbers(svg), bad) {
			t.Errorf("SVG holds %q:\n%s", bad, svg)
		}
	}
	if !strings.Contains(svg, `viewBox="0 0 560 280"`) {
		t.Errorf("SVG lacks its viewBox: %.120s", svg)
	}
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v\n%s", err, svg)
		}
	}
}

// svgAttr matches an attribute holding coordinates.
var svgAttr = regexp.MustCompile(`\b(?:x|y|x1|y1|x2|y2|cx|cy|r|width|height|d|transform)="[^"]*"`)

// svgNumbers is every coordinate attribute of svg, space-separated.
func svgNumbers(svg string) string {
	return strings.Join(svgAttr.FindAllString(svg, -1), " ")
}

func TestLineChartShapes(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name           string
		points         []point
		paths, circles int
		empty          bool
	}{
		{"no points", nil, 0, 0, true},
		{"all gaps", []point{{1, nan}, {2, nan}}, 0, 0, true},
		{"one point", []point{{0.5, 3}}, 0, 1, false},
		{"a line", []point{{0.5, 3}, {1.5, 4}, {2.5, 2}}, 1, 0, false},
		{"a gap", []point{{0.5, 3}, {1.5, 4}, {2.5, nan}, {3.5, 1}, {4.5, 2}}, 1, 0, false},
		{"a lone point between gaps", []point{{0.5, 3}, {1.5, nan}, {2.5, 5}, {3.5, nan}}, 0, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := lineChart{ID: "t", Title: "T", Unit: "ms", Span: 5,
				Series: []lineSeries{{Name: "s", Color: colorBlue, Points: tt.points}}}.svg()
			checkSVG(t, svg)
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
	buckets := []Bucket{{1, 10}, {2, 20}, {4, 40}, {8, 20}, {16, 5}}
	tests := []struct {
		name    string
		markers []marker
		want    []string // label texts in the order drawn
		rows    []string // their y positions
	}{
		{"apart", []marker{{"p50", 1.5}, {"p99", 15}}, []string{"p50 1.5ms", "p99 15ms"}, []string{"38", "38"}},
		{"crowded", []marker{{"p50", 3}, {"p90", 3.2}, {"p99", 3.4}}, []string{"p50 3ms", "p90 3.2ms", "p99 3.4ms"}, []string{"38", "25", "12"}},
		{"out of range", []marker{{"p50", 100}, {"p90", math.NaN()}, {"p99", 0}}, nil, nil},
	}
	label := regexp.MustCompile(`<text x="[^"]*" y="([^"]*)" text-anchor="middle" class="marker">([^<]*)</text>`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := barChart{ID: "h", Title: "H", Unit: "responses", Quantity: "latency", Color: colorBlue,
				Buckets: buckets, Markers: tt.markers}.svg()
			checkSVG(t, svg)
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

func TestChartsByScenario(t *testing.T) {
	tests := []struct {
		name string
		load func() *Load
		want string
	}{
		{"pull", samplePull, "latency latency-histogram throughput"},
		{"propagation", samplePropagation, "latency latency-histogram throughput propagation-histogram propagation-p99 updates queue"},
		{"soak", sampleSoak, "latency latency-histogram throughput heap"},
	}
	for _, tt := range tests {
		var ids []string
		for _, c := range tt.load().charts() {
			ids = append(ids, c.ID)
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("%s: got charts %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestThroughputIsPerSecond(t *testing.T) {
	l := &Load{Scenario: "pull", ElapsedMS: 4000, Series: []Window{
		{StartMS: 0, Requests: 400, Valid: 390, Errors: 10},
		{StartMS: 2000, Requests: 600, Valid: 600},
	}}
	w := l.windowTimes()
	requests := l.seriesOf(w, "requests", colorBlue, perSecond(func(win Window) int64 { return win.Requests }))
	want := []point{{1, 200}, {3, 300}}
	if len(requests.Points) != 2 || requests.Points[0] != want[0] || requests.Points[1] != want[1] {
		t.Errorf("got points %v, want %v", requests.Points, want)
	}
}

func TestBarChartManyBuckets(t *testing.T) {
	buckets := make([]Bucket, 300)
	for i := range buckets {
		buckets[i] = Bucket{UpperMS: float64(i + 1), Count: int64(i % 7)}
	}
	svg := barChart{ID: "h", Title: "H", Color: colorBlue, Buckets: buckets}.svg()
	checkSVG(t, svg)
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

// TestRequestChartsEndWithTheAttack: a window begun after the planned
// duration holds only the last request or two; the request charts leave
// it out, the update charts keep it.
func TestRequestChartsEndWithTheAttack(t *testing.T) {
	l := &Load{Scenario: "propagation", PlannedMS: 2000, ElapsedMS: 2600, Series: []Window{
		{StartMS: 0, Requests: 50, Valid: 50, P99: 3, Updates: 40},
		{StartMS: 1000, Requests: 50, Valid: 50, P99: 3, Updates: 50},
		{StartMS: 2000, Requests: 1, Valid: 1, P99: 9, Updates: 10},
	}}
	w := l.windowTimes()
	requests := l.seriesOf(w, "requests", colorBlue, l.duringAttack(perSecond(func(win Window) int64 { return win.Requests })))
	updates := l.seriesOf(w, "updates", colorTeal, perSecond(func(win Window) int64 { return win.Updates }))
	if got := requests.Points[2].Y; !math.IsNaN(got) || requests.Points[1].Y != 50 {
		t.Errorf("requests per second %v, want 50 then none after the attack", requests.Points)
	}
	if got := updates.Points[2]; got.X != 2.3 || math.Abs(got.Y-10/0.6) > 1e-9 {
		t.Errorf("updates in the drain's partial window at %v, want 10 over 0.6s at 2.3s", got)
	}
}

// TestRequestRatesInTheWindowTheAttackEnded: a propagation run's windows
// are wide (the drain is long), and the attack ends inside one: its
// request rate is over the part of it the attack covered, not a drop.
func TestRequestRatesInTheWindowTheAttackEnded(t *testing.T) {
	l := &Load{Scenario: "propagation", PlannedMS: 4000, ElapsedMS: 6800, Series: []Window{
		{StartMS: 0, Requests: 150, Valid: 150},
		{StartMS: 3000, Requests: 50, Valid: 50, Updates: 60},
	}}
	w := l.windowTimes()
	requests := l.seriesOf(w, "requests", colorBlue, l.duringAttack(perSecond(func(win Window) int64 { return win.Requests })))
	if got := requests.Points[1].Y; got != 50 {
		t.Errorf("requests per second in the window the attack ended in: %v, want 50 (50 over its 1s)", got)
	}
	updates := l.seriesOf(w, "updates", colorTeal, perSecond(func(win Window) int64 { return win.Updates }))
	if got := updates.Points[1].Y; got != 20 {
		t.Errorf("updates per second there: %v, want 20 (the drain goes on: 60 over 3s)", got)
	}
}
