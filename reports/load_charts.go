package reports

import (
	"fmt"
	"html/template"
	"math"

	"p4p/reports/internal/chart"
)

// The colours of the charts' series.
const (
	colorBlue   = "#0969da"
	colorPurple = "#8250df"
	colorOrange = "#bc4c00"
	colorGreen  = "#1a7f37"
	colorRed    = "#cf222e"
	colorTeal   = "#1b7c83"
)

// chartFigure is one chart of the HTML report: its heading, a sentence
// on what it shows, and the SVG.
type chartFigure struct {
	ID, Title, Caption string
	SVG                template.HTML
}

// charts are the report's charts: latency, its distribution and the
// throughput for every run, the propagation charts when the run has
// them, and the heap for a soak run.
func (l *Load) charts() []chartFigure {
	w := l.windowTimes()
	figs := []chartFigure{
		l.latencyChart(w),
		barFigure(chart.Bar{ID: "latency-histogram", Title: "Latency distribution", Color: colorBlue,
			Unit: "responses", Quantity: "latency",
			Buckets: histogram(l.Histogram), Markers: percentileMarkers(l.Latency)},
			"Responses by latency. The buckets are log-spaced, so each bar spans a wider range than the one before."),
		l.throughputChart(w),
	}
	if p := l.Propagation; p != nil {
		figs = append(figs,
			barFigure(chart.Bar{ID: "propagation-histogram", Title: "Ping-to-update distribution", Color: colorPurple,
				Unit: "updates", Quantity: "ping to update",
				Buckets: histogram(p.Histogram), Markers: percentileMarkers(p.Latency)},
				"Acknowledged pings by the time from sending the ping to seeing the stored update; log-spaced buckets."),
			barFigure(chart.Bar{ID: "visible-histogram", Title: "Ping-to-visible distribution", Color: colorTeal,
				Unit: "pings", Quantity: "ping to visible",
				Buckets: histogram(p.VisibleHistogram), Markers: percentileMarkers(p.Visible)},
				"Updated pings by the time from sending the ping to the first bootstrap refresh that showed the update in the app; log-spaced buckets."),
			l.propagationChart(w), l.updatesChart(w), l.queueChart(w))
	}
	if l.Drift != nil {
		figs = append(figs, l.heapChart(w))
	}
	return figs
}

// lineFigure renders the chart with its caption. The SVG is safe to put
// in the page as it is: the chart package escapes every string in it.
func lineFigure(c chart.Line, caption string) chartFigure {
	return chartFigure{ID: c.ID, Title: c.Title, Caption: caption, SVG: template.HTML(c.SVG())}
}

// barFigure renders the histogram with its caption, as lineFigure does.
func barFigure(c chart.Bar, caption string) chartFigure {
	return chartFigure{ID: c.ID, Title: c.Title, Caption: caption, SVG: template.HTML(c.SVG())}
}

// histogram is a run's buckets as a histogram's bars: each labelled with
// its upper bound, its tooltip the bucket's range and count.
func histogram(buckets []Bucket) []chart.Bucket {
	bars := make([]chart.Bucket, len(buckets))
	lower := 0.0
	for i, b := range buckets {
		bars[i] = chart.Bucket{Upper: b.UpperMS, Count: b.Count, Label: latencyText(b.UpperMS),
			Tooltip: fmt.Sprintf("%s–%s: %s", latencyText(lower), latencyText(b.UpperMS), countText(b.Count))}
		lower = b.UpperMS
	}
	return bars
}

// percentileMarkers mark p50, p90 and p99 on a histogram.
func percentileMarkers(p Percentiles) []chart.Marker {
	if p.Count == 0 {
		return nil
	}
	return []chart.Marker{
		{Label: "p50 " + latencyText(p.P50), At: p.P50},
		{Label: "p90 " + latencyText(p.P90), At: p.P90},
		{Label: "p99 " + latencyText(p.P99), At: p.P99},
	}
}

// windowTimes are where each window of the series sits in time, in
// seconds: its middle, and its width, to turn counts into rates.
type windowTimes struct {
	Mid, Width []float64
	Span       float64 // the run's length, or the end of the last window
}

// windowTimes measures the series' windows. A window's width is the
// distance to the next window's start; the last window is as wide as the
// one before it, cut at the elapsed time when the run ended inside it; a
// lone window spans the whole elapsed time; a width
// that is not a positive number is a second. Times that are not finite
// numbers do not stretch the span.
func (l *Load) windowTimes() windowTimes {
	n := len(l.Series)
	w := windowTimes{Mid: make([]float64, n), Width: make([]float64, n)}
	if l.ElapsedMS > 0 && !math.IsInf(l.ElapsedMS, 0) {
		w.Span = l.ElapsedMS / 1000
	}
	for i, win := range l.Series {
		width := 0.0
		switch {
		case i+1 < n:
			width = l.Series[i+1].StartMS - win.StartMS
		case i > 0:
			width = w.Width[i-1] * 1000
			// A run that ended inside its last window covered only part
			// of it: its rates are over that part, not a drop to nothing.
			if rest := l.ElapsedMS - win.StartMS; rest > 0 && rest < width {
				width = rest
			}
		default:
			width = l.ElapsedMS - win.StartMS
		}
		if !(width > 0) || math.IsInf(width, 0) {
			width = 1000
		}
		w.Width[i] = width / 1000
		w.Mid[i] = (win.StartMS + width/2) / 1000
		if end := (win.StartMS + width) / 1000; end > w.Span && !math.IsInf(end, 0) {
			w.Span = end
		}
	}
	return w
}

