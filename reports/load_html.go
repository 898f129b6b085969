package reports

import (
	_ "embed"
	"html/template"
	"io"
	"sync"
	"time"
)

//go:embed templates/load.html.tmpl
var loadHTMLSource string

// loadHTMLTemplate renders a Load as a self-contained HTML page; it is
// parsed on first use.
var loadHTMLTemplate = sync.OnceValues(func() (*template.Template, error) {
	return template.New("load.html.tmpl").Funcs(template.FuncMap{
		"count":   func(n int64) string { return countText(n) },
		"int":     func(n int) string { return countText(int64(n)) },
		"percent": percentText,
		"rate":    rateText,
		"latency": latencyText,
		"bytes":   bytesText,
		"ratio":   ratioText,
		"signed":  signedText,
		"points":  pointsText,
		"slo":     sloValueText,
		"gaps":    gapsText,
	}).Parse(loadHTMLSource)
})

// loadPage is what the load template renders: the run and the values
// derived from it.
type loadPage struct {
	*Load
	Title            string
	Verdict          string
	Class            string // "passed" or "failed"
	Reasons          string
	StartedUTC       string // RFC 3339
	StartedHuman     string
	RateTarget       string
	Workers          string
	Achieved         string
	Figures          []keyFigure
	LatencyRow       []percentileCell
	PingToUpdateRow  []percentileCell
	PingToVisibleRow []percentileCell
	Status           []statusRow
	Errors           []errorRow
	Charts           []chartFigure
}

// keyFigure is one of the figures shown large at the top of the report.
type keyFigure struct {
	Label, Value, Note string
	Bad                bool // drawn in the failure colour: something was lost
}

// percentileCell is one column of a percentile table.
type percentileCell struct{ Name, Value string }

// WriteHTML writes the load run as one self-contained HTML page
// (report.html): the verdict and what was attacked, the key figures, the
// SLOs, charts drawn as inline SVG (latency and throughput over time,
// the latency histogram, and the propagation and heap charts when the
// run has them), and tables of the figures, status codes and errors.
// The page has no scripts and loads nothing: a Content-Security-Policy
// says so to the browser.
func (l *Load) WriteHTML(w io.Writer) error {
	return writeHTML(w, loadHTMLTemplate, l.htmlPage(), "load html report")
}

// htmlPage derives what the page shows from l.
func (l *Load) htmlPage() loadPage {
	started := l.Started.UTC()
	p := loadPage{
		Load:         l,
		Title:        l.title(),
		Verdict:      l.verdict(),
		Class:        "failed",
		Reasons:      l.verdictReasons(),
		StartedUTC:   started.Format(time.RFC3339),
		StartedHuman: started.Format("Monday, 2 January 2006, 15:04:05 UTC"),
		RateTarget:   rateTargetText(l.Rate),
		Workers:      workersText(l.Rate),
		Achieved:     achievedText(l.Rate),
		Figures:      l.keyFigures(),
		LatencyRow:   percentileCells(l.Latency),
		Status:       l.statusRows(),
		Errors:       l.errorRows(0),
		Charts:       l.charts(),
	}
	if l.Passed {
		p.Class = "passed"
	}
	if l.Propagation != nil {
		p.PingToUpdateRow = percentileCells(l.Propagation.Latency)
		p.PingToVisibleRow = percentileCells(l.Propagation.Visible)
	}
	return p
}

// percentileCells are p's values under their names.
func percentileCells(p Percentiles) []percentileCell {
	cells := make([]percentileCell, len(percentileNames))
	for i, v := range percentileValues(p) {
		cells[i] = percentileCell{percentileNames[i], latencyText(v)}
	}
	return cells
}

// keyFigures are the figures a reader looks at first.
func (l *Load) keyFigures() []keyFigure {
	r := l.Requests
	figs := []keyFigure{
		{Label: "requests", Value: countText(r.Total), Note: countText(r.Valid) + " valid"},
		{Label: "success", Value: percentText(r.Success), Note: countText(r.Invalid+r.TransportErrors) + " failed"},
		{Label: "throughput", Value: rateText(r.Throughput), Note: "valid responses"},
		{Label: "achieved rate", Value: rateText(l.Rate.Achieved), Note: "target " + rateTargetText(l.Rate)},
		{Label: "p50 latency", Value: latencyText(l.Latency.P50)},
		{Label: "p99 latency", Value: latencyText(l.Latency.P99), Note: "max " + latencyText(l.Latency.Max)},
	}
	if p := l.Propagation; p != nil {
		figs = append(figs,
			keyFigure{Label: "within the promise", Value: percentText(p.WithinPromise), Note: "of " + latencyText(p.PromiseMS)},
			keyFigure{Label: "p99 ping to update", Value: latencyText(p.Latency.P99)},
			keyFigure{Label: "p99 ping to visible", Value: latencyText(p.Visible.P99),
				Note: percentText(p.WithinVisiblePromise) + " within " + latencyText(p.VisiblePromiseMS), Bad: p.NotVisible > 0},
			keyFigure{Label: "lost pings", Value: countText(p.Lost), Note: countText(p.Failed) + " failed", Bad: p.Lost > 0})
	}
	if d := l.Drift; d != nil {
		figs = append(figs,
			keyFigure{Label: "p99 drift", Value: ratioText(d.P99Ratio), Note: "last window over first"},
			keyFigure{Label: "heap growth", Value: signedText(d.HeapGrowthMB, 1, " MB")})
	}
	return figs
}
