package p4p

import (
	"errors"
	"net/url"
	"slices"
	"strings"
)

// Redacted is what stands in for a secret wherever p4p shows one: in a
// URL, a log line, an event or a report.
const Redacted = "[redacted]"

// minSecret is the shortest value Secrets returns. A shorter one guards
// nothing worth the damage of scrubbing it out of free text, where "json"
// or "2" (?format=json, ?v=2) also stand in words and numbers.
const minSecret = 6

// Redacted is t as it may be shown: RedactURL(t).
func (t Template) Redacted() string { return RedactURL(string(t)) }

// RedactURL returns u, a Pull URL template or any URL filled from one,
// with its secrets replaced by Redacted: the user info, user name and
// password both (an API key often rides as the user name), and the value
// of every query parameter except a placeholder ({id} or its
// percent-encoded form) and the parameter named id, which is the user id.
// Query keys, the host, the path and the fragment are kept. u is cut as
// net/url cuts it (fragment, then query, then the authority's last @),
// so that what RedactURL shows as kept is what a request would send as
// such; it needs no valid URL and never fails.
func RedactURL(u string) string {
	rest, fragment, hasFragment := strings.Cut(u, "#")
	rest, query, hasQuery := strings.Cut(rest, "?")
	var b strings.Builder
	b.Grow(len(u) + 2*len(Redacted))
	b.WriteString(redactUserInfo(rest))
	if hasQuery {
		b.WriteByte('?')
		redactQuery(&b, query)
	}
	if hasFragment {
		b.WriteByte('#')
		b.WriteString(fragment)
	}
	return b.String()
}

// RedactURLError returns err with the URL that net/http quotes in a
// *url.Error redacted by RedactURL; any other error is returned as it is.
// The *url.Error is copied, not changed.
func RedactURLError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	if ue == err {
		return &url.Error{Op: ue.Op, URL: RedactURL(ue.URL), Err: ue.Err}
	}
	// Wrapped: the message quotes the URL somewhere within.
	return redactedError{err: err, msg: strings.ReplaceAll(err.Error(), ue.URL, RedactURL(ue.URL))}
}

// redactedError keeps the chain of an error whose message was redacted.
type redactedError struct {
	err error
	msg string
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// Secrets are the parts of t that RedactURL hides, each as written in t
// and decoded, those of at least six bytes (minSecret), for scrubbing
// free text such as an error message or a report that may quote t
// filled.
func (t Template) Secrets() []string {
	rest, _, _ := strings.Cut(string(t), "#")
	rest, query, _ := strings.Cut(rest, "?")
	var raw []string
	if start, end, ok := userInfo(rest); ok {
		user, password, _ := strings.Cut(rest[start:end], ":")
		raw = append(raw, user, password)
	}
	for pair := range strings.SplitSeq(query, "&") {
		if key, value, ok := strings.Cut(pair, "="); ok && !keptValue(key, value) {
			raw = append(raw, value)
		}
	}
	var out []string
	for _, s := range raw {
		for _, f := range []string{s, unescape(s)} {
			if len(f) >= minSecret && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// redactUserInfo redacts the user info of s, a URL without its query or
// fragment.
func redactUserInfo(s string) string {
	start, end, ok := userInfo(s)
	if !ok {
		return s
	}
	replacement := Redacted
	if strings.Contains(s[start:end], ":") {
		replacement = Redacted + ":" + Redacted
	}
	return s[:start] + replacement + s[end:]
}

// userInfo finds the user info of s, a URL without its query or
// fragment, as net/url finds it: after the scheme, in an authority that
// begins with "//", before its last "@". It is s[start:end].
func userInfo(s string) (start, end int, ok bool) {
	rest := afterScheme(s)
	if !strings.HasPrefix(rest, "//") {
		return 0, 0, false
	}
	start = len(s) - len(rest) + 2
	authority := s[start:]
	if i := strings.IndexByte(authority, '/'); i >= 0 {
		authority = authority[:i]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return 0, 0, false
	}
	return start, start + at, true
}

// afterScheme is s after its scheme and colon, as net/url's getScheme
// reads one; s itself when it has none.
func afterScheme(s string) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return s
			}
		case c == ':' && i > 0:
			return s[i+1:]
		default:
			return s
		}
	}
	return s
}

// redactQuery writes query with each value Redacted but those keptValue
// keeps.
func redactQuery(b *strings.Builder, query string) {
	for i, pair := range strings.Split(query, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		key, value, ok := strings.Cut(pair, "=")
		b.WriteString(key)
		if !ok {
			continue
		}
		b.WriteByte('=')
		if keptValue(key, value) {
			b.WriteString(value)
		} else {
			b.WriteString(Redacted)
		}
	}
}

// keptValue says whether a query value is shown: the placeholder, in any
// of its accepted spellings, or the user id, or nothing at all.
func keptValue(key, value string) bool {
	if value == "" || unescape(key) == "id" || value == Placeholder {
		return true
	}
	for _, p := range encodedPlaceholders {
		if value == p {
			return true
		}
	}
	return false
}

// unescape is a query component decoded, or as it is when it does not
// decode.
func unescape(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}
