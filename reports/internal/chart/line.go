package chart

import (
	"math"
)

// Line is a chart of values over a run's time, one line per series, with
// the time since the start along the bottom.
type Line struct {
	ID, Title string
	Unit      string  // what the values are, named along the value axis: "ms", "per second"
	Span      float64 // the run's length in seconds: the time axis's end
	Series    []Series
}

// Series is one line of a chart: points at seconds since the start; a
// NaN value is a gap in the line.
type Series struct {
	Name   string
	Color  string
	Dash   string // an SVG stroke-dasharray, or "" for a solid line
	Points []Point
}

// Point is one value at a time, in seconds since the start.
type Point struct{ X, Y float64 }

// SVG renders the chart: value and time axes with ticks and labels, the
// lines, and a legend above the plot. A chart with nothing to plot
// shows its axes and "no data".
func (c Line) SVG() string {
	var s svgPicture
	s.open(c.ID, c.Title)
	xs := timeAxis(c.span(), 8)
	ys := valueAxis(c.maxValue(), 5)
	drawValueAxis(&s, ys, c.Unit)
	drawTimeAxis(&s, xs)
	plotted := false
	for _, ser := range c.Series {
		runs := lineRuns(ser.Points, xs.Top, ys.Top)
		plotted = plotted || len(runs) > 0
		s.path(runs, ser.Color, ser.Dash)
	}
	if !plotted {
		s.noData()
	}
	drawLegend(&s, c.Series)
	return s.close()
}

// span is the time axis's extent: the run's length, or the last point's
// time when that is later.
func (c Line) span() float64 {
	span := 0.0
	if c.Span > 0 {
		span = plotValue(c.Span)
	}
	for _, ser := range c.Series {
		for _, p := range ser.Points {
			if x := plotValue(p.X); x > span {
				span = x
			}
		}
	}
	return span
}

// maxValue is the largest value plotted, or 0 when there is none.
func (c Line) maxValue() float64 {
	hi := 0.0
	for _, ser := range c.Series {
		for _, p := range ser.Points {
			if y := plotValue(p.Y); y > hi {
				hi = y
			}
		}
	}
	return hi
}

// lineRuns are pts in plot coordinates, split into runs at gaps and at
// points with no time.
func lineRuns(pts []Point, xTop, yTop float64) [][][2]float64 {
	var runs [][][2]float64
	var run [][2]float64
	for _, p := range pts {
		x, y := plotValue(p.X), plotValue(p.Y)
		if math.IsNaN(x) || math.IsNaN(y) {
			if len(run) > 0 {
				runs, run = append(runs, run), nil
			}
			continue
		}
		run = append(run, [2]float64{xPos(x, xTop), yPos(y, yTop)})
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	return runs
}

// xPos is the horizontal position of x on an axis from 0 to top. The
// conversions here and in yPos stop the compiler from fusing the
// multiply and add, so that every platform draws (and golden files
// hold) the same coordinates.
func xPos(x, top float64) float64 {
	return plotLeft + float64((plotRight-plotLeft)*clamp01(x/top))
}

// yPos is the vertical position of y on an axis from 0 to top.
func yPos(y, top float64) float64 {
	return plotBottom - float64((plotBottom-plotTop)*clamp01(y/top))
}

// clamp01 limits f to [0, 1], and makes NaN 0.
func clamp01(f float64) float64 {
	if !(f > 0) {
		return 0
	}
	return math.Min(f, 1)
}

// drawValueAxis draws the value axis on the left: a grid line and a
// label at every tick, and the unit along it.
func drawValueAxis(s *svgPicture, a axis, unit string) {
	widest := 0
	for _, v := range a.ticks() {
		y := yPos(v, a.Top)
		label := tickText(v, a.Step)
		widest = max(widest, len(label))
		s.line(plotLeft, y, plotRight, y, "#e1e4e8", 1, "")
		s.text(plotLeft-8, y+4, "end", "tick", label)
	}
	s.line(plotLeft, plotTop, plotLeft, plotBottom, "#57606a", 1, "")
	// The unit reads upwards, its glyphs to the left of x: clear of the
	// tick labels, and of the picture's edge.
	x := math.Max(10, math.Min(14, plotLeft-8-float64(float64(widest)*charWidth)-4))
	s.verticalText(x, (plotTop+plotBottom)/2, "unit", unit)
}

// drawTimeAxis draws the time axis along the bottom: a mark and a label
// at every tick, and the axis's name below.
func drawTimeAxis(s *svgPicture, a axis) {
	s.line(plotLeft, plotBottom, plotRight, plotBottom, "#57606a", 1, "")
	ticks := a.timeTicks()
	for _, v := range ticks {
		x := xPos(v, a.Top)
		s.line(x, plotBottom, x, plotBottom+5, "#57606a", 1, "")
		s.tickLabel(x, plotBottom+19, clockText(v, a.Step))
	}
	s.text((plotLeft+plotRight)/2, Height-8, "middle", "axis", "time since the start")
}

// drawLegend draws a swatch and name per series, right-aligned above the
// plot.
func drawLegend(s *svgPicture, series []Series) {
	x := float64(plotRight)
	for i := len(series) - 1; i >= 0; i-- {
		width := float64(float64(len([]rune(series[i].Name))) * charWidth)
		x -= width
		s.text(x, plotTop-14, "start", "legend", series[i].Name)
		s.line(x-24, plotTop-18, x-6, plotTop-18, series[i].Color, 3, series[i].Dash)
		x -= 24 + 16
	}
}
