package chart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"p4p/reports/internal/xmltext"
)

// The geometry of every chart, in SVG user units: the whole picture and
// the plot area within it.
const (
	Width      = 560
	Height     = 280
	plotLeft   = 58
	plotRight  = Width - 18
	plotTop    = 44
	plotBottom = Height - 46
	// charWidth is the average advance of a character of the charts'
	// 12-unit sans-serif text, for laying out labels without a browser.
	charWidth = 6.8
)

// svgLimit bounds the values a chart plots, so that no sum or scale of
// them overflows to infinity.
const svgLimit = 1e300

// svgPicture builds one chart's SVG markup, an element a line. Every
// number goes through num and every string through esc, so that the
// markup holds neither NaN, Inf nor unescaped text.
type svgPicture struct{ b strings.Builder }

// open starts the picture: its title (for screen readers and as a
// tooltip) and a white background.
func (s *svgPicture) open(id, title string) {
	fmt.Fprintf(&s.b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title">`+"\n",
		Width, Height, esc(id))
	fmt.Fprintf(&s.b, `<title id="%s-title">%s</title>`+"\n", esc(id), esc(title))
	fmt.Fprintf(&s.b, `<rect class="chart-bg" x="0" y="0" width="%d" height="%d" fill="#fff"/>`+"\n", Width, Height)
}

// close ends the picture and returns its markup.
func (s *svgPicture) close() string {
	s.b.WriteString(`</svg>`)
	return s.b.String()
}

// line draws a straight line.
func (s *svgPicture) line(x1, y1, x2, y2 float64, stroke string, width float64, dash string) {
	fmt.Fprintf(&s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"`,
		num(x1), num(y1), num(x2), num(y2), esc(stroke), num(width))
	if dash != "" {
		fmt.Fprintf(&s.b, ` stroke-dasharray="%s"`, esc(dash))
	}
	s.b.WriteString("/>\n")
}

// text writes a label; anchor is "start", "middle" or "end".
func (s *svgPicture) text(x, y float64, anchor, class, label string) {
	fmt.Fprintf(&s.b, `<text x="%s" y="%s" text-anchor="%s" class="%s">%s</text>`+"\n",
		num(x), num(y), esc(anchor), esc(class), esc(label))
}

// tickLabel writes a label centred under x, or ending at the picture's
// edge when centring would cut it off.
func (s *svgPicture) tickLabel(x, y float64, label string) {
	half := float64(float64(len([]rune(label))) * charWidth / 2)
	switch {
	case x+half > Width-2:
		s.text(Width-2, y, "end", "tick", label)
	case x-half < 2:
		s.text(2, y, "start", "tick", label)
	default:
		s.text(x, y, "middle", "tick", label)
	}
}

// verticalText writes a label centred on (x, y), turned to read upwards.
func (s *svgPicture) verticalText(x, y float64, class, label string) {
	fmt.Fprintf(&s.b, `<text x="%s" y="%s" transform="rotate(-90 %s %s)" text-anchor="middle" class="%s">%s</text>`+"\n",
		num(x), num(y), num(x), num(y), esc(class), esc(label))
}

// rect draws a filled rectangle with a tooltip.
func (s *svgPicture) rect(x, y, w, h float64, fill, tooltip string) {
	fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`+"\n",
		num(x), num(y), num(max(w, 0)), num(max(h, 0)), esc(fill), esc(tooltip))
}

// path draws an open polyline through each run of points (in picture
// coordinates) as one path, dashed when dash is not ""; a run of one
// point is drawn as a dot.
func (s *svgPicture) path(runs [][][2]float64, stroke, dash string) {
	var d strings.Builder
	for _, run := range runs {
		if len(run) == 1 {
			fmt.Fprintf(&s.b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`+"\n", num(run[0][0]), num(run[0][1]), esc(stroke))
			continue
		}
		for i, p := range run {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%s %s", cmd, num(p[0]), num(p[1]))
		}
	}
	if d.Len() == 0 {
		return
	}
	fmt.Fprintf(&s.b, `<path d="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"`,
		d.String(), esc(stroke))
	if dash != "" {
		fmt.Fprintf(&s.b, ` stroke-dasharray="%s"`, esc(dash))
	}
	s.b.WriteString("/>\n")
}

// noData writes "no data" in the middle of the plot area.
func (s *svgPicture) noData() {
	s.text((plotLeft+plotRight)/2, (plotTop+plotBottom)/2, "middle", "chart-empty", "no data")
}

// num renders a coordinate with at most two decimals; NaN and
// infinities, which no chart should produce, become 0.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// esc escapes text for SVG content and attribute values.
func esc(s string) string {
	return html.EscapeString(xmltext.Safe(s))
}

// plotValue makes v fit to plot: NaN stays NaN (a gap), infinities and
// values beyond ±svgLimit are clamped.
func plotValue(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	return math.Max(-svgLimit, math.Min(svgLimit, v))
}
