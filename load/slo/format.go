package slo

import (
	"math"
	"strconv"
)

// minSig is how many significant digits a measured value is shown with,
// at least: more when it takes more to tell the value from the threshold.
const minSig = 4

// latencyScales are the units a measured latency is shown in, largest
// first.
var latencyScales = []struct {
	suffix string
	ms     float64
}{
	{"h", 3600e3}, {"m", 60e3}, {"s", 1e3}, {"ms", 1}, {"us", 1e-3}, {"ns", 1e-6},
}

// formatValue writes v, a value in unit u, to sig significant digits, for
// people: "912.4ms", "99.82%", "3", "412.5/s".
func formatValue(u Unit, v float64, sig int) string {
	switch u {
	case Milliseconds:
		return formatLatency(v, sig)
	case Ratio:
		return formatSig(v*100, sig) + "%"
	case PerSecond:
		return formatSig(v, sig) + "/s"
	default:
		return formatSig(v, sig)
	}
}

// formatLatency writes ms in the largest unit that keeps it at or above
// 1.
func formatLatency(ms float64, sig int) string {
	r := roundSig(ms, sig)
	if r == 0 {
		return "0ms"
	}
	for _, s := range latencyScales {
		if math.Abs(r) >= s.ms {
			return formatSig(r/s.ms, sig) + s.suffix
		}
	}
	return formatSig(r/1e-6, sig) + "ns"
}

// formatSig writes x to sig significant digits, without an exponent or
// trailing zeros.
func formatSig(x float64, sig int) string {
	if x == 0 {
		return "0"
	}
	dec := sig - 1 - int(math.Floor(math.Log10(math.Abs(x))))
	return trimZeros(strconv.FormatFloat(x, 'f', min(max(dec, 0), 40), 64))
}

// roundSig rounds x to sig significant digits.
func roundSig(x float64, sig int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'e', sig-1, 64), 64)
	return r
}

// sigToTell returns how many significant digits, from minSig, it takes to
// show v and t as different numbers when they are.
func sigToTell(v, t float64) int {
	sig := minSig
	for sig < 17 && v != t && roundSig(v, sig) == roundSig(t, sig) {
		sig++
	}
	return sig
}
