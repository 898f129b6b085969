package mockserver

import (
	"net/url"
	"testing"
)

// FuzzParseListing: any query parses or is refused as invalid; what parses
// is in range, and a cursor that parses is one encodeCursor makes.
func FuzzParseListing(f *testing.F) {
	f.Add("limit=10&cursor=" + encodeCursor(42))
	f.Add("cursor=")
	f.Add("limit=1001")
	f.Add("limit=0&cursor=AQAAAAAAAAAA")
	f.Add("cursor=AgAAAAAAAAAB&cursor=x")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		l, err := parseListing(q)
		if err != nil {
			if e, _ := errorStatus(err); e.Code != EInvalid {
				t.Fatalf("%q: error %v of code %s, want %s", raw, err, e.Code, EInvalid)
			}
			return
		}
		if l.limit < 1 || l.limit > MaxPageSize {
			t.Fatalf("%q: limit %d", raw, l.limit)
		}
		if c := q.Get("cursor"); c != "" && encodeCursor(l.from) != c {
			t.Fatalf("%q: cursor %q read as %d, which encodes as %q", raw, c, l.from, encodeCursor(l.from))
		}
		if l.paged != (q.Has("limit") || q.Has("cursor")) {
			t.Fatalf("%q: paged %v", raw, l.paged)
		}
	})
}
