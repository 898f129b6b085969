package conformance

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"p4p/refapp"
)

// WriteSpecList writes every spec as a Markdown table: id, level, labels,
// requirement, source, and the reference endpoint's fault modes that make
// it fail or deviate; then the rule that tells a failure from a deviation,
// for each spec that can deviate. docs/CONFORMANCE.md holds these tables,
// checked by a test.
func WriteSpecList(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Suite version %s, %d specs.\n\n", Version, len(Specs()))
	b.WriteString("| id | level | labels | requirement | source | broken by |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, s := range Specs() {
		faults := faultFlags(s.Faults(), "")
		faults = append(faults, faultFlags(s.DeviatedBy, " (deviates)")...)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", s.ID, s.Level, strings.Join(s.Labels, ", "),
			escapeCell(s.Requirement), s.Source, strings.Join(faults, ", "))
	}
	b.WriteString("\nFailure or deviation: every other MUST spec fails whenever its requirement does not hold.\n\n")
	b.WriteString("| ids | fails when, and deviates when |\n|---|---|\n")
	for _, g := range deviationRules() {
		fmt.Fprintf(&b, "| %s | %s |\n", strings.Join(g.ids, ", "), escapeCell(g.rule))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// deviationRule is a Deviation text and the specs, in order, that share it.
type deviationRule struct {
	ids  []string
	rule string
}

// deviationRules groups the specs that can deviate by their rule, in the
// order the rules first appear.
func deviationRules() []deviationRule {
	var out []deviationRule
	for _, s := range Specs() {
		if s.Deviation == "" {
			continue
		}
		if i := slices.IndexFunc(out, func(r deviationRule) bool { return r.rule == s.Deviation }); i >= 0 {
			out[i].ids = append(out[i].ids, s.ID)
			continue
		}
		out = append(out, deviationRule{ids: []string{s.ID}, rule: s.Deviation})
	}
	return out
}

// faultFlags are the --fault flags of faults, each followed by suffix.
func faultFlags(faults []refapp.Fault, suffix string) []string {
	var out []string
	for _, f := range faults {
		out = append(out, "`--fault "+string(f)+"`"+suffix)
	}
	return out
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
