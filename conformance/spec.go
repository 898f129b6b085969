package conformance

import (
	"context"
	"slices"

	"p4p/refapp"
	"p4p/reports"
)

// Version is the version of the spec list. It changes when a spec is
// added, removed or made stricter, so that a report says which suite
// certified an endpoint.
const Version = "1.4.0"

// The levels of a spec (RFC 2119).
const (
	Must   = reports.Must
	Should = reports.Should
)

// The labels that group specs, for --label-filter.
const (
	LabelAuth        = "auth"
	LabelResponse    = "response"
	LabelSchema      = "schema"
	LabelPipeline    = "pipeline"
	LabelSecurity    = "security"
	LabelPerformance = "performance"
)

// Check tests one requirement against an endpoint. It returns nil when
// the requirement holds, an error saying what was observed when it does
// not, or an error made by Skip when it cannot be judged. It records
// what it sent and received in p.
type Check func(ctx context.Context, p *Probe) error

// Spec is one requirement a Pull endpoint must or should meet.
type Spec struct {
	ID          string // stable, e.g. "P4P-AUTH-001"
	Requirement string // one line, what the endpoint does
	Level       reports.Level
	Source      string   // the spec-file sections it comes from
	Labels      []string // for --label-filter
	// Fix says what to change when the spec fails, in the integrator's
	// terms. A check that tells causes apart returns an error made by
	// withFix, whose fix fits the cause and replaces this one in the
	// result; Fix then says what holds for every cause.
	Fix string
	// Needs are specs whose failure makes this one meaningless: when one
	// of them failed earlier in the run, this one is skipped as blocked.
	Needs []string
	// BrokenBy is the reference endpoint's fault mode that makes this
	// spec, and no other, fail: the proof that the spec can fail.
	BrokenBy refapp.Fault
	// AlsoBrokenBy are other fault modes that make this spec, and no
	// other, fail in a run with the default configuration.
	AlsoBrokenBy []refapp.Fault
	// DeviatedBy are fault modes that make this MUST spec, and no other,
	// deviate: the documented contract is missed, the sync still works.
	DeviatedBy []refapp.Fault
	// Deviation says, for a MUST spec that can deviate, what is a
	// deviation rather than a failure, and why: docs/CONFORMANCE.md lists
	// it. Empty when every breach is a failure.
	Deviation string
	Check     Check
}

// Faults are the fault modes that make s, and no other spec, fail:
// BrokenBy first, when there is one.
func (s Spec) Faults() []refapp.Fault {
	if s.BrokenBy == "" {
		return slices.Clone(s.AlsoBrokenBy)
	}
	return append([]refapp.Fault{s.BrokenBy}, s.AlsoBrokenBy...)
}

// Specs returns every spec in the order they run.
func Specs() []Spec {
	var all []Spec
	for _, g := range groups() {
		all = append(all, g.specs...)
	}
	return all
}

// Lookup returns the spec with the given id.
func Lookup(id string) (Spec, bool) {
	all := Specs()
	i := slices.IndexFunc(all, func(s Spec) bool { return s.ID == id })
	if i < 0 {
		return Spec{}, false
	}
	return all[i], true
}

// group is a set of specs run together, a Ginkgo Describe.
type group struct {
	name  string
	specs []Spec
}

func groups() []group {
	return []group{
		{"Authentication of Livefyre's pull", authSpecs()},
		{"The pull response", responseSpecs()},
		{"Users and ids", userSpecs()},
		{"The ping-for-pull pipeline", pipelineSpecs()},
		{"Performance", performanceSpecs()},
		{"Security", securitySpecs()},
	}
}

// result turns a spec into the start of its report entry.
func (s Spec) result() reports.Result {
	return reports.Result{ID: s.ID, Requirement: s.Requirement, Level: s.Level,
		Source: s.Source, Labels: slices.Clone(s.Labels)}
}
