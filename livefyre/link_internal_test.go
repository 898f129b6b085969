package livefyre

import (
	"net/url"
	"strings"
	"testing"
)

func TestNextLink(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:8080/profiles/?limit=10")
	for _, c := range []struct {
		header []string
		want   string // "" for none
		err    bool
	}{
		{nil, "", false},
		{[]string{`</profiles/?limit=10&cursor=AQ>; rel="next"`}, "http://127.0.0.1:8080/profiles/?limit=10&cursor=AQ", false},
		{[]string{`<?cursor=b>; rel=next`}, "http://127.0.0.1:8080/profiles/?cursor=b", false},
		{[]string{`</a>; rel="prev", </b>; title="x, y"; rel="last next"`}, "http://127.0.0.1:8080/b", false},
		{[]string{`</a>; rel="prev"`, `</b>; REL=Next`}, "http://127.0.0.1:8080/b", false},
		{[]string{`</a>; rel="prev"`}, "", false},
		{[]string{`<http://127.0.0.1:8080/p?cursor=c>; rel="next"`}, "http://127.0.0.1:8080/p?cursor=c", false},
		{[]string{`<http://evil.example/p>; rel="next"`}, "", true},    // another host: the token would go there
		{[]string{`<https://127.0.0.1:8080/p>; rel="next"`}, "", true}, // another scheme
		{[]string{`<//evil.example/p>; rel="next"`}, "", true},
		{[]string{`</profiles/?limit=10>; rel="next"`}, "", true}, // this page again: a loop
		{[]string{`/p; rel="next"`}, "", true},
		{[]string{`</p; rel="next"`}, "", true},
		{[]string{`</p>; rel="next`}, "", true},
		{[]string{`</p> rel="next"`}, "", true},
		{[]string{`<` + strings.Repeat("a", maxLink) + `>; rel="next"`}, "", true},
	} {
		got, err := nextLink(base, c.header)
		if (err != nil) != c.err {
			t.Errorf("%q: got error %v, want error %v", c.header, err, c.err)
			continue
		}
		if s := urlString(got); s != c.want {
			t.Errorf("%q: got %q, want %q", c.header, s, c.want)
		}
	}
}

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

// FuzzNextLink: whatever a server sends as Link, nextLink returns nil, an
// error, or a URL on the request's own scheme and host other than it.
func FuzzNextLink(f *testing.F) {
	f.Add(`</profiles/?limit=10&cursor=AQ>; rel="next"`)
	f.Add(`</a>; rel="prev", </b>; title="x, \"y"; rel="last next"`)
	f.Add(`<http://evil.example/p>; rel=next`)
	f.Add(`<//127.0.0.1:8080@evil/p>; rel=next`)
	f.Add(`<>; rel=next`)
	base, _ := url.Parse("http://127.0.0.1:8080/profiles/?limit=10")
	f.Fuzz(func(t *testing.T, h string) {
		got, err := nextLink(base, []string{h})
		if err != nil || got == nil {
			return
		}
		if got.Scheme != base.Scheme || got.Host != base.Host || got.User != nil {
			t.Fatalf("%q: next page %s leaves %s", h, got, base.Host)
		}
		if got.String() == base.String() {
			t.Fatalf("%q: next page is this page", h)
		}
	})
}
