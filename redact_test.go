package p4p_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p"
)

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://example.com/pull?id={id}", "https://example.com/pull?id={id}"},
		{"https://u:secret@example.com/p/{id}?api_key=XYZ", "https://[redacted]:[redacted]@example.com/p/{id}?api_key=[redacted]"},
		{"https://apikey@example.com/p/{id}", "https://[redacted]@example.com/p/{id}"},
		{"https://u:p@ss@example.com/p?user={id}", "https://[redacted]:[redacted]@example.com/p?user={id}"},
		{"https://example.com/p?user=%7Bid%7D&k=v&flag&empty=", "https://example.com/p?user=%7Bid%7D&k=[redacted]&flag&empty="},
		{"https://example.com/p?id=alice&lftoken=eyJ.x.y", "https://example.com/p?id=alice&lftoken=[redacted]"},
		{"https://example.com/p?i%64=alice&x=user-{id}", "https://example.com/p?i%64=alice&x=[redacted]"},
		{"https://example.com/a@b/p?id={id}#frag", "https://example.com/a@b/p?id={id}#frag"},
		{"http://h/p?k=v@w#x=y", "http://h/p?k=[redacted]#x=y"},
		{"https@host/p", "https@host/p"}, // no scheme, no authority
		{"not a url at all", "not a url at all"},
		{"", ""},
	} {
		if got := p4p.RedactURL(tc.in); got != tc.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTemplateSecrets(t *testing.T) {
	tmpl := p4p.Template("https://alice:pa%24%24word@example.com/p/{id}?api_key=SECRETKEY&v=2&id={id}&u={id}")
	got := tmpl.Secrets()
	want := []string{"pa%24%24word", "pa$$word", "SECRETKEY"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Secrets() (-want +got):\n%s", diff)
	}
}

func TestRedactURLError(t *testing.T) {
	const raw = "https://u:hunter22@example.com/p?api_key=SECRETKEY&id=a"
	ue := &url.Error{Op: "Get", URL: raw, Err: errors.New("connection refused")}
	for _, err := range []error{ue, wrap(ue)} {
		got := p4p.RedactURLError(err)
		if msg := got.Error(); strings.Contains(msg, "hunter22") || strings.Contains(msg, "SECRETKEY") || !strings.Contains(msg, "connection refused") {
			t.Errorf("RedactURLError(%v) = %q, want the error without its secrets", err, msg)
		}
		if !errors.Is(got, ue.Err) {
			t.Errorf("RedactURLError(%v) lost its chain", err)
		}
	}
	if ue.URL != raw {
		t.Errorf("RedactURLError changed its argument: URL %q", ue.URL)
	}
	plain := errors.New("plain")
	if got := p4p.RedactURLError(plain); got != plain {
		t.Errorf("RedactURLError(plain) = %v, want it as it was", got)
	}
}

func wrap(err error) error { return &wrapped{err} }

type wrapped struct{ err error }

func (w *wrapped) Error() string { return "pull: " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

// FuzzRedactURL checks RedactURL against net/url on any input: what
// net/url would send as user info or a query value is redacted, and the
// rest kept. It also builds a URL from a user, a password and a query
// value, and checks that none of them survives.
func FuzzRedactURL(f *testing.F) {
	f.Add("https://u:secret@example.com/p/{id}?api_key=XYZ&id={id}", "user", "password", "SECRET")
	f.Add("http://h/p?k=v@w#x=y", "a:b", "@/?#", "x&y=z")
	f.Add("//u@h/p?id=1&%69d=2", "", "p", "{id}")
	f.Fuzz(func(t *testing.T, raw, user, password, value string) {
		if len(raw) > 4096 {
			return
		}
		checkAgainstNetURL(t, raw)
		built := (&url.URL{Scheme: "https", Host: "example.com", User: url.UserPassword(user, password),
			Path: "/p/", RawQuery: "api_key=" + url.QueryEscape(value) + "&id={id}"}).String()
		got := p4p.RedactURL(built)
		shown := p4p.Redacted
		if value == "" || value == "{id}" { // nothing to hide, or the placeholder
			shown = url.QueryEscape(value)
		}
		skeleton := "https://" + p4p.Redacted + ":" + p4p.Redacted + "@example.com/p/?api_key=" + shown + "&id={id}"
		if got != skeleton {
			t.Fatalf("RedactURL(%q) = %q, want %q", built, got, skeleton)
		}
		for _, s := range p4p.Template(built).Secrets() {
			if strings.Contains(got, s) && !strings.Contains(skeleton, s) {
				t.Fatalf("RedactURL(%q) = %q still holds the secret %q", built, got, s)
			}
		}
	})
}

// checkAgainstNetURL compares raw and RedactURL(raw) as net/url parses
// them, with the marker shortened to a letter that net/url accepts in
// user info.
func checkAgainstNetURL(t *testing.T, raw string) {
	t.Helper()
	norm := func(s string) string { return strings.ReplaceAll(s, p4p.Redacted, "R") }
	got := p4p.RedactURL(raw)
	u, err := url.Parse(norm(raw))
	if err != nil {
		return
	}
	r, err := url.Parse(norm(got))
	if err != nil {
		t.Fatalf("RedactURL(%q) = %q, which net/url no longer parses: %v", raw, got, err)
	}
	if r.Scheme != u.Scheme || r.Host != u.Host || r.EscapedPath() != u.EscapedPath() || r.Opaque != u.Opaque || r.Fragment != u.Fragment {
		t.Fatalf("RedactURL(%q) = %q changed more than the secrets", raw, got)
	}
	if (r.User == nil) != (u.User == nil) {
		t.Fatalf("RedactURL(%q) = %q: user info %v, was %v", raw, got, r.User, u.User)
	}
	if r.User != nil {
		_, had := u.User.Password()
		pw, has := r.User.Password()
		if r.User.Username() != "R" || has != had || has && pw != "R" {
			t.Fatalf("RedactURL(%q) = %q: user info %q not redacted", raw, got, r.User)
		}
	}
	before, after := strings.Split(u.RawQuery, "&"), strings.Split(r.RawQuery, "&")
	if len(before) != len(after) {
		t.Fatalf("RedactURL(%q) = %q: query %q, was %q", raw, got, r.RawQuery, u.RawQuery)
	}
	for i, pair := range after {
		key, value, _ := strings.Cut(pair, "=")
		oldKey, oldValue, _ := strings.Cut(before[i], "=")
		kept := value == "" || value == "{id}" || strings.EqualFold(value, "%7Bid%7D") || key == oldKey && unescapes(key) == "id"
		if key != oldKey || value != "R" && (!kept || value != oldValue) {
			t.Fatalf("RedactURL(%q) = %q: query pair %q, was %q", raw, got, pair, before[i])
		}
	}
}

func unescapes(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}
