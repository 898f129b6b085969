package reports

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"p4p"
)

// Redacted is what Redact puts in place of a secret, p4p's one marker.
const Redacted = p4p.Redacted

// redactor replaces secrets in strings.
type redactor struct{ replacer *strings.Replacer }

// newRedactor makes a redactor for the non-empty secrets, longest first
// so that a secret containing another is replaced whole.
func newRedactor(secrets []string) redactor {
	var forms []string
	for _, s := range secrets {
		if s != "" {
			forms = append(forms, s, url.QueryEscape(s))
		}
	}
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	forms = slices.Compact(forms)
	var pairs []string
	for _, f := range forms {
		pairs = append(pairs, f, Redacted)
	}
	return redactor{strings.NewReplacer(pairs...)}
}

// s redacts one string.
func (r redactor) s(s string) string { return r.replacer.Replace(s) }

// inPlace redacts the strings fields point to.
func (r redactor) inPlace(fields ...*string) {
	for _, f := range fields {
		*f = r.s(*f)
	}
}

// strings redacts a copy of a slice, keeping nil nil.
func (r redactor) strings(ss []string) []string { return redactEach(ss, r.s) }

// redactEach is a copy of xs with redact applied to each element,
// keeping nil nil.
func redactEach[T any](xs []T, redact func(T) T) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = redact(x)
	}
	return out
}
