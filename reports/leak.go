package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"strings"
)

// checkLeaks returns an error when data, the file called name, holds any
// of the non-empty secrets in any form a renderer may have written it
// in. The error names the secret by its position, never by its value.
func checkLeaks(name string, data []byte, secrets []string) error {
	for i, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range secretForms(s) {
			if bytes.Contains(data, []byte(form)) {
				return fmt.Errorf("%s holds secret %d of %d after redaction; nothing written", name, i+1, len(secrets))
			}
		}
	}
	return nil
}

// secretForms are the ways a secret can appear in a rendered report: as
// it is, JSON-escaped (with and without HTML escaping), HTML-escaped (as
// html and html/template escape), XML-escaped and URL-escaped.
func secretForms(s string) []string {
	forms := []string{s, jsonEscaped(s, true), jsonEscaped(s, false)}
	h := html.EscapeString(s)
	forms = append(forms, h, strings.ReplaceAll(h, "+", "&#43;"))
	var x strings.Builder
	xml.EscapeText(&x, []byte(s))
	return append(forms, x.String(), url.QueryEscape(s), url.PathEscape(s))
}

// jsonEscaped is s as encoding/json writes it inside a string, without
// the quotes.
func jsonEscaped(s string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	enc.Encode(s) // a string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}
