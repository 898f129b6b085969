package mockserver

import (
	"encoding/base64"
	"encoding/binary"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The admin API's query parameters. Each is given at most once; unknown
// ones are ignored, as browsers and scripts add their own.
const (
	// DefaultAdminPage and MaxAdminPage bound the admin API's pages.
	DefaultAdminPage = 50
	MaxAdminPage     = 500
	// maxSearch is the longest search, in bytes.
	maxSearch = 200
	// usersCursorVersion marks the users list's cursors (listing.go's are
	// version 1).
	usersCursorVersion = 2
)

// adminPage is the limit and cursor of any admin listing; before is the
// position the page ends before (0: from the newest).
type adminPage struct {
	limit  int
	before uint64
}

// once returns the single value of name, "" if absent, or an error if
// given more than once.
func once(q url.Values, name string) (string, error) {
	switch vs := q[name]; len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", errorf(EInvalid, "%s may be given once", name)
}

// parseAdminPage reads limit (1 to MaxAdminPage, DefaultAdminPage if
// absent or 0) and a stream-sequence cursor (listing.go's form).
func parseAdminPage(q url.Values) (adminPage, error) {
	p := adminPage{limit: DefaultAdminPage}
	limit, err := once(q, "limit")
	if err != nil {
		return p, err
	}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 0 || n > MaxAdminPage || len(limit) > 8 {
			return p, errorf(EInvalid, "limit must be an integer from 1 to %d", MaxAdminPage)
		}
		if n > 0 {
			p.limit = n
		}
	}
	c, err := once(q, "cursor")
	if err != nil || c == "" {
		return p, err
	}
	if p.before, err = decodeCursor(c); err != nil {
		return p, errorf(EInvalid, "cursor is not one this server made: start again without it")
	}
	return p, nil
}

// parseUsersQuery reads GET /admin/v1/users: q (a search), outcome,
// limit and cursor (one the index of this epoch made).
func parseUsersQuery(q url.Values, epoch uint32) (usersQuery, error) {
	var u usersQuery
	page, err := parseAdminPage(url.Values{"limit": q["limit"]})
	if err != nil {
		return u, err
	}
	u.limit = page.limit
	if u.search, err = parseSearch(q); err != nil {
		return u, err
	}
	if u.outcome, err = once(q, "outcome"); err != nil {
		return u, err
	}
	if u.outcome != "" && !slices.Contains(outcomeFilters, u.outcome) {
		return u, errorf(EInvalid, "outcome must be one of %s", strings.Join(outcomeFilters, ", "))
	}
	c, err := once(q, "cursor")
	if err != nil || c == "" {
		return u, err
	}
	if u.before, err = decodeUsersCursor(c, epoch); err != nil {
		return u, errorf(EInvalid, "cursor is not one this server made since it started: start again without it")
	}
	return u, nil
}

// parseSearch reads q: printable UTF-8, at most maxSearch bytes, trimmed
// and lower-cased.
func parseSearch(q url.Values) (string, error) {
	s, err := once(q, "q")
	if err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	if len(s) > maxSearch || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return "", errorf(EInvalid, "q must be printable text of at most %d bytes", maxSearch)
	}
	return strings.ToLower(s), nil
}

// deadQuery is a parsed dead-letter filter: a user id, exact, and a
// search in the reason and user id.
type deadQuery struct {
	adminPage
	user   string
	search string
}

func parseDeadQuery(q url.Values) (deadQuery, error) {
	var d deadQuery
	var err error
	if d.adminPage, err = parseAdminPage(q); err != nil {
		return d, err
	}
	if d.search, err = parseSearch(q); err != nil {
		return d, err
	}
	if d.user, err = once(q, "user"); err != nil {
		return d, err
	}
	if d.user != "" {
		if err := checkUserID(d.user); err != nil {
			return d, err
		}
	}
	return d, nil
}

func encodeUsersCursor(epoch uint32, seq uint64) string {
	var b [13]byte
	b[0] = usersCursorVersion
	binary.BigEndian.PutUint32(b[1:], epoch)
	binary.BigEndian.PutUint64(b[5:], seq)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeUsersCursor(c string, epoch uint32) (uint64, error) {
	if len(c) > maxCursor {
		return 0, errorf(EInvalid, "cursor too long")
	}
	b, err := decodeB64(c)
	if err != nil {
		return 0, err
	}
	if len(b) != 13 || b[0] != usersCursorVersion || binary.BigEndian.Uint32(b[1:]) != epoch {
		return 0, errorf(EInvalid, "not a cursor of this index")
	}
	seq := binary.BigEndian.Uint64(b[5:])
	if seq == 0 {
		return 0, errorf(EInvalid, "cursor at 0")
	}
	return seq, nil
}
