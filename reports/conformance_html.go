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
		"word":        Outcome.Word,
		"class":       outcomeClass,
		"open":        openExchange,
		"ms":          formatMS,
		"headers":     headerLines,
		"status":      statusLine,
		"join":        strings.Join,
		"inc":         func(i int) int { return i + 1 },
		"severity":    Outcome.Severity,
		"culpritNote": func() string { return culpritNote },
	}).Parse(htmlSource)
})

// htmlPage is what the template renders: the report and the values
// derived from it.
type htmlPage struct {
	*Conformance
	Heading      string // the verdict in capitals, e.g. "NOT CERTIFIED"
	Meaning      string // what the verdict means, in a sentence
	Class        string // the verdict's CSS class, see verdictClass
	StrictNote   string
	StartedUTC   string // RFC 3339
	StartedHuman string
	Duration     string
	Sections     []htmlSection
}

// htmlSection is a heading of the page's results and the specs under it.
type htmlSection struct {
	ID      string // the element id, e.g. "failures"
	Title   string // e.g. "Failures"
	Meaning string // e.g. "the sync breaks or is unsafe"; "" for none
	Results []Result
}

// WriteHTML writes the run as one self-contained HTML page: a
// certificate of the run at the top (the verdict, what it means, and
// the counts), a table of every spec with each skip's reason, and a
// section per spec (its id is the element id, so report.html#P4P-AUTH-001
// links to it) with the evidence, the failures first, then the
// deviations, the warnings, and the specs that passed or were skipped.
// The page has no scripts and loads nothing: a Content-Security-Policy
// says so to the browser.
func (c *Conformance) WriteHTML(w io.Writer) error {
	return writeHTML(w, htmlTemplate, c.htmlPage(), "html report")
}

// htmlPage derives what the page shows from c.
func (c *Conformance) htmlPage() htmlPage {
	started := c.Started.UTC()
	return htmlPage{
		Conformance:  c,
		Heading:      c.Verdict.heading(),
		Meaning:      c.verdictMeaning(),
		Class:        verdictClass(c.Verdict),
		StrictNote:   strictNote,
		StartedUTC:   started.Format(time.RFC3339),
		StartedHuman: started.Format("Monday, 2 January 2006, 15:04:05 UTC"),
		Duration:     formatMS(c.DurationMS),
		Sections:     htmlSections(c.Results),
	}
}

// htmlSections groups the results under a heading per severity, gravest
// first, then one for the specs that passed or were skipped; a heading
// with no specs is left out.
func htmlSections(results []Result) []htmlSection {
	var out []htmlSection
	for _, s := range severities {
		if rs := withSeverity(results, s); len(rs) > 0 {
			out = append(out, htmlSection{ID: strings.ToLower(s.title()), Title: s.title(), Meaning: s.meaning(), Results: rs})
		}
	}
	if rs := withSeverity(results, ""); len(rs) > 0 {
		out = append(out, htmlSection{ID: "others", Title: "Passed and skipped", Results: rs})
	}
	return out
}

// openExchange reports whether an exchange of r's evidence is shown
// unfolded: when r is a finding and the exchange is one the finding is
// about, or r marks none.
func openExchange(r Result, ex Exchange) bool {
	return attention(r) && (ex.Culprit || !hasCulprit(r))
}

// outcomeClass is the CSS class for an outcome: the outcome itself when
// it is one the stylesheet knows, else "unknown".
func outcomeClass(o Outcome) string {
	switch o {
	case Passed, Failed, Deviated, Warned, Skipped:
		return string(o)
	}
	return "unknown"
}
