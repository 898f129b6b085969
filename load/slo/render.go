package slo

import (
	"math/big"
	"strconv"
	"strings"
)

// render writes v, a threshold in unit u, in the canonical form
// parseThreshold reads back as v.
func render(u Unit, v float64) string {
	switch u {
	case Milliseconds:
		return renderDuration(v)
	case Ratio:
		return renderRatio(v)
	case PerSecond:
		return renderPlain(v) + "/s"
	default:
		return renderPlain(v)
	}
}

// renderPlain writes v in the fewest digits that read back as v, without
// an exponent.
func renderPlain(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// renderRatio writes v as a percentage.
func renderRatio(v float64) string {
	return shift(renderPlain(v), 2) + "%"
}

// wholeUnits are the units a duration is written in when it is a whole
// number of them.
var wholeUnits = []struct {
	suffix string
	ms     *big.Rat
}{
	{"h", big.NewRat(3600e3, 1)},
	{"m", big.NewRat(60e3, 1)},
}

// renderDuration writes ms as a Go duration: in whole hours or minutes
// when it is a whole number of them, else in the largest of s, ms, us and
// ns that keeps it at or above 1.
func renderDuration(ms float64) string {
	d := renderPlain(ms)
	r, ok := new(big.Rat).SetString(d)
	switch {
	case !ok || ms < 0:
		return d + "ms"
	case ms == 0:
		return "0ms"
	}
	for _, u := range wholeUnits {
		if n := new(big.Rat).Quo(r, u.ms); n.IsInt() {
			return n.RatString() + u.suffix
		}
	}
	switch {
	case ms >= 1e3:
		return shift(d, -3) + "s"
	case ms >= 1:
		return d + "ms"
	case ms >= 1e-3:
		return shift(d, 3) + "us"
	default:
		return shift(d, 6) + "ns"
	}
}

// shift multiplies d, a decimal number without an exponent, by 10^k,
// exactly.
func shift(d string, k int) string {
	r, ok := new(big.Rat).SetString(d)
	if !ok {
		return d
	}
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(k))), nil))
	if k >= 0 {
		r.Mul(r, p)
	} else {
		r.Quo(r, p)
	}
	return trimZeros(r.FloatString(max(0, decimals(d)-k)))
}

// decimals counts the digits after d's decimal point.
func decimals(d string) int {
	if i := strings.IndexByte(d, '.'); i >= 0 {
		return len(d) - i - 1
	}
	return 0
}

// trimZeros drops the trailing zeros of a decimal fraction, and its point
// when nothing follows it.
func trimZeros(d string) string {
	if !strings.Contains(d, ".") {
		return d
	}
	return strings.TrimSuffix(strings.TrimRight(d, "0"), ".")
}

func abs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}
