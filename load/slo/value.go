package slo

import (
	"math"
	"math/big"
	"slices"
	"strings"
)

// Limits on thresholds, so that every accepted threshold's canonical form
// is short and parses back to the same value.
const (
	// maxValueLen bounds a threshold as written.
	maxValueLen = 64
	// maxPlain bounds counts, rates and factors.
	maxPlain = 1e15
	// maxDurationMS is the longest Go duration, in milliseconds.
	maxDurationMS = float64(math.MaxInt64) / 1e6
)

// form is how a threshold is written.
type form int

const (
	plainForm    form = iota // "450"
	percentForm              // "99.9%"
	perSecForm               // "450/s"
	durationForm             // "800ms", "1h30m"
)

// literal is a threshold as written: its exact value (a fraction for a
// percentage, milliseconds for a duration) and its form.
type literal struct {
	value *big.Rat
	form  form
}

// durationUnits are the units of a Go duration in milliseconds, two-letter
// units first so that "ms" is not read as "m".
var durationUnits = []struct {
	suffix string
	ms     *big.Rat
}{
	{"ns", big.NewRat(1, 1e6)},
	{"us", big.NewRat(1, 1e3)},
	{"µs", big.NewRat(1, 1e3)}, // U+00B5, as time.Duration writes it
	{"μs", big.NewRat(1, 1e3)}, // U+03BC
	{"ms", big.NewRat(1, 1)},
	{"s", big.NewRat(1e3, 1)},
	{"m", big.NewRat(60e3, 1)},
	{"h", big.NewRat(3600e3, 1)},
}

// parseThreshold reads text, the part of an expression after the
// operator, as a threshold of metric m, in m's unit.
func parseThreshold(m Metric, text string) (float64, error) {
	lit, err := lexThreshold(m, strings.TrimSpace(text))
	if err != nil {
		return 0, err
	}
	v, _ := lit.value.Float64()
	switch m.Unit {
	case Milliseconds:
		return v, checkDuration(m, lit, v)
	case Ratio:
		return v, checkRatio(m, lit, v)
	case PerSecond:
		return v, checkPlain(m, lit, v, plainForm, perSecForm)
	default:
		return v, checkPlain(m, lit, v, plainForm)
	}
}

// lexThreshold reads text as a literal, refusing what no unit accepts.
func lexThreshold(m Metric, text string) (literal, error) {
	switch {
	case text == "":
		return literal{}, problem("no threshold after the operator; %s", howTo(m))
	case len(text) > maxValueLen:
		return literal{}, problem("threshold %q is longer than %d bytes", truncate(text, maxValueLen), maxValueLen)
	case isNonFinite(text):
		return literal{}, problem("threshold %q is not a finite number; %s", text, howTo(m))
	case text[0] == '-' && isNumber(text[1:]):
		return literal{}, problem("threshold %q is negative; %s thresholds are never negative", text, m.Name)
	}
	lit, rest := lexLiteral(text)
	switch {
	case lit.value == nil:
		return literal{}, wrongUnit(m)
	case rest != "":
		return literal{}, trailing(m, text, rest)
	}
	return lit, nil
}

// trailing is the error of a threshold of m, text, followed by rest,
// which is not part of it: a space inside the threshold, or trailing
// garbage.
func trailing(m Metric, text, rest string) error {
	head := strings.TrimSpace(text[:len(text)-len(rest)])
	rest = strings.TrimSpace(rest)
	if _, after := lexLiteral(head + rest); after == "" && validThreshold(m, head+rest) {
		return problem("unexpected space in the threshold %q; write %q", text, head+rest)
	}
	return problem("unexpected %q after the threshold %q", rest, head)
}

// validThreshold reports whether text, without spaces, is a threshold of
// m.
func validThreshold(m Metric, text string) bool {
	_, err := parseThreshold(m, text)
	return err == nil
}

// isNonFinite reports whether s spells NaN or infinity, as
// strconv.ParseFloat would read them.
func isNonFinite(s string) bool {
	s = strings.ToLower(strings.TrimLeft(s, "+-"))
	return s == "nan" || s == "inf" || s == "infinity"
}

