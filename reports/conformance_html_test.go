package reports

import (
	"html"
	"reflect"
	"regexp"
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

var (
	linkAttr  = regexp.MustCompile(`(?i)\b(?:src|href|action|srcset|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	styleElem = regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>`)
)

func TestWriteHTMLSelfContained(t *testing.T) {
	checkSelfContained(t, rendered(t, sample().WriteHTML))
}

// checkSelfContained fails the test when the page out links outside
// itself, loads anything or holds a script, an inline style attribute
// or any of the other strings in bad.
func checkSelfContained(t *testing.T, out string, bad ...string) {
	t.Helper()
	for _, m := range linkAttr.FindAllStringSubmatch(out, -1) {
		if v := strings.Trim(m[1], `"'`); !strings.HasPrefix(v, "#") {
			t.Errorf("attribute %s points outside the page", m[0])
		}
	}
	for _, m := range styleElem.FindAllStringSubmatch(out, -1) {
		css := strings.ToLower(m[1])
		for _, bad := range []string{"url(", "@import", "@font-face", "http://", "https://"} {
			if strings.Contains(css, bad) {
				t.Errorf("stylesheet holds %q", bad)
			}
		}
	}
	lower := strings.ToLower(out)
	for _, bad := range append([]string{"<script", "<link", "<iframe", "<img", "style=\""}, bad...) {
		if strings.Contains(lower, bad) {
			t.Errorf("HTML holds %q", bad)
		}
	}
}

// attack is a string that runs a script if a page does not escape it.
const attack = `<script>alert(1)</script>`

func TestWriteHTMLEscapesEveryString(t *testing.T) {
	c := sample()
	setStrings(reflect.ValueOf(c).Elem(), attack)
	checkEscapesAttack(t, rendered(t, c.WriteHTML), 20)
}

// checkEscapesAttack fails the test when the page out holds attack
// unescaped, or fewer than want escaped copies of it.
func checkEscapesAttack(t *testing.T, out string, want int) {
	t.Helper()
	if strings.Contains(out, "<script") {
		t.Errorf("HTML holds an unescaped <script>")
	}
	if n := strings.Count(out, "&lt;script&gt;alert(1)&lt;/script&gt;"); n < want {
		t.Errorf("got %d escaped copies of the attack, want at least %d", n, want)
	}
}

// setStrings sets every string in v (fields, slice elements, map keys
// and values, through pointers) to s.
func setStrings(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Pointer:
		if !v.IsNil() {
			setStrings(v.Elem(), s)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				setStrings(v.Field(i), s)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			setStrings(v.Index(i), s)
		}
	case reflect.Map:
		setMapStrings(v, s)
	}
}

// setMapStrings is setStrings for a map of string to []string: every
// key becomes s, and the values are merged under it.
func setMapStrings(v reflect.Value, s string) {
	var merged reflect.Value
	for _, k := range v.MapKeys() {
		val := v.MapIndex(k)
		cp := reflect.MakeSlice(val.Type(), val.Len(), val.Len())
		reflect.Copy(cp, val)
		setStrings(cp, s)
		if merged.IsValid() {
			merged = reflect.AppendSlice(merged, cp)
		} else {
			merged = cp
		}
		v.SetMapIndex(k, reflect.Value{})
	}
	if merged.IsValid() {
		v.SetMapIndex(reflect.ValueOf(s), merged)
	}
}
