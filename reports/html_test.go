package reports

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var (
	linkAttr  = regexp.MustCompile(`(?i)\b(?:src|href|action|srcset|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	styleElem = regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>`)
)

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
