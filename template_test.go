package p4p_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"p4p"
)

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		encoded bool
		wantMsg string
	}{
		{"https://example.yoursite.com/some_path/?id={id}", true, false, ""},
		{"http://your.domain.com/livefyre/{id}/pull", true, false, ""},
		{"https://e.example/pull?id=%7Bid%7D", true, true, ""},
		{"https://e.example/pull?id=%7bid%7d", true, true, ""},
		{"https://e.example/{{id}}", true, false, ""}, // holds the literal {id}, as MASH's doc writes it (spec 6.9)
		{"https://e.example/pull?id={ID}", false, false, "{ID} is not it"},
		{"https://e.example/pull?id=%7BID%7D", false, false, "%7BID%7D is not it"},
		{"https://e.example/pull?id=:id", false, false, ":id is not it"},
		{"https://e.example/{ID}/pull?id={id}", false, false, "has {ID}, which is not the placeholder"},
		{"https://e.example/pull?a=%7BId%7D&id={id}", false, false, "has %7BId%7D, which is not the placeholder"},
		{"https://e.example/pull?a=%7Bid%7D&id={id}", true, false, ""},
		{"https://e.example/pull", false, false, "has no {id}"},
		{"", false, false, "empty"},
		{"ftp://e.example/{id}", false, false, "not an http or https URL"},
		{"https:///{id}", false, false, "has no host"},
		{"https://{id}.example/pull", false, false, "not its host"},
		{"https://{id}@e.example/pull", false, false, "not its host"},
		{"https://e.example/pull#{id}", false, false, "not its host"},
		{"https://e.example/%zz{id}", false, false, "is not a URL"},
		{"https://e.example/?id={id}" + strings.Repeat("x", p4p.MaxTemplateLength), false, false, "over the limit"},
	}
	for _, tt := range tests {
		tmpl, err := p4p.ParseTemplate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseTemplate(%q) error %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err != nil {
			if !errors.Is(err, p4p.ErrTemplate) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("ParseTemplate(%q) error %q, want ErrTemplate saying %q", tt.in, err, tt.wantMsg)
			}
			continue
		}
		if got := tmpl.Encoded(); got != tt.encoded {
			t.Errorf("ParseTemplate(%q).Encoded() = %v, want %v", tt.in, got, tt.encoded)
		}
		if err := tmpl.Registrable(); (err == nil) == tt.encoded {
			t.Errorf("ParseTemplate(%q).Registrable() = %v; want refused only when encoded", tt.in, err)
		}
	}
}

func TestTemplatePullURL(t *testing.T) {
	tests := []struct{ template, id, want string }{
		{"https://example.yoursite.com/some_path/?id={id}", "u-1", "https://example.yoursite.com/some_path/?id=u-1&lftoken=T"},
		{"http://your.domain.com/livefyre/{id}/pull", "a.b_c", "http://your.domain.com/livefyre/a.b_c/pull?lftoken=T"},
		{"https://e.com/p?id={id}&", "u", "https://e.com/p?id=u&lftoken=T"},
		{"https://e.com/p?", "u", "https://e.com/p?lftoken=T"},
		{"https://e.com/{id}??", "u", "https://e.com/u??&lftoken=T"},
		{"https://e.com/p?id={id}#frag", "u", "https://e.com/p?id=u&lftoken=T"},
		{"https://e.com/{id}?x={id}", "a b", "https://e.com/a%20b?x=a+b&lftoken=T"},
		{"https://e.com/p?id=%7Bid%7D", "u-1", "https://e.com/p?id=u-1&lftoken=T"},
		{"https://e.com/p?id={id}", "u", "https://e.com/p?id=u&lftoken=T"},
		// Livefyre fills the literal {id} only; the encoded form is
		// filled only in a template without a literal one.
		{"https://e.com/p?a=%7Bid%7D&id={id}", "u", "https://e.com/p?a=%7Bid%7D&id=u&lftoken=T"},
	}
	for _, tt := range tests {
		if got := p4p.Template(tt.template).PullURL(tt.id, "T"); got != tt.want {
			t.Errorf("Template(%q).PullURL(%q) = %q, want %q", tt.template, tt.id, got, tt.want)
		}
	}
	if got, want := p4p.Template("https://e.com/p?id={id}").PullURL("u", "a+b/c="), "https://e.com/p?id=u&lftoken=a%2Bb%2Fc%3D"; got != want {
		t.Errorf("PullURL escapes the token as %q, want %q", got, want)
	}
}

