package reports

import (
	"bytes"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"

	"p4p/reports/internal/chart"
	"p4p/reports/internal/charttest"
)

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
				if err := charttest.Check(svg, chart.Width, chart.Height); err != nil {
					t.Fatalf("%v:\n%s", err, svg)
				}
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
		{"propagation", samplePropagation, "latency latency-histogram throughput propagation-histogram visible-histogram propagation-p99 updates queue"},
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
	want := []chart.Point{{X: 1, Y: 200}, {X: 3, Y: 300}}
	if len(requests.Points) != 2 || requests.Points[0] != want[0] || requests.Points[1] != want[1] {
		t.Errorf("got points %v, want %v", requests.Points, want)
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
