package livefyre

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// maxLink bounds the Link header nextLink reads.
const maxLink = 8 << 10

// nextLink returns the target of the Link header's rel="next" (RFC 8288),
// resolved against u, the URL of the request it answered; nil if there is
// none. The target must be on u's scheme and host, since the client sends
// its token there, and must differ from u.
func nextLink(u *url.URL, header []string) (*url.URL, error) {
	all := strings.Join(header, ",")
	if len(all) > maxLink {
		return nil, fmt.Errorf("link header of %d bytes, over %d", len(all), maxLink)
	}
	target, ok, err := findNext(all)
	if err != nil || !ok {
		return nil, err
	}
	ref, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("link header: %w", err)
	}
	next := u.ResolveReference(ref)
	if next.Scheme != u.Scheme || next.Host != u.Host || next.User != nil {
		return nil, fmt.Errorf("link header: the next page is on %s://%s, not on %s://%s; the token is sent to the API's host only",
			next.Scheme, next.Host, u.Scheme, u.Host)
	}
	next.Fragment, next.RawFragment = "", ""
	if next.String() == u.String() {
		return nil, errors.New("link header: the next page is this page")
	}
	return next, nil
}

// findNext scans link-values, `<target>; param=value; …` separated by
// commas, for the first whose rel names "next".
func findNext(h string) (target string, ok bool, err error) {
	for {
		h = strings.TrimLeft(h, " \t,")
		if h == "" {
			return "", false, nil
		}
		if h[0] != '<' {
			return "", false, fmt.Errorf("link header: want '<' at %.20q", h)
		}
		end := strings.IndexByte(h, '>')
		if end < 0 {
			return "", false, errors.New("link header: '<' without '>'")
		}
		target, h = h[1:end], h[end+1:]
		var rel string
		if rel, h, err = linkParams(h); err != nil {
			return "", false, err
		}
		for _, r := range strings.Fields(rel) {
			if strings.EqualFold(r, "next") {
				return target, true, nil
			}
		}
	}
}

// linkParams reads `; name=value` parameters up to the next link-value and
// returns the rel parameter's value and what follows.
func linkParams(h string) (rel, rest string, err error) {
	for {
		h = strings.TrimLeft(h, " \t")
		if h == "" || h[0] == ',' {
			return rel, h, nil
		}
		if h[0] != ';' {
			return "", "", fmt.Errorf("link header: want ';' at %.20q", h)
		}
		h = strings.TrimLeft(h[1:], " \t")
		n := strings.IndexAny(h, "=;,")
		if n < 0 {
			n = len(h)
		}
		name := strings.TrimSpace(h[:n])
		h = h[n:]
		var value string
		if strings.HasPrefix(h, "=") {
			if value, h, err = paramValue(strings.TrimLeft(h[1:], " \t")); err != nil {
				return "", "", err
			}
		}
		if strings.EqualFold(name, "rel") && rel == "" {
			rel = value
		}
	}
}

// paramValue reads a token or a quoted string.
func paramValue(h string) (value, rest string, err error) {
	if !strings.HasPrefix(h, `"`) {
		n := strings.IndexAny(h, ";,")
		if n < 0 {
			n = len(h)
		}
		return strings.TrimSpace(h[:n]), h[n:], nil
	}
	var b strings.Builder
	for i := 1; i < len(h); i++ {
		switch h[i] {
		case '\\':
			if i++; i < len(h) {
				b.WriteByte(h[i])
			}
		case '"':
			return b.String(), h[i+1:], nil
		default:
			b.WriteByte(h[i])
		}
	}
	return "", "", errors.New("link header: unterminated quoted string")
}
