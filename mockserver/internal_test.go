package mockserver

import (
	"net/url"
	"testing"
	"time"

	"p4p/livefyre"
)

func TestPullURL(t *testing.T) {
	tests := []struct{ template, id, want string }{
		{"https://example.yoursite.com/some_path/?id={id}", "u-1", "https://example.yoursite.com/some_path/?id=u-1&lftoken=T"},
		{"http://your.domain.com/livefyre/{id}/pull", "a.b_c", "http://your.domain.com/livefyre/a.b_c/pull?lftoken=T"},
		{"https://e.com/p?id={id}&", "u", "https://e.com/p?id=u&lftoken=T"},
		{"https://e.com/p?", "u", "https://e.com/p?lftoken=T"},
		{"https://e.com/p?id={id}#frag", "u", "https://e.com/p?id=u&lftoken=T#frag"},
		{"https://e.com/{id}?x={id}", "a b", "https://e.com/a%20b?x=a+b&lftoken=T"},
	}
	for _, tt := range tests {
		if got := livefyre.PullURL(tt.template, tt.id, "T"); got != tt.want {
			t.Errorf("livefyre.PullURL(%q, %q) = %q, want %q", tt.template, tt.id, got, tt.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	for attempt := 1; attempt <= 10; attempt++ {
		d := backoff(attempt, time.Second, time.Minute)
		full := min(time.Second<<(attempt-1), time.Minute)
		if d < full/2 || d > full {
			t.Errorf("backoff(%d) = %s, want within [%s, %s]", attempt, d, full/2, full)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		h    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false}, {"3", 3 * time.Second, true}, {"-1", 0, false}, {"soon", 0, false},
		{"999999", time.Hour, true}, {now.Add(90 * time.Second).Format(httpTime), 90 * time.Second, true},
	}
	for _, tt := range tests {
		if got, ok := retryAfter(tt.h, now); got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tt.h, got, ok, tt.want, tt.ok)
		}
	}
}

const httpTime = "Mon, 02 Jan 2006 15:04:05 GMT"

func FuzzParseBody(f *testing.F) {
	for _, s := range []string{"lftoken=a.b.c", `{"lftoken":"x"}`, "https://x.quill.fyre.co&lftoken=t", "%zz=1&lftoken=t", "{", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := parseBody([]byte(body))
		if v == nil {
			t.Fatalf("parseBody(%q) returned nil values", body)
		}
	})
}

// FuzzPullURL: whatever the id, the URL parses, and the id cannot add a
// query parameter: the query has exactly the template's parameters, with
// lftoken=TOKEN appended last.
func FuzzPullURL(f *testing.F) {
	f.Add("https://e.com/p?id={id}", "u-1")
	f.Add("http://e.com/{id}/pull", "a/b?c")
	f.Add("https://e.com/p?x=1#f", "&lftoken=evil")
	f.Fuzz(func(t *testing.T, template, id string) {
		if checkTemplate(template, nil) != nil || id == "" { // the ping refuses empty ids
			return
		}
		got := livefyre.PullURL(template, id, "TOKEN")
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("livefyre.PullURL(%q, %q) = %q: %v", template, id, got, err)
		}
		want, err := url.Parse(livefyre.PullURL(template, "x", "TOKEN"))
		if err != nil {
			t.Fatalf("livefyre.PullURL(%q, x): %v", template, err)
		}
		if len(u.Query()) != len(want.Query()) || len(u.Query()["lftoken"]) != len(want.Query()["lftoken"]) {
			t.Fatalf("livefyre.PullURL(%q, %q) = %q: the id changed the query's parameters", template, id, got)
		}
		if tok := u.Query()["lftoken"]; len(tok) == 0 || tok[len(tok)-1] != "TOKEN" {
			t.Fatalf("livefyre.PullURL(%q, %q) = %q: lftoken %q, want TOKEN last", template, id, got, tok)
		}
	})
}
