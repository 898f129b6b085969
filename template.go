package p4p

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Placeholder is what Livefyre replaces with the user id in a Pull URL
// template (spec 1.3).
const Placeholder = "{id}"

// MaxTemplateLength bounds a Pull URL template.
const MaxTemplateLength = 2048

// ErrTemplate is wrapped by every error about a Pull URL template.
var ErrTemplate = errors.New("not a Pull URL template")

// encodedPlaceholders are {id} with its braces percent-encoded, as a URL
// library writes it (Go's url.URL.String does), in each case of the hex
// digits.
var encodedPlaceholders = [...]string{"%7Bid%7D", "%7bid%7d", "%7Bid%7d", "%7bid%7D"}

// idMarker stands in for the placeholder while a template is parsed.
const idMarker = "p4p-id-marker"

// Template is a Pull URL template, such as
// "https://example.com/pull?id={id}": an http or https URL with the
// placeholder {id} in its path or its query (spec 1.3, 1.5).
//
// The SDKs refuse a template without the literal {id} (spec 1.3), so
// Livefyre never saw one. A template can still reach p4p with the
// placeholder percent-encoded, %7Bid%7D, when a URL library wrote it:
// ParseTemplate accepts that form, and Fill fills it, so that a
// certification run can call the endpoint and report what is wrong, while
// Registrable refuses it, as Livefyre's registration does. {ID} and other
// spellings are no placeholder at all, and ParseTemplate refuses them.
//
// {id} must stand in the path or the query, as in every documented
// template (spec 1.3: ?id={id}; 5.4: /livefyre/{id}/pull): in the host or
// the user info it would let a user id choose which host Livefyre calls,
// and in the fragment it would never be sent.
type Template string

// ParseTemplate returns s as a Template, or an error wrapping ErrTemplate
// that says what is wrong and how to write it.
func ParseTemplate(s string) (Template, error) {
	t := Template(s)
	return t, t.Validate()
}

// Validate reports what is wrong with t, if anything.
func (t Template) Validate() error {
	s := string(t)
	switch {
	case s == "":
		return fmt.Errorf("%w: empty; want a URL such as https://example.com/pull?id={id}", ErrTemplate)
	case len(s) > MaxTemplateLength:
		return fmt.Errorf("%w: %d bytes, over the limit of %d", ErrTemplate, len(s), MaxTemplateLength)
	case !t.hasPlaceholder():
		return fmt.Errorf("%w: %s has no {id}: write the literal {id} where the user id goes, e.g. https://example.com/pull?id={id}%s (spec 1.3)",
			ErrTemplate, clipQuote(s), nearMiss(s))
	}
	if bad := wrongCase(s); bad != "" {
		return fmt.Errorf("%w: %s has %s, which is not the placeholder: write the lower-case {id} (spec 1.3)", ErrTemplate, clipQuote(s), bad)
	}
	u, err := url.Parse(replacePlaceholders(s, idMarker))
	switch {
	case err != nil:
		return fmt.Errorf("%w: %s is not a URL", ErrTemplate, clipQuote(s))
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%w: %s is not an http or https URL", ErrTemplate, clipQuote(s))
	case u.Host == "":
		return fmt.Errorf("%w: %s has no host", ErrTemplate, clipQuote(s))
	case strings.Contains(u.Host, idMarker) || u.User != nil && strings.Contains(u.User.String(), idMarker) ||
		strings.Contains(u.Fragment, idMarker):
		return fmt.Errorf("%w: %s must have {id} in its path or query, not its host, user info or fragment", ErrTemplate, clipQuote(s))
	}
	return nil
}

// Registrable reports whether Livefyre would register t: it must hold the
// literal {id}, which every SDK checks for (spec 1.3, 6.9). A valid
// template with only the percent-encoded form is refused.
func (t Template) Registrable() error {
	if err := t.Validate(); err != nil {
		return err
	}
	if !strings.Contains(string(t), Placeholder) {
		return fmt.Errorf("%w: %s has {id} percent-encoded, which Livefyre never replaces: write the literal {id}; if a URL library builds the URL, keep it from encoding { and } (spec 1.3, 6.9)",
			ErrTemplate, clipQuote(string(t)))
	}
	return nil
}

