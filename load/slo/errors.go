package slo

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrSLO marks an objective that cannot be used: one that does not parse,
// or names a metric the scenario does not measure. Every error of Parse
// and ParseAll wraps it.
var ErrSLO = errors.New("bad SLO")

// problem describes what is wrong with an expression; exprError names
// the expression.
func problem(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}

// exprError names the expression a problem was found in and wraps
// ErrSLO.
func exprError(expr string, err error) error {
	return fmt.Errorf("%w %q: %v", ErrSLO, expr, err)
}

// truncate cuts s to at most n bytes, on a rune boundary, marking the
// cut with an ellipsis.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
