package conformance

import (
	"fmt"
	"io"
	"strings"
)

// WriteSpecList writes every spec as a Markdown table: id, level, labels,
// requirement, source, and the reference endpoint's fault mode that makes
// it fail (more than one for some specs). docs/CONFORMANCE.md holds this table, checked by a test.
func WriteSpecList(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Suite version %s, %d specs.\n\n", Version, len(Specs()))
	b.WriteString("| id | level | labels | requirement | source | broken by |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, s := range Specs() {
		var faults []string
		for _, f := range s.Faults() {
			faults = append(faults, "`--fault "+string(f)+"`")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", s.ID, s.Level, strings.Join(s.Labels, ", "),
			escapeCell(s.Requirement), s.Source, strings.Join(faults, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
