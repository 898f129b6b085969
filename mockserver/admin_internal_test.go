package mockserver

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/token"
)

// FuzzParseAdminQuery: any query to the users list or the dead letters
// parses or is refused as invalid; what parses is in range, a search is
// short, printable and lower-case, and a users cursor that parses is one
// this index made.
func FuzzParseAdminQuery(f *testing.F) {
	const epoch = 7
	f.Add("q=Ada&outcome=dead&limit=10&cursor=" + encodeUsersCursor(epoch, 42))
	f.Add("cursor=" + encodeUsersCursor(8, 42))
	f.Add("q=%00&outcome=x")
	f.Add("user=a%2Fb&limit=501&cursor=" + encodeCursor(3))
	// A genuine cursor with a line break inside, which the base64
	// decoder would skip: a second spelling of it.
	genuine := encodeUsersCursor(epoch, 42)
	f.Add("cursor=" + genuine[:5] + "%0A" + genuine[5:])
	f.Add("user=a&cursor=" + encodeCursor(3)[:3] + "%0D" + encodeCursor(3)[3:])
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		invalid := func(err error) {
			if e, _ := errorStatus(err); e.Code != EInvalid {
				t.Fatalf("%q: error %v of code %s, want %s", raw, err, e.Code, EInvalid)
			}
		}
		if u, err := parseUsersQuery(q, epoch); err != nil {
			invalid(err)
		} else {
			if u.limit < 1 || u.limit > MaxAdminPage || len(u.search) > 2*maxSearch || u.search != strings.ToLower(u.search) || strings.ContainsRune(u.search, 0) {
				t.Fatalf("%q: parsed as %+v", raw, u)
			}
			if c := q.Get("cursor"); c != "" && encodeUsersCursor(epoch, u.before) != c {
				t.Fatalf("%q: cursor read as %d", raw, u.before)
			}
		}
		if d, err := parseDeadQuery(q); err != nil {
			invalid(err)
		} else if d.limit < 1 || d.limit > MaxAdminPage {
			t.Fatalf("%q: parsed as %+v", raw, d)
		}
	})
}

// FuzzSessionCookie: a cookie value is accepted only if it is exactly a
// payload and its MAC under the session key, as issue makes them: no
// other spelling of a genuine cookie, and nothing forged.
func FuzzSessionCookie(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	ss := newSessions("key", func() time.Time { return now })
	good, _ := ss.issue(tokenClaims("system", now.Add(time.Hour)))
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add("djF8c3lzdGVtfDE4MDAwMDM2MDB8MDA.AAAA")
	f.Fuzz(func(t *testing.T, value string) {
		if _, _, err := ss.check(value); err == nil {
			p64, _, _ := strings.Cut(value, ".")
			payload, _ := base64.RawURLEncoding.DecodeString(p64)
			if canon := base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(ss.sign(string(payload))); canon != value {
				t.Fatalf("%q accepted; the genuine spelling is %q", value, canon)
			}
		}
	})
}

// benchIndex is a users index of n users, as a million-user network
// fills it; one in ten failed, one in a hundred dead-lettered.
func benchIndex(n int) *userIndex {
	x := newUserIndex(1)
	at := time.Unix(1_800_000_000, 0)
	outcomes := []livefyre.Outcome{livefyre.OutcomeSucceeded, livefyre.OutcomeSucceeded, livefyre.OutcomeFailed}
	for i := range n {
		id := fmt.Sprintf("user-%07d", i)
		x.put(id, fmt.Sprintf("Display Name %d", i), id+"@example.org", outcomes[i%10%3], at.Add(time.Duration(i)), false)
		if i%100 == 0 {
			x.deadLettered(id, 1)
		}
	}
	return x
}

// BenchmarkUsers measures the users list of a million users: the first
// screen (50 most recently updated), a search that matches one user (the
// whole index scanned), a prefix search matching many, and a filter. The
// issue's bar is 200 ms on the reference machine for the first two.
func BenchmarkUsers(b *testing.B) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := benchIndex(1_000_000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	perUser := float64(after.HeapAlloc-before.HeapAlloc) / 1e6
	for _, c := range []struct {
		name string
		q    usersQuery
	}{
		{"FirstScreen", usersQuery{limit: 50}},
		{"SearchOne", usersQuery{limit: 50, search: "display name 12345"}},
		{"SearchNone", usersQuery{limit: 50, search: "nobody"}},
		{"Prefix", usersQuery{limit: 50, search: "user-09"}},
		{"Dead", usersQuery{limit: 50, outcome: "dead"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				x.list(c.q)
			}
			b.ReportMetric(perUser, "heap-B/user")
		})
	}
}

func tokenClaims(user string, exp time.Time) token.Claims {
	return token.Claims{UserID: user, Expires: float64(exp.Unix())}
}
