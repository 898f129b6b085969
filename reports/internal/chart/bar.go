package chart

import (
	"math"
)

// Bar is a histogram: one bar per bucket, all of one width (the buckets
// are log-spaced, so the bars are evenly spaced on a log scale), with
// markers at chosen values such as percentiles.
type Bar struct {
	ID, Title string
	Unit      string // what is counted, named along the count axis: "responses"
	Quantity  string // what the buckets bound, named below them: "latency"
	Color     string
	Buckets   []Bucket
	Markers   []Marker
}

// Bucket is one bar: the count of values up to Upper and above the
// previous bucket's Upper (or 0 for the first), with its text.
type Bucket struct {
	Upper   float64
	Count   int64
	Label   string // Upper as text, under the bar's right edge: "2.5ms"
	Tooltip string // the bar's title: "1ms–2.5ms: 1,234"
}

// Marker is a labelled vertical line at a value, placed among the
// buckets' bounds.
type Marker struct {
	Label string // written above the plot: "p99 12ms"
	At    float64
}

// SVG renders the histogram: a count axis, the bars with a tooltip each,
// bucket bounds along the bottom, and the markers. A histogram with no
// counts shows its axes and "no data".
func (c Bar) SVG() string {
	var s svgPicture
	s.open(c.ID, c.Title)
	ys := valueAxis(c.maxCount(), 5)
	drawValueAxis(&s, ys, c.Unit)
	s.line(plotLeft, plotBottom, plotRight, plotBottom, "#57606a", 1, "")
	n := len(c.Buckets)
	slot := float64(plotRight-plotLeft) / float64(max(n, 1))
	gap := math.Min(2, slot/4) // between bars, narrower when they are many
	for i, b := range c.Buckets {
		h := float64((plotBottom - plotTop) * clamp01(float64(b.Count)/ys.Top))
		s.rect(plotLeft+float64(float64(i)*slot)+gap/2, plotBottom-h, slot-gap, h, c.Color, b.Tooltip)
	}
	c.drawBounds(&s, slot)
	if c.maxCount() == 0 {
		s.noData()
	} else {
		c.drawMarkers(&s, slot)
	}
	s.text((plotLeft+plotRight)/2, Height-8, "middle", "axis", c.Quantity+" (upper bounds of the buckets, log scale)")
	return s.close()
}

// maxCount is the largest bucket's count, or 0.
func (c Bar) maxCount() float64 {
	hi := int64(0)
	for _, b := range c.Buckets {
		hi = max(hi, b.Count)
	}
	return float64(hi)
}

// lower is bucket i's lower bound: the previous bucket's upper bound, or
// 0 for the first.
func (c Bar) lower(i int) float64 {
	if i == 0 {
		return 0
	}
	return c.Buckets[i-1].Upper
}

// drawBounds labels bucket upper bounds at the bars' right edges, as
// many as fit without overlapping, always including the last.
func (c Bar) drawBounds(s *svgPicture, slot float64) {
	n := len(c.Buckets)
	widest := 0
	for _, b := range c.Buckets {
		widest = max(widest, len([]rune(b.Label)))
	}
	every := max(1, int(math.Ceil((float64(widest)*charWidth+24)/slot)))
	for i := n - 1; i >= 0; i -= every {
		x := plotLeft + float64(float64(i+1)*slot)
		s.line(x, plotBottom, x, plotBottom+5, "#57606a", 1, "")
		s.tickLabel(x, plotBottom+19, c.Buckets[i].Label)
	}
}

// markerRows are how many rows of labels fit above the plot.
const markerRows = 3

// drawMarkers draws a dashed line at each marker's value, placed within
// its bucket on a log scale, with its label above the plot in the
// lowest row where it overlaps no other label.
func (c Bar) drawMarkers(s *svgPicture, slot float64) {
	var rows [markerRows][][2]float64 // the labels' extents in each row
	for _, m := range c.Markers {
		pos, ok := c.position(m.At)
		if !ok {
			continue
		}
		x := plotLeft + float64(pos*slot)
		half := float64(float64(len([]rune(m.Label))) * markerCharWidth / 2)
		mid := math.Max(plotLeft+half, math.Min(plotRight-half, x))
		row := freeRow(rows[:], mid-half-6, mid+half+6)
		rows[row] = append(rows[row], [2]float64{mid - half - 6, mid + half + 6})
		y := plotTop - 6 - 13*float64(row)
		s.line(x, y+3, x, plotBottom, "#24292f", 1, "4 3")
		s.text(mid, y, "middle", "marker", m.Label)
	}
}

// markerCharWidth is charWidth for the markers' smaller text.
const markerCharWidth = 6.3

// freeRow is the first row where [lo, hi] overlaps no extent, or the
// last row when every row is taken.
func freeRow(rows [][][2]float64, lo, hi float64) int {
	for i, row := range rows {
		free := true
		for _, e := range row {
			if lo < e[1] && e[0] < hi {
				free = false
				break
			}
		}
		if free {
			return i
		}
	}
	return len(rows) - 1
}

// position is where v falls along the bars, in bar widths from the
// left: within its bucket by the logarithm, or linearly in the first.
func (c Bar) position(v float64) (float64, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0, false
	}
	for i, b := range c.Buckets {
		if v > b.Upper {
			continue
		}
		lo, hi := c.lower(i), b.Upper
		f := 1.0
		switch {
		case lo > 0 && hi > lo:
			f = math.Log(v/lo) / math.Log(hi/lo)
		case hi > 0:
			f = v / hi
		}
		return float64(i) + clamp01(f), true
	}
	return 0, false
}