// seriesOf makes a chart series of one figure per window; value returns
// NaN for a window with nothing to show.
func (l *Load) seriesOf(w windowTimes, name, color string, value func(Window, float64) float64) chart.Series {
	s := chart.Series{Name: name, Color: color, Points: make([]chart.Point, len(l.Series))}
	for i, win := range l.Series {
		s.Points[i] = chart.Point{X: w.Mid[i], Y: value(win, w.Width[i])}
	}
	return s
}

// latencyChart shows p50, p90 and p99 per window.
func (l *Load) latencyChart(w windowTimes) chartFigure {
	latency := func(pick func(Window) float64) func(Window, float64) float64 {
		return func(win Window, _ float64) float64 {
			if win.Requests == 0 || !l.attacking(win) {
				return math.NaN()
			}
			return pick(win)
		}
	}
	return lineFigure(chart.Line{ID: "latency", Title: "Latency over time", Unit: "ms", Span: w.Span, Series: []chart.Series{
		l.seriesOf(w, "p50", colorBlue, latency(func(win Window) float64 { return win.P50 })),
		l.seriesOf(w, "p90", colorPurple, latency(func(win Window) float64 { return win.P90 })),
		l.seriesOf(w, "p99", colorOrange, latency(func(win Window) float64 { return win.P99 })),
	}}, "The 50th, 90th and 99th percentile latency of the responses in each window.")
}

// attacking reports whether a window began before the attack's planned
// end. The windows after it hold no more than the last requests, started
// a moment after the run's clock began, and their rates and percentiles
// would show a spike or a drop that did not happen; the request charts
// leave them out (the figures count every request).
func (l *Load) attacking(win Window) bool { return !(l.PlannedMS > 0) || win.StartMS < l.PlannedMS }

// duringAttack is value for the windows of the attack, NaN after it. A
// window the attack ended inside (a propagation run's drain goes on past
// it) had requests only until then, so its rates are over that part.
func (l *Load) duringAttack(value func(Window, float64) float64) func(Window, float64) float64 {
	return func(win Window, width float64) float64 {
		if !l.attacking(win) {
			return math.NaN()
		}
		if rest := (l.PlannedMS - win.StartMS) / 1000; l.PlannedMS > 0 && rest < width {
			width = rest
		}
		return value(win, width)
	}
}

// perSecond turns a window's count into a rate.
func perSecond(count func(Window) int64) func(Window, float64) float64 {
	return func(win Window, width float64) float64 { return float64(count(win)) / width }
}

// dashed is s drawn dashed, so that a line that runs on top of another
// lets it show through.
func dashed(s chart.Series) chart.Series {
	s.Dash = "7 4"
	return s
}

// throughputChart shows requests, valid responses and errors per second.
func (l *Load) throughputChart(w windowTimes) chartFigure {
	return lineFigure(chart.Line{ID: "throughput", Title: "Throughput and errors", Unit: "per second", Span: w.Span, Series: []chart.Series{
		l.seriesOf(w, "requests", colorBlue, l.duringAttack(perSecond(func(win Window) int64 { return win.Requests }))),
		dashed(l.seriesOf(w, "valid", colorGreen, l.duringAttack(perSecond(func(win Window) int64 { return win.Valid })))),
		l.seriesOf(w, "errors", colorRed, l.duringAttack(perSecond(func(win Window) int64 { return win.Errors }))),
	}}, "Requests sent, valid responses and errors (invalid responses and transport errors) per second, per window.")
}

// propagationChart shows the ping-to-update p99 per window.
func (l *Load) propagationChart(w windowTimes) chartFigure {
	p99 := func(win Window, _ float64) float64 {
		if win.Updates == 0 {
			return math.NaN()
		}
		return win.PropagationP99
	}
	return lineFigure(chart.Line{ID: "propagation-p99", Title: "Propagation p99 over time", Unit: "ms", Span: w.Span,
		Series: []chart.Series{l.seriesOf(w, "p99 ping to update", colorPurple, p99)}},
		"The 99th percentile time from ping to stored update, of the updates seen in each window.")
}

// updatesChart shows the updates seen per second.
func (l *Load) updatesChart(w windowTimes) chartFigure {
	return lineFigure(chart.Line{ID: "updates", Title: "Updates per second", Unit: "per second", Span: w.Span,
		Series: []chart.Series{l.seriesOf(w, "updates", colorTeal, perSecond(func(win Window) int64 { return win.Updates }))}},
		"Stored updates seen on the mock's /events stream per second, per window.")
}

// queueChart shows the mock's pull queue as sampled.
func (l *Load) queueChart(w windowTimes) chartFigure {
	return lineFigure(chart.Line{ID: "queue", Title: "Queue depth", Unit: "pulls", Span: w.Span, Series: []chart.Series{
		l.seriesOf(w, "pending", colorOrange, func(win Window, _ float64) float64 { return float64(win.QueuePending) }),
		l.seriesOf(w, "running", colorBlue, func(win Window, _ float64) float64 { return float64(win.QueueRunning) }),
	}}, "Pulls waiting in the mock's queue and pulls running, as sampled in each window.")
}

// heapChart shows the harness's heap in use.
func (l *Load) heapChart(w windowTimes) chartFigure {
	heap := func(win Window, _ float64) float64 {
		if win.HeapMB == 0 {
			return math.NaN()
		}
		return win.HeapMB
	}
	return lineFigure(chart.Line{ID: "heap", Title: "Harness heap", Unit: "MB", Span: w.Span,
		Series: []chart.Series{l.seriesOf(w, "heap in use", colorPurple, heap)}},
		"The harness's own heap in use at the end of each window; steady growth over a soak run suggests a leak.")
}
