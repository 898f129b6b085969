package reports

// Redact returns a deep copy of c in which every occurrence of every
// non-empty secret, and of its URL-query-escaped form, is replaced by
// "[redacted]" in every string: fields, slice elements, and map keys and
// values. c is left as it was.
func (c *Conformance) Redact(secrets ...string) *Conformance {
	r := newRedactor(secrets)
	d := *c
	r.inPlace(&d.Suite, &d.SuiteVersion, &d.HarnessVersion, &d.Endpoint, &d.Network, &d.Livefyre, &d.LabelFilter)
	d.Verdict = Verdict(r.s(string(c.Verdict)))
	d.Users = r.strings(c.Users)
	d.Results = redactEach(c.Results, r.result)
	return &d
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
	r.inPlace(&d.ID, &d.Requirement, &d.Source, &d.Message, &d.Fix)
	d.Level = Level(r.s(string(res.Level)))
	d.Labels = r.strings(res.Labels)
	d.Outcome = Outcome(r.s(string(res.Outcome)))
	d.Severity = Severity(r.s(string(res.Severity)))
	d.Notes = r.strings(res.Notes)
	d.Evidence = redactEach(res.Evidence, r.exchange)
	return d
}

// exchange redacts a copy of one exchange.
func (r redactor) exchange(ex Exchange) Exchange {
	d := ex
	r.inPlace(&d.Title, &d.Error, &d.Curl)
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
	return d
}
