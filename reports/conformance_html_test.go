package reports

import (
	"html"
	"reflect"
	"strings"
	"testing"
)

func TestWriteHTMLGolden(t *testing.T) {
	checkGolden(t, "conformance.html.golden", []byte(rendered(t, sample().WriteHTML)))
}

func TestWriteHTMLContents(t *testing.T) {
	out := rendered(t, sample().WriteHTML)
	wants := []string{
		`<meta charset="utf-8">`,
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
		`<title>FAILED: p4p conformance of https://app.example.org/p4p/pull?id={id}</title>`,
		`<h1 class="verdict" id="verdict">FAILED</h1>`,
		`2025-03-14T09:26:53Z`, `Friday, 14 March 2025, 09:26:53 UTC`, `12.417s`, `p4p v0.3.0`,
		`<article class="spec failed" id="P4P-RESP-001">`, `<a href="#P4P-AUTH-001">`,
		`<span class="badge warned">WARN</span>`, `blocked: P4P-RESP-001 failed`,
		`Retry-After: 120`, `6144 bytes, truncated`, `context deadline exceeded`,
		`@media print`,
	}
	checkHolds(t, out, wants, nil)
}

func TestWriteHTMLLabelFilter(t *testing.T) {
	tests := []struct {
		filter string
		want   bool
	}{
		{"", false},
		{"auth || response", true},
	}
	for _, tt := range tests {
		c := sample()
		c.LabelFilter = tt.filter
		out := rendered(t, c.WriteHTML)
		if got := strings.Contains(out, "<dt>Label filter</dt><dd><code>"+html.EscapeString(tt.filter)+"</code></dd>"); got != tt.want {
			t.Errorf("filter %q: got label filter shown %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestWriteHTMLDetailsOpen(t *testing.T) {
	out := rendered(t, sample().WriteHTML)
	tests := []struct {
		id   string
		open bool
	}{
		{"P4P-AUTH-001", false}, {"P4P-RESP-001", true}, {"P4P-RESP-004", true},
	}
	for _, tt := range tests {
		article := articleOf(t, out, tt.id)
		if got := strings.Contains(article, "<details open>"); got != tt.open {
			t.Errorf("%s: got details open %v, want %v", tt.id, got, tt.open)
		}
		if !strings.Contains(article, "<details") {
			t.Errorf("%s: no details element", tt.id)
		}
	}
}

// articleOf is the <article> for spec id in out.
func articleOf(t *testing.T, out, id string) string {
	t.Helper()
	_, rest, ok := strings.Cut(out, `id="`+id+`">`)
	if !ok {
		t.Fatalf("no element with id %s", id)
	}
	article, _, _ := strings.Cut(rest, "</article>")
	return article
}

func TestWriteHTMLSelfContained(t *testing.T) {
	checkSelfContained(t, rendered(t, sample().WriteHTML))
}

func TestWriteHTMLEscapesEveryString(t *testing.T) {
	c := sample()
	setStrings(reflect.ValueOf(c).Elem(), attack)
	checkEscapesAttack(t, rendered(t, c.WriteHTML), 20)
}
