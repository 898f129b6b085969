package conformance

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"p4p/reports"
)

// TestExecuteOutcomes holds Execute to the outcome each kind of error a
// Check returns gives, at each level, with its severity: a deviation
// (wrapped or not) is deviated at MUST and warned at SHOULD.
func TestExecuteOutcomes(t *testing.T) {
	env, err := Start(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	tests := []struct {
		name     string
		level    reports.Level
		err      error
		outcome  reports.Outcome
		severity reports.Severity
	}{
		{"holds", Must, nil, reports.Passed, ""},
		{"skip", Must, skip("no update hook"), reports.Skipped, ""},
		{"failure", Must, errors.New("status 500"), reports.Failed, reports.Failure},
		{"deviation", Must, deviation("403 with a body"), reports.Deviated, reports.Deviation},
		{"wrapped deviation", Must, fmt.Errorf("u-1: %w", deviation("403 with a body")), reports.Deviated, reports.Deviation},
		{"should", Should, errors.New("no Cache-Control"), reports.Warned, reports.Warning},
		{"should deviation", Should, deviation("403 with a body"), reports.Warned, reports.Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Spec{ID: "P4P-TEST-001", Level: tt.level, Fix: "fix it",
				Check: func(context.Context, *Probe) error { return tt.err }}
			res := Execute(context.Background(), env, s)
			if res.Outcome != tt.outcome || res.Severity != tt.severity {
				t.Errorf("got %s (%q), want %s (%q)", res.Outcome, res.Severity, tt.outcome, tt.severity)
			}
			if tt.err != nil && tt.outcome != reports.Skipped && res.Message != tt.err.Error() {
				t.Errorf("got message %q, want %q", res.Message, tt.err.Error())
			}
		})
	}
}

// TestPanickingCheckFails: a check that panics on what it received fails
// its spec instead of leaving it unjudged.
func TestPanickingCheckFails(t *testing.T) {
	env, err := Start(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	s := Spec{ID: "P4P-TEST-002", Level: Must, Fix: "fix it",
		Check: func(context.Context, *Probe) error { var ids []string; return errors.New(ids[len(ids)-1]) }}
	if res := Execute(context.Background(), env, s); res.Outcome != reports.Failed {
		t.Errorf("a panicking check: %s (%s), want failed", res.Outcome, res.Message)
	}
}

// TestUnfinishedRunIsNotCertified: a spec the filter selects that never
// ran (the run timed out or was interrupted) fails; one it leaves out is
// skipped.
func TestUnfinishedRunIsNotCertified(t *testing.T) {
	for _, filter := range []string{"", "auth"} {
		env, err := Start(context.Background(), Config{LabelFilter: filter})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { env.Close() })
		run := NewRun(env)
		run.Execute(context.Background(), Specs()[0])
		report := run.Report()
		if report.Verdict != reports.NotCertified {
			t.Errorf("filter %q: verdict %q after one spec of %d, want not certified", filter, report.Verdict, len(report.Results))
		}
		for _, res := range report.Results[1:] {
			want := reports.Failed
			if !selected(filter, mustLookup(t, res.ID)) {
				want = reports.Skipped
			}
			if res.Outcome != want {
				t.Errorf("filter %q: %s %s (%s), want %s", filter, res.ID, res.Outcome, res.Message, want)
			}
		}
	}
}

func mustLookup(t *testing.T, id string) Spec {
	t.Helper()
	s, ok := Lookup(id)
	if !ok {
		t.Fatalf("no spec %s", id)
	}
	return s
}
