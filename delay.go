package p4p

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Delay is the time from a ping to its pull: fixed when Min == Max, else
// uniform in [Min, Max]. Livefyre promised 1 to 10 minutes (spec 1.1).
// The zero value is an immediate pull.
type Delay struct{ Min, Max time.Duration }

// ParseDelay reads "0", "90s" or a range "1m-10m".
func ParseDelay(s string) (Delay, error) {
	lo, hi, isRange := cutRange(s)
	min, err := time.ParseDuration(lo)
	if err != nil {
		return Delay{}, fmt.Errorf("delay %q: %w", s, err)
	}
	max := min
	if isRange {
		if max, err = time.ParseDuration(hi); err != nil {
			return Delay{}, fmt.Errorf("delay %q: %w", s, err)
		}
	}
	d := Delay{Min: min, Max: max}
	return d, d.Validate()
}

// cutRange splits "lo-hi". A leading '-' would be a negative duration,
// not a range.
func cutRange(s string) (lo, hi string, ok bool) {
	for i := 1; i < len(s); i++ {
		if s[i] == '-' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// Validate reports an error unless 0 <= Min <= Max.
func (d Delay) Validate() error {
	if d.Min < 0 || d.Max < d.Min {
		return fmt.Errorf("delay %s-%s: want 0 <= min <= max", d.Min, d.Max)
	}
	return nil
}

// Draw picks a delay.
func (d Delay) Draw() time.Duration {
	if d.Max <= d.Min {
		return d.Min
	}
	return d.Min + rand.N(d.Max-d.Min+1)
}

// String is the form ParseDelay reads: "90s", or "1m0s-10m0s" for a range.
func (d Delay) String() string {
	if d.Min == d.Max {
		return d.Min.String()
	}
	return d.Min.String() + "-" + d.Max.String()
}