// Encoded says whether t has its placeholder only in percent-encoded form.
func (t Template) Encoded() bool {
	return !strings.Contains(string(t), Placeholder) && t.hasPlaceholder()
}

// Fill is the URL Livefyre calls for user id, before its token: t with
// each {id} replaced by the id, escaped as a path segment before the
// query and as a query value in it (spec 1.3; whether Livefyre escaped is
// undocumented, spec 6.8, and no id of the UserID rule needs it). Only a
// template with no literal {id}, which Livefyre would not register, has
// its percent-encoded placeholders filled instead, for the tools that
// call such an endpoint to report on it. The fragment, which is never
// sent, is dropped.
func (t Template) Fill(id string) string {
	s, _, _ := strings.Cut(string(t), "#")
	fill := func(s, with string) string { return strings.ReplaceAll(s, Placeholder, with) }
	if t.Encoded() {
		fill = replaceEncoded
	}
	path, query, hasQuery := strings.Cut(s, "?")
	path = fill(path, url.PathEscape(id))
	if !hasQuery {
		return path
	}
	return path + "?" + fill(query, url.QueryEscape(id))
}

// PullURL is the URL Livefyre pulls user id's profile from: Fill(id)
// with the system token appended as lftoken (spec 1.5).
func (t Template) PullURL(id, token string) string {
	return AppendToken(t.Fill(id), token)
}

func (t Template) String() string { return string(t) }

// AppendToken adds lftoken=token to u: after "&" when u has a query,
// after "?" when it has none (spec 1.5; spec 6.8 for templates with no
// query, as MASH's).
func AppendToken(u, token string) string {
	switch _, query, hasQuery := strings.Cut(u, "?"); {
	case !hasQuery:
		u += "?"
	case query != "" && !strings.HasSuffix(query, "&"):
		// A query of "?" alone is not empty: without "&" the parameter
		// would be named "?lftoken".
		u += "&"
	}
	return u + "lftoken=" + url.QueryEscape(token)
}

func (t Template) hasPlaceholder() bool {
	if strings.Contains(string(t), Placeholder) {
		return true
	}
	for _, p := range encodedPlaceholders {
		if strings.Contains(string(t), p) {
			return true
		}
	}
	return false
}

// replacePlaceholders replaces {id} and its percent-encoded forms.
func replacePlaceholders(s, with string) string {
	return replaceEncoded(strings.ReplaceAll(s, Placeholder, with), with)
}

// replaceEncoded replaces the percent-encoded forms of {id}.
func replaceEncoded(s, with string) string {
	if !strings.Contains(s, "%7") {
		return s
	}
	for _, p := range encodedPlaceholders {
		s = strings.ReplaceAll(s, p, with)
	}
	return s
}

// wrongCase finds a spelling of the placeholder in another case, {ID} or
// %7BID%7D, which a template must not hold beside the right one either:
// Livefyre would leave it in the URL it calls.
func wrongCase(s string) string {
	lower := asciiLower(s)
	for _, p := range []string{"{id}", "%7bid%7d"} {
		for i := 0; ; {
			j := strings.Index(lower[i:], p)
			if j < 0 {
				break
			}
			at := i + j
			if got := s[at : at+len(p)]; !strings.Contains(got, "id") {
				return got
			}
			i = at + len(p)
		}
	}
	return ""
}

// nearMiss names a spelling of the placeholder that Livefyre does not
// replace, for the error about a template without one.
func nearMiss(s string) string {
	lower := asciiLower(s)
	for _, p := range []string{"{id}", "%7bid%7d"} {
		if i := strings.Index(lower, p); i >= 0 {
			return fmt.Sprintf("; %s is not it: the placeholder is the lower-case {id}", s[i:i+len(p)])
		}
	}
	for _, p := range []string{":id", "<id>", "$id", "{userid}", "{user_id}"} {
		if i := strings.Index(lower, p); i >= 0 {
			return fmt.Sprintf("; %s is not it: Livefyre replaces only {id}", s[i:i+len(p)])
		}
	}
	return ""
}

// asciiLower lower-cases the ASCII letters of s alone, byte by byte, so
// that an index into it is an index into s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
