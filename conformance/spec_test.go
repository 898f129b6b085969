package conformance

import (
	"regexp"
	"slices"
	"testing"

	"p4p/refapp"
)

var idPattern = regexp.MustCompile(`^P4P-[A-Z]+-\d{3}$`)

// TestSpecsAreWellFormed holds every spec to the suite's rules: a stable
// id, a level, a source, known labels, needs that run before it, a fix,
// and a fault mode of the reference endpoint that makes it fail.
func TestSpecsAreWellFormed(t *testing.T) {
	labels := []string{LabelAuth, LabelResponse, LabelSchema, LabelPipeline, LabelSecurity, LabelPerformance}
	faults := map[refapp.Fault]bool{}
	for _, f := range refapp.Faults() {
		faults[f.Fault] = true
	}
	seen := map[string]bool{}
	brokenBy := map[refapp.Fault]string{}
	for _, s := range Specs() {
		switch {
		case !idPattern.MatchString(s.ID):
			t.Errorf("%s: id does not match %s", s.ID, idPattern)
		case seen[s.ID]:
			t.Errorf("%s: id used twice", s.ID)
		case s.Level != Must && s.Level != Should:
			t.Errorf("%s: level %q", s.ID, s.Level)
		case s.Requirement == "" || s.Source == "" || s.Fix == "" || s.Check == nil:
			t.Errorf("%s: requirement, source, fix and check are all required", s.ID)
		case len(s.Labels) == 0:
			t.Errorf("%s: no label", s.ID)
		}
		if len(s.Faults())+len(s.DeviatedBy) == 0 {
			t.Errorf("%s: no fault mode makes it fail or deviate", s.ID)
		}
		if len(s.DeviatedBy) > 0 && (s.Level != Must || s.Deviation == "") {
			t.Errorf("%s: deviated by a fault, but not a MUST spec with a Deviation rule", s.ID)
		}
		for _, f := range slices.Concat(s.Faults(), s.DeviatedBy) {
			switch {
			case !faults[f]:
				t.Errorf("%s: fault %q is not a fault mode of the reference endpoint", s.ID, f)
			case brokenBy[f] != "":
				t.Errorf("%s: fault %q already breaks %s; each spec needs a fault of its own", s.ID, f, brokenBy[f])
			}
			brokenBy[f] = s.ID
		}
		for _, l := range s.Labels {
			if !slices.Contains(labels, l) {
				t.Errorf("%s: unknown label %q", s.ID, l)
			}
		}
		for _, n := range s.Needs {
			if !seen[n] {
				t.Errorf("%s: needs %s, which does not run before it", s.ID, n)
			}
		}
		seen[s.ID] = true
	}
	for f := range faults {
		if brokenBy[f] == "" {
			t.Errorf("fault %q breaks no spec", f)
		}
	}
}

func TestLookup(t *testing.T) {
	if s, ok := Lookup("P4P-AUTH-001"); !ok || s.Level != Must {
		t.Errorf("Lookup(P4P-AUTH-001) = %v, %v", s.ID, ok)
	}
	if _, ok := Lookup("P4P-NOPE-001"); ok {
		t.Error("Lookup(P4P-NOPE-001) found a spec")
	}
}
