package chart

import (
	"math"
	"strconv"
	"strings"
)

// niceMultiples are the steps, times a power of ten, an axis counts in.
var niceMultiples = []float64{1, 2, 2.5, 5, 10}

// axis is a value axis from 0 to Top with a tick every Step.
type axis struct {
	Top, Step float64
}

// valueAxis is an axis from 0 that holds hi with about n ticks at nice
// values: 0, 2.5, 5, 7.5 or 0, 200, 400. An hi that is not a positive
// finite number of at least 1e-9 gets the axis from 0 to 1.
func valueAxis(hi float64, n int) axis {
	if !(hi >= 1e-9) || math.IsInf(hi, 0) {
		return axis{Top: 1, Step: 0.2}
	}
	hi = math.Min(hi, svgLimit)
	raw := hi / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range niceMultiples {
		if m*mag >= raw*(1-1e-12) {
			step = m * mag
			break
		}
	}
	return axis{Top: math.Ceil(hi/step-1e-9) * step, Step: step}
}

// ticks are the axis's tick values, from 0 to Top.
func (a axis) ticks() []float64 {
	n := int(math.Round(a.Top / a.Step))
	out := make([]float64, 0, n+1)
	for i := 0; i <= n; i++ {
		out = append(out, float64(i)*a.Step)
	}
	return out
}

// tickText renders a tick value with as many decimals as the step
// needs, trailing zeros dropped, and from ten thousand on with a k, M, G
// or T suffix, and from 10¹⁵ on in short exponent form: "0", "0.25",
// "400", "15k", "2.5M", "8e299".
func tickText(v, step float64) string {
	if v == 0 {
		return "0"
	}
	top := math.Max(math.Abs(v), step)
	if top >= 1e15 {
		return strings.Replace(strconv.FormatFloat(v, 'g', 2, 64), "e+", "e", 1)
	}
	suffix := ""
	if top >= 1e4 {
		for _, u := range []struct {
			div    float64
			suffix string
		}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
			if top >= u.div {
				v, step, suffix = v/u.div, step/u.div, u.suffix
				break
			}
		}
	}
	s := strconv.FormatFloat(v, 'f', decimalsFor(step), 64)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return s + suffix
}

// decimalsFor is how many decimals show every multiple of step exactly,
// up to 6.
func decimalsFor(step float64) int {
	for d := 0; d < 6; d++ {
		scaled := step * math.Pow(10, float64(d))
		if math.Abs(scaled-math.Round(scaled)) < 1e-6*scaled {
			return d
		}
	}
	return 6
}

// timeSteps are the steps, in seconds, a time axis counts in.
var timeSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400}

// timeAxis is a time axis from 0 to span seconds with at most about
// maxTicks ticks at round times. Its Top is span itself: the axis ends
// where the run does.
func timeAxis(span float64, maxTicks int) axis {
	if !(span > 0) || math.IsInf(span, 0) {
		span = 1
	}
	span = math.Min(span, svgLimit)
	for _, step := range timeSteps {
		if span/step <= float64(maxTicks) {
			if step == 1 && span < 5 {
				break
			}
			return axis{Top: span, Step: step}
		}
	}
	if span < 5 {
		a := valueAxis(span, 5)
		return axis{Top: span, Step: a.Step}
	}
	days := valueAxis(span/86400, maxTicks)
	return axis{Top: span, Step: days.Step * 86400}
}

// timeTicks are a time axis's ticks, at multiples of Step up to Top.
func (a axis) timeTicks() []float64 {
	n := int(math.Floor(a.Top/a.Step + 1e-9))
	out := make([]float64, 0, n+1)
	for i := 0; i <= n; i++ {
		out = append(out, float64(i)*a.Step)
	}
	return out
}

// clockText renders seconds since the start as a time axis label:
// "0", "0.5s", "45s", "1m30s", "2h", "1h30m", "3d".
func clockText(sec, step float64) string {
	switch {
	case sec == 0:
		return "0"
	case step < 1:
		return tickText(sec, step) + "s"
	case sec >= 86400*10 || step >= 86400:
		return tickText(sec/86400, step/86400) + "d"
	}
	s := int64(math.Round(sec))
	h, m, rest := s/3600, s%3600/60, s%60
	var b strings.Builder
	for _, part := range []struct {
		n    int64
		unit string
	}{{h, "h"}, {m, "m"}, {rest, "s"}} {
		if part.n > 0 {
			b.WriteString(strconv.FormatInt(part.n, 10) + part.unit)
		}
	}
	return b.String()
}
