package load

import (
	"encoding"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxPerSecond bounds a rate: more requests a second than any one machine
// sends is a typo, and it keeps Vegeta's pacers clear of a zero interval.
const MaxPerSecond = 1e7

// maxFreqDigits bounds the count before it is parsed; 10^12 requests per
// period is already over MaxPerSecond for any period up to a day.
const maxFreqDigits = 12

var (
	_ flag.Value               = (*Rate)(nil)
	_ encoding.TextMarshaler   = Rate{}
	_ encoding.TextUnmarshaler = (*Rate)(nil)
	_ json.Unmarshaler         = (*Rate)(nil)
)

// ParseRate reads a rate as Vegeta's -rate does: a count of requests,
// optionally "/" and a period, which is a unit ("500/s", "50/m") or a Go
// duration ("50/1m", "10/100ms"). A bare count is per second ("500"), and
// "0" alone is as fast as the workers allow (Rate{}). Negative counts,
// zero or negative periods, and rates over MaxPerSecond are refused.
func ParseRate(s string) (Rate, error) {
	count, period, hasPeriod := strings.Cut(s, "/")
	freq, err := parseFreq(s, count)
	if err != nil {
		return Rate{}, err
	}
	if freq == 0 && !hasPeriod {
		return Rate{}, nil
	}
	if freq == 0 {
		return Rate{}, fmt.Errorf("%s: write 0 alone for as fast as possible", clipQuote(s))
	}
	r := Rate{Freq: freq, Per: time.Second}
	if hasPeriod {
		if r.Per, err = parsePeriod(s, period); err != nil {
			return Rate{}, err
		}
	}
	if err := r.check(clipQuote(s)); err != nil {
		return Rate{}, err
	}
	return r, nil
}

// parseFreq reads the count of "count/period", digits only.
func parseFreq(s, count string) (int, error) {
	if strings.HasPrefix(count, "-") {
		return 0, fmt.Errorf("%s: a rate cannot be negative", clipQuote(s))
	}
	if count == "" || strings.Trim(count, "0123456789") != "" {
		return 0, notARate(s)
	}
	count = strings.TrimLeft(count, "0")
	if len(count) > maxFreqDigits {
		return 0, fmt.Errorf("%s is over the limit of %g requests per second", clipQuote(s), float64(MaxPerSecond))
	}
	n, _ := strconv.Atoi(count) // digits only, and few enough ("" is 0)
	return n, nil
}

// parsePeriod reads the period of "count/period": a unit or a duration.
func parsePeriod(s, period string) (time.Duration, error) {
	switch period {
	case "ns", "us", "µs", "μs", "ms", "s", "m", "h":
		period = "1" + period
	}
	if period == "" || period[0] == '-' || period[0] == '+' {
		return 0, fmt.Errorf("%s: the period must be a positive duration such as s or 100ms", clipQuote(s))
	}
	d, err := time.ParseDuration(period)
	if err != nil {
		return 0, notARate(s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s: the period must be a positive duration such as s or 100ms", clipQuote(s))
	}
	return d, nil
}

func notARate(s string) error {
	return fmt.Errorf("%s is not a rate such as 500/s, 50/1m or 0 (as fast as possible)", clipQuote(s))
}

// check refuses what no parse of a rate gives; shown is how to name r.
func (r Rate) check(shown string) error {
	switch {
	case r.Freq < 0 || r.Per < 0:
		return fmt.Errorf("%s: a rate cannot be negative", shown)
	case r.Freq > 0 && r.Per == 0:
		return fmt.Errorf("%s: the period must be a positive duration such as s or 100ms", shown)
	case r.PerSecond() > MaxPerSecond:
		return fmt.Errorf("%s is %.4g requests per second, over the limit of %g", shown, r.PerSecond(), float64(MaxPerSecond))
	}
	return nil
}

// String writes r as ParseRate reads it back: "0" for as fast as
// possible, "500/s" per second, and otherwise the count and the period
// without zero units ("50/1m", "10/100ms", "1/1h30m").
func (r Rate) String() string {
	switch {
	case r.Freq == 0:
		return "0"
	case r.Per == time.Second:
		return strconv.Itoa(r.Freq) + "/s"
	}
	return strconv.Itoa(r.Freq) + "/" + shortDuration(r.Per)
}

// PerSecond is r in requests per second; 0 for as fast as possible,
// which has no number.
func (r Rate) PerSecond() float64 {
	if r.Freq <= 0 || r.Per <= 0 {
		return 0
	}
	return float64(r.Freq) / r.Per.Seconds()
}

// IsMax reports whether r asks for as fast as the workers allow, as
// Vegeta reads a zero count.
func (r Rate) IsMax() bool { return r.Freq == 0 }

// Set parses s into r, so that *Rate is a flag.Value.
func (r *Rate) Set(s string) error {
	v, err := ParseRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText writes r as String does.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads r as ParseRate does.
func (r *Rate) UnmarshalText(b []byte) error { return r.Set(string(b)) }

// UnmarshalJSON reads r from a JSON string, as ParseRate does, or from a
// JSON number, a count per second (a YAML file's "rate: 500"). null
// leaves r as it is, as encoding/json does for other types.
func (r *Rate) UnmarshalJSON(b []byte) error {
	var s string
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	default:
		s = numberText(string(b))
	}
	return r.Set(s)
}

// numberText writes a whole JSON number without exponent or fraction
// ("1e3" is "1000"), so that ParseRate reads it as a count; other numbers
// are left for ParseRate to refuse.
func numberText(n string) string {
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
		return n
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// clipQuote quotes outside text for an error, clipped to 40 characters.
func clipQuote(s string) string { return fmt.Sprintf("%.40q", s) }
