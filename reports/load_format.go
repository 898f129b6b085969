package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// latencyText renders milliseconds with up to three significant digits
// in the unit that suits them: "850µs", "1.23ms", "45.6ms", "123ms",
// "1.2s", "12s", and from a minute on as time.Duration does, to a tenth
// of a second: "10m3.5s". It is "n/a" for NaN and infinities.
func latencyText(ms float64) string {
	if math.IsNaN(ms) || math.IsInf(ms, 0) {
		return "n/a"
	}
	if ms < 0 {
		return "-" + latencyText(-ms)
	}
	switch {
	case ms == 0:
		return "0ms"
	case ms < 0.9995: // below this, the microseconds round to at most 999
		return sigDigits(ms*1000) + "µs"
	case ms < 999.5:
		return sigDigits(ms) + "ms"
	case ms < 59_950:
		return sigDigits(ms/1000) + "s"
	case ms < float64(math.MaxInt64/int64(time.Millisecond)):
		return time.Duration(ms * float64(time.Millisecond)).Round(100 * time.Millisecond).String()
	}
	return strconv.FormatFloat(ms/1000, 'g', 3, 64) + "s"
}

// sigDigits renders v, in [0, 1000), with three significant digits, no
// trailing zeros and no exponent: "1.23", "45.6", "123", "0.5", "10".
func sigDigits(v float64) string {
	prec := 2
	switch {
	case v >= 99.95:
		prec = 0
	case v >= 9.995:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if prec > 0 {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// percentText renders a ratio as a percentage with two decimals, and
// never rounds a ratio short of 1 up to "100%" or one above 0 down to
// "0%": 0.99999 is ">99.99%", 0.00001 is "<0.01%".
func percentText(ratio float64) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return "n/a"
	}
	p := ratio * 100
	s := strconv.FormatFloat(p, 'f', 2, 64)
	switch {
	case ratio == 1 || ratio == 0:
		return strconv.FormatFloat(p, 'f', 0, 64) + "%"
	case s == "100.00" && ratio < 1:
		return ">99.99%"
	case s == "0.00" && ratio > 0:
		return "<0.01%"
	}
	return s + "%"
}

// rateText renders a rate per second: "499.9/s", "12,345/s".
func rateText(perS float64) string {
	if math.IsNaN(perS) || math.IsInf(perS, 0) {
		return "n/a"
	}
	if math.Abs(perS) >= 10_000 && math.Abs(perS) < 1e15 {
		return countText(int64(math.Round(perS))) + "/s"
	}
	return strconv.FormatFloat(perS, 'f', 1, 64) + "/s"
}

// countText renders a count with thousands separators: "29,998".
func countText(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}

// bytesText renders a byte count in binary units: "512 B", "12.3 MiB".
func bytesText(n int64) string {
	const units = "KMGTPE"
	if n < 1024 && n > -1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, i := float64(n)/1024, 0
	for math.Abs(v) >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[i:i+1] + "iB"
}

// sloValueText renders an SLO's measured value in its unit.
func sloValueText(s SLOResult) string {
	switch s.Unit {
	case "ms":
		return latencyText(s.Value)
	case "ratio":
		if s.Value > 1 || s.Value < 0 {
			return ratioText(s.Value)
		}
		return percentText(s.Value)
	case "per_s":
		return rateText(s.Value)
	case "count":
		if s.Value == math.Trunc(s.Value) && math.Abs(s.Value) < 1e15 {
			return countText(int64(s.Value))
		}
	}
	v := strconv.FormatFloat(s.Value, 'g', 6, 64)
	if s.Unit == "" || s.Unit == "count" {
		return v
	}
	return v + " " + s.Unit
}

// signedText renders a change with its sign and unit: "+3.2 MB",
// "-0.5 MB", "±0 MB".
func signedText(v float64, prec int, unit string) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	switch {
	case strings.Trim(s, "-0.") == "":
		s = "±0"
	case v > 0:
		s = "+" + s
	}
	return s + unit
}

// pointsText renders a change of a ratio in percentage points:
// "+0.04 percentage points".
func pointsText(delta float64) string {
	return signedText(delta*100, 2, " percentage points")
}

// ratioText renders a ratio of two like quantities: "1.12×".
func ratioText(v float64) string {
	return fmt.Sprintf("%.2f×", v)
}
