package reports

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
)

// Redacted is what Redact puts in place of a secret.
const Redacted = "[redacted]"

// Redact returns a deep copy of c in which every occurrence of every
// non-empty secret, and of its URL-query-escaped form, is replaced by
// "[redacted]" in every string: fields, slice elements, and map keys and
// values. c is left as it was.
func (c *Conformance) Redact(secrets ...string) *Conformance {
	r := newRedactor(secrets)
	d := *c
	d.Suite = r.s(c.Suite)
	d.SuiteVersion = r.s(c.SuiteVersion)
	d.HarnessVersion = r.s(c.HarnessVersion)
	d.Endpoint = r.s(c.Endpoint)
	d.Network = r.s(c.Network)
	d.Livefyre = r.s(c.Livefyre)
	d.Users = r.strings(c.Users)
	d.LabelFilter = r.s(c.LabelFilter)
	if c.Results != nil {
		d.Results = make([]Result, len(c.Results))
		for i, res := range c.Results {
			d.Results[i] = r.result(res)
		}
	}
	return &d
}

// redactor replaces secrets in strings.
type redactor struct{ replacer *strings.Replacer }

// newRedactor makes a redactor for the non-empty secrets, longest first
// so that a secret containing another is replaced whole.
func newRedactor(secrets []string) redactor {
	var forms []string
	for _, s := range secrets {
		if s != "" {
			forms = append(forms, s, url.QueryEscape(s))
		}
	}
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	forms = slices.Compact(forms)
	var pairs []string
	for _, f := range forms {
		pairs = append(pairs, f, Redacted)
	}
	return redactor{strings.NewReplacer(pairs...)}
}

// s redacts one string.
func (r redactor) s(s string) string { return r.replacer.Replace(s) }

// strings redacts a copy of a slice, keeping nil nil.
func (r redactor) strings(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = r.s(s)
	}
	return out
}

// header redacts a copy of a header, names and values; values of names
// that become equal are joined.
func (r redactor) header(h map[string][]string) map[string][]string {
	if h == nil {
		return nil
	}
	out := make(map[string][]string, len(h))
	for name, values := range h {
		n := r.s(name)
		out[n] = append(out[n], r.strings(values)...)
		if out[n] == nil && values != nil {
			out[n] = []string{}
		}
	}
	return out
}

// result redacts a copy of one result.
func (r redactor) result(res Result) Result {
	d := res
	d.ID = r.s(res.ID)
	d.Requirement = r.s(res.Requirement)
	d.Level = Level(r.s(string(res.Level)))
	d.Source = r.s(res.Source)
	d.Labels = r.strings(res.Labels)
	d.Outcome = Outcome(r.s(string(res.Outcome)))
	d.Message = r.s(res.Message)
	d.Fix = r.s(res.Fix)
	d.Notes = r.strings(res.Notes)
	if res.Evidence != nil {
		d.Evidence = make([]Exchange, len(res.Evidence))
		for i, ex := range res.Evidence {
			d.Evidence[i] = r.exchange(ex)
		}
	}
	return d
}

// exchange redacts a copy of one exchange.
func (r redactor) exchange(ex Exchange) Exchange {
	d := ex
	d.Title = r.s(ex.Title)
	d.Request = Request{
		Method: r.s(ex.Request.Method),
		URL:    r.s(ex.Request.URL),
		Header: r.header(ex.Request.Header),
		Body:   r.s(ex.Request.Body),
	}
	if ex.Response != nil {
		resp := *ex.Response
		resp.Header = r.header(ex.Response.Header)
		resp.Body = r.s(ex.Response.Body)
		d.Response = &resp
	}
	d.Error = r.s(ex.Error)
	d.Curl = r.s(ex.Curl)
	return d
}
