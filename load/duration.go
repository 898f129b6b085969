package load

import (
	"encoding"
	"flag"
	"fmt"
	"strings"
	"time"
)

var (
	_ flag.Value               = (*Duration)(nil)
	_ encoding.TextMarshaler   = Duration(0)
	_ encoding.TextUnmarshaler = (*Duration)(nil)
)

// D is d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String writes d as time.Duration does, without zero units: "1m", not
// "1m0s"; time.ParseDuration reads it back.
func (d Duration) String() string { return shortDuration(time.Duration(d)) }

// Set parses s with time.ParseDuration, so that *Duration is a
// flag.Value. Negative durations parse; Scenario.Check refuses them where
// they make no sense.
func (d *Duration) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%s is not a duration such as 90s, 5m or 1h30m", clipQuote(s))
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes d as String does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads d as Set does.
func (d *Duration) UnmarshalText(b []byte) error { return d.Set(string(b)) }

// shortDuration is d.String() without trailing zero units: "1h", "1h30m",
// "2m", "90ms".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