// FuzzTemplate: a template ParseTemplate accepts fills to a URL that
// parses, whatever the id, and the id cannot add a query parameter or
// change the host: the query has the template's &-separated pairs, with
// lftoken=TOKEN last.
func FuzzTemplate(f *testing.F) {
	f.Add("https://e.com/p?id={id}", "u-1")
	f.Add("http://e.com/{id}/pull", "a/b?c")
	f.Add("https://e.com/p?x=1&id=%7Bid%7D#f", "&lftoken=evil")
	f.Add("https://{id}.e.com/p", "x")
	f.Fuzz(func(t *testing.T, template, id string) {
		tmpl, err := p4p.ParseTemplate(template)
		if err != nil {
			if !errors.Is(err, p4p.ErrTemplate) {
				t.Fatalf("ParseTemplate(%q): %v does not wrap ErrTemplate", template, err)
			}
			return
		}
		if id == "" {
			return
		}
		got := tmpl.PullURL(id, "TOKEN")
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("PullURL(%q, %q) = %q: %v", template, id, got, err)
		}
		want, err := url.Parse(tmpl.PullURL("x", "TOKEN"))
		if err != nil {
			t.Fatalf("PullURL(%q, x): %v", template, err)
		}
		// Pairs are counted in the raw query: an id equal to a bare key of
		// the template ("?a&{id}") merges with it in u.Query() without
		// adding a parameter.
		pairs := func(u *url.URL) int { return strings.Count(u.RawQuery, "&") }
		if u.Host != want.Host || pairs(u) != pairs(want) || len(u.Query()["lftoken"]) != len(want.Query()["lftoken"]) {
			t.Fatalf("PullURL(%q, %q) = %q: the id changed the host or the query's parameters", template, id, got)
		}
		if tok := u.Query()["lftoken"]; len(tok) == 0 || tok[len(tok)-1] != "TOKEN" {
			t.Fatalf("PullURL(%q, %q) = %q: lftoken %q, want TOKEN last", template, id, got, tok)
		}
	})
}

func ExampleTemplate_Registrable() {
	// A URL library wrote the braces percent-encoded: the tools can still
	// call the endpoint, but Livefyre would not register the template.
	t, err := p4p.ParseTemplate("https://example.com/pull?id=%7Bid%7D")
	fmt.Println(err, t.Encoded(), t.Fill("u-1"))
	fmt.Println(t.Registrable())
	// Output:
	// <nil> true https://example.com/pull?id=u-1
	// not a Pull URL template: "https://example.com/pull?id=%7Bid%7D" has {id} percent-encoded, which Livefyre never replaces: write the literal {id}; if a URL library builds the URL, keep it from encoding { and } (spec 1.3, 6.9)
}

func ExampleTemplate_PullURL() {
	t, err := p4p.ParseTemplate("https://example.com/livefyre/pull?id={id}")
	if err != nil {
		panic(err)
	}
	fmt.Println(t.PullURL("u-1", "SYSTEM.JWT"))
	_, err = p4p.ParseTemplate("https://example.com/livefyre/pull?id={ID}")
	fmt.Println(err)
	// Output:
	// https://example.com/livefyre/pull?id=u-1&lftoken=SYSTEM.JWT
	// not a Pull URL template: "https://example.com/livefyre/pull?id={ID}" has no {id}: write the literal {id} where the user id goes, e.g. https://example.com/pull?id={id}; {ID} is not it: the placeholder is the lower-case {id} (spec 1.3)
}
