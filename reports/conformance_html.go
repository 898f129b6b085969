package reports

import (
	_ "embed"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"
)

//go:embed templates/conformance.html.tmpl
var htmlSource string

// htmlTemplate renders a Conformance as a self-contained HTML page; it is
// parsed on first use.
var htmlTemplate = sync.OnceValues(func() (*template.Template, error) {
	return template.New("conformance.html.tmpl").Funcs(template.FuncMap{
		"word":    Outcome.Word,
		"class":   outcomeClass,
		"open":    attention,
		"ms":      formatMS,
		"headers": headerLines,
		"status":  statusLine,
		"join":    strings.Join,
		"inc":     func(i int) int { return i + 1 },
	}).Parse(htmlSource)
})

// htmlPage is what the template renders: the report and the values
// derived from it.
type htmlPage struct {
	*Conformance
	Verdict      string
	Class        string // "passed" or "failed"
	StartedUTC   string // RFC 3339
	StartedHuman string
	Duration     string
}

// WriteHTML writes the run as one self-contained HTML page: a
// certificate of the run at the top, a table of every spec, and a
// section per spec (its id is the element id, so report.html#P4P-AUTH-001
// links to it) with the evidence. The page has no scripts and loads
// nothing: a Content-Security-Policy says so to the browser.
func (c *Conformance) WriteHTML(w io.Writer) error {
	return writeHTML(w, htmlTemplate, c.htmlPage(), "html report")
}

// htmlPage derives what the page shows from c.
func (c *Conformance) htmlPage() htmlPage {
	started := c.Started.UTC()
	p := htmlPage{
		Conformance:  c,
		Verdict:      c.verdict(),
		Class:        "failed",
		StartedUTC:   started.Format(time.RFC3339),
		StartedHuman: started.Format("Monday, 2 January 2006, 15:04:05 UTC"),
		Duration:     formatMS(c.DurationMS),
	}
	if c.Passed {
		p.Class = "passed"
	}
	return p
}

// outcomeClass is the CSS class for an outcome: the outcome itself when
// it is one the stylesheet knows, else "unknown".
func outcomeClass(o Outcome) string {
	switch o {
	case Passed, Failed, Warned, Skipped:
		return string(o)
	}
	return "unknown"
}
