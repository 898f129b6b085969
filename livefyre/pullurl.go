package livefyre

import (
	"net/url"
	"strings"
)

// PullURL is the URL Livefyre pulls a user's profile from (spec 1.5): the
// registered template with "{id}" replaced by the escaped id, as a path
// segment before the query and as a query value in it, and the system
// token appended as lftoken. The token follows "&" when the URL already
// has a query, "?" when it has none (spec 6.8, MASH templates).
func PullURL(template, id, tok string) string {
	fragment := ""
	if i := strings.IndexByte(template, '#'); i >= 0 {
		template, fragment = template[:i], template[i:]
	}
	return AppendToken(fillTemplate(template, id), tok) + fragment
}

// AppendToken adds lftoken=tok to u with "&", or with "?" when u has no
// query yet (spec 1.5, 6.8).
func AppendToken(u, tok string) string {
	switch {
	case !strings.Contains(u, "?"):
		u += "?"
	case !strings.HasSuffix(u, "?") && !strings.HasSuffix(u, "&"):
		u += "&"
	}
	return u + "lftoken=" + url.QueryEscape(tok)
}

// fillTemplate replaces each "{id}" with the id escaped for where it
// stands: as a path segment before the query, as a query value in it.
func fillTemplate(template, id string) string {
	path, query, hasQuery := strings.Cut(template, "?")
	path = strings.ReplaceAll(path, "{id}", url.PathEscape(id))
	if !hasQuery {
		return path
	}
	return path + "?" + strings.ReplaceAll(query, "{id}", url.QueryEscape(id))
}
