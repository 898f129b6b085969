package p4p

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxSizeText bounds what ParseSize reads: a size is a few characters.
const MaxSizeText = 32

// sizeUnits are the units ParseSize accepts, longest first so that "MiB"
// is not read as "B". Binary (KiB, MiB, …) and decimal (KB, MB, …) units
// both mean what they say.
var sizeUnits = []struct {
	suffix string
	bytes  float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40},
	{"B", 1},
}

// ParseSize reads a byte count: "0", "4096", "512MiB", "1.5GiB", "2GB"
// (case-insensitive units; K, M, G and T alone are binary, as in most Unix
// tools). It refuses negative, fractional-byte and non-finite values and
// anything over 1 PiB; a fraction of a larger unit rounds down to whole
// bytes.
func ParseSize(s string) (int64, error) {
	if len(s) > MaxSizeText {
		return 0, fmt.Errorf("size %.32q…: over %d characters", s, MaxSizeText)
	}
	num, unit := strings.TrimSpace(s), 1.0
	for _, u := range sizeUnits {
		if len(num) > len(u.suffix) && strings.EqualFold(num[len(num)-len(u.suffix):], u.suffix) {
			num, unit = strings.TrimSpace(num[:len(num)-len(u.suffix)]), u.bytes
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || strings.ContainsAny(num, "xXpP_") || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("size %q: want a number of bytes, optionally with a unit (512MiB, 2GB)", s)
	}
	n := v * unit
	switch {
	case n < 0:
		return 0, fmt.Errorf("size %q is negative", s)
	case n > 1<<50:
		return 0, fmt.Errorf("size %q is over 1 PiB", s)
	case unit == 1 && n != math.Trunc(n):
		return 0, fmt.Errorf("size %q is not a whole number of bytes", s)
	}
	return int64(n), nil // a fraction of a unit rounds down to whole bytes
}

// FormatSize renders a byte count in binary units, as ParseSize reads it:
// "512MiB", "1.5GiB", "100B".
func FormatSize(n int64) string {
	for i := len(binaryUnits) - 1; i >= 0; i-- {
		u := binaryUnits[i]
		if n >= u.bytes {
			return strconv.FormatFloat(math.Round(float64(n)/float64(u.bytes)*10)/10, 'f', -1, 64) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

var binaryUnits = []struct {
	suffix string
	bytes  int64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}}
