package reports

import (
	"html"
	"reflect"
	"regexp"
	"slices"
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
		`<title>NOT CERTIFIED: p4p conformance of https://app.example.org/p4p/pull?id={id}</title>`,
		`<h1 class="verdict" id="verdict">NOT CERTIFIED</h1>`,
		`<p class="meaning">A MUST spec failed: the sync breaks or is unsafe.</p>`,
		`<li><strong>1</strong> deviated</li>`, `<span class="badge deviated">DEV</span>`, `<td>deviation</td>`,
		`<h2 id="deviations-heading">Deviations <span class="muted">(the sync works; the documented contract is not followed to the letter)</span></h2>`,
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

// TestWriteHTMLDetailsOpen checks which exchanges are unfolded and
// marked: a finding's, and of a finding that marks its culprits only
// those, marked in words as well as by their class.
func TestWriteHTMLDetailsOpen(t *testing.T) {
	out := rendered(t, sample().WriteHTML)
	tests := []struct {
		id   string
		want []string // each details element's start tag
	}{
		{"P4P-AUTH-001", []string{"<details>"}},
		{"P4P-AUTH-007", []string{"<details>", `<details class="culprit" open>`}},
		{"P4P-RESP-001", []string{"<details open>", "<details open>"}},
		{"P4P-RESP-004", []string{"<details open>"}},
	}
	for _, tt := range tests {
		article := articleOf(t, out, tt.id)
		if got := detailsTag.FindAllString(article, -1); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got details %q, want %q", tt.id, got, tt.want)
		}
	}
	checkHolds(t, articleOf(t, out, "P4P-AUTH-007"),
		[]string{`<summary>Evidence 2 <span class="culprit-note">(broke the rule)</span>: pull u-1002 without lftoken`},
		[]string{`Evidence 1 <span class="culprit-note">`})
}

var detailsTag = regexp.MustCompile(`<details[^>]*>`)

// TestWriteHTMLOrder checks that the results list the failures, then the
// deviations, then the warnings, then the rest, each under its heading,
// whatever the specs' order.
func TestWriteHTMLOrder(t *testing.T) {
	c := &Conformance{Suite: "p4p conformance", Results: []Result{
		{ID: "P", Outcome: Passed}, {ID: "W", Outcome: Warned}, {ID: "D", Outcome: Deviated},
		{ID: "S", Outcome: Skipped}, {ID: "F", Outcome: Failed}, {ID: "D2", Outcome: Deviated},
	}}
	c.Tally()
	out := rendered(t, c.WriteHTML)
	_, results, _ := strings.Cut(out, "</table>")
	checkInOrder(t, results, []string{
		`<h2 id="failures-heading">Failures `, `<article class="spec failed" id="F">`,
		`<h2 id="deviations-heading">Deviations `, `<article class="spec deviated" id="D">`, `<article class="spec deviated" id="D2">`,
		`<h2 id="warnings-heading">Warnings `, `<article class="spec warned" id="W">`,
		`<h2 id="others-heading">Passed and skipped</h2>`, `<article class="spec passed" id="P">`, `<article class="spec skipped" id="S">`,
	})
	c.Results = c.Results[:1]
	c.Tally()
	checkHolds(t, rendered(t, c.WriteHTML), []string{`id="others-heading"`}, []string{`id="failures-heading"`, `id="deviations-heading"`, `id="warnings-heading"`})
}

func TestWriteHTMLSkipReasons(t *testing.T) {
	out := rendered(t, sample().WriteHTML)
	table, _, _ := strings.Cut(out, "</table>")
	checkHolds(t, table, []string{
		`A ping leads to a pull and the profile reaches Livefyre<span class="reason">Skipped: blocked: P4P-RESP-001 failed</span></td>`,
		`stored within the propagation budget<span class="reason">Skipped: no update hook was given (--update-hook)</span></td>`,
	}, []string{`Skipped: 2 of 2 pulls`})
	if got := strings.Count(table, `class="reason"`); got != 2 {
		t.Errorf("the table shows %d reasons, want 2, one per skipped spec", got)
	}
	checkHolds(t, articleOf(t, out, "P4P-PIPE-003"), []string{`<dt>Reason</dt><dd class="prose">no update hook was given (--update-hook)</dd>`}, nil)
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