// lexLiteral reads the literal s starts with and returns it and the rest
// of s. The literal's value is nil when s starts with no number.
func lexLiteral(s string) (literal, string) {
	num, rest := lexNumber(s)
	if num == nil {
		return literal{}, s
	}
	switch {
	case strings.HasPrefix(rest, "%"):
		return literal{num.Quo(num, big.NewRat(100, 1)), percentForm}, rest[1:]
	case strings.HasPrefix(rest, "/s"):
		return literal{num, perSecForm}, rest[2:]
	}
	unit, after := lexDurationUnit(rest)
	if unit == nil {
		return literal{num, plainForm}, rest
	}
	return lexDuration(num.Mul(num, unit), after)
}

// lexDuration reads the rest of a Go duration such as "1h30m" after its
// first part, whose value in milliseconds is ms. It stops before the
// first part that is not a number and a unit.
func lexDuration(ms *big.Rat, s string) (literal, string) {
	for s != "" {
		num, rest := lexNumber(s)
		if num == nil {
			break
		}
		unit, after := lexDurationUnit(rest)
		if unit == nil {
			break
		}
		ms.Add(ms, num.Mul(num, unit))
		s = after
	}
	return literal{ms, durationForm}, s
}

// lexNumber reads the unsigned decimal number s starts with ("12",
// "1.5", ".5", "5.") and returns its exact value, nil if there is none,
// and the rest of s.
func lexNumber(s string) (*big.Rat, string) {
	n, digits := 0, 0
	for ; n < len(s) && isDigit(s[n]); n++ {
		digits++
	}
	if n < len(s) && s[n] == '.' {
		for n++; n < len(s) && isDigit(s[n]); n++ {
			digits++
		}
	}
	if digits == 0 {
		return nil, s
	}
	r, ok := new(big.Rat).SetString(s[:n])
	if !ok {
		return nil, s
	}
	return r, s[n:]
}

// isNumber reports whether s starts with a number.
func isNumber(s string) bool {
	r, _ := lexNumber(s)
	return r != nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// lexDurationUnit reads the unit of a Go duration s starts with and
// returns its length in milliseconds, nil if there is none, and the rest
// of s.
func lexDurationUnit(s string) (*big.Rat, string) {
	for _, u := range durationUnits {
		if strings.HasPrefix(s, u.suffix) {
			return u.ms, s[len(u.suffix):]
		}
	}
	return nil, s
}

// checkDuration checks a latency threshold: a duration, or a plain zero
// as Go's time.ParseDuration accepts, in whole nanoseconds and within a
// Go duration's range.
func checkDuration(m Metric, lit literal, ms float64) error {
	if lit.form != durationForm && (lit.form != plainForm || lit.value.Sign() != 0) {
		return wrongUnit(m)
	}
	if ns := new(big.Rat).Mul(lit.value, big.NewRat(1e6, 1)); !ns.IsInt() {
		return problem("%s threshold is finer than the nanosecond a Go duration counts", m.Name)
	}
	if ms > maxDurationMS {
		return problem("%s threshold is longer than the longest Go duration (about 2562047h)", m.Name)
	}
	return nil
}

// checkRatio checks a ratio threshold: a percentage up to 100%, or a
// fraction up to 1.
func checkRatio(m Metric, lit literal, v float64) error {
	switch {
	case lit.form == percentForm && v > 1:
		return problem("%s is a ratio: %s is over 100%%", m.Name, renderRatio(v))
	case lit.form == plainForm && v > 1 && v <= 100:
		return problem("%s is a ratio: %s is over 1; did you mean %s%%?", m.Name, renderPlain(v), renderPlain(v))
	case lit.form == plainForm && v > 1:
		return problem("%s is a ratio: %s is over 1; %s", m.Name, renderPlain(v), howTo(m))
	case lit.form != percentForm && lit.form != plainForm:
		return wrongUnit(m)
	}
	return nil
}

// checkPlain checks a count, rate or factor threshold: written in one of
// the forms, and at most maxPlain.
func checkPlain(m Metric, lit literal, v float64, forms ...form) error {
	if !slices.Contains(forms, lit.form) {
		return wrongUnit(m)
	}
	if v > maxPlain {
		return problem("%s threshold is too large (at most 10^15)", m.Name)
	}
	return nil
}

// wrongUnit is the error of a threshold written in another unit than
// its metric's.
func wrongUnit(m Metric) error {
	return problem("%s is %s: write %s", m.Name, unitHint[m.Unit].noun, unitHint[m.Unit].how)
}

// howTo says how to write a threshold for m.
func howTo(m Metric) string {
	return "write " + unitHint[m.Unit].how
}
