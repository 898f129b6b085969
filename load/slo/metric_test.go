package slo_test

import (
	"strings"
	"testing"

	"p4p/load/slo"
)

// TestMetrics checks the catalogue: unique names as expressions write
// them, a known unit, a sentence of description and known scenarios.
func TestMetrics(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range slo.Metrics() {
		if seen[m.Name] || m.Name == "" || strings.Trim(m.Name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			t.Errorf("metric %q: got a duplicate or malformed name", m.Name)
		}
		seen[m.Name] = true
		if sample(m.Unit) == "" {
			t.Errorf("metric %q: got unit %q, want a known one", m.Name, m.Unit)
		}
		if !strings.HasSuffix(m.Description, ".") || strings.ToUpper(m.Description[:1]) != m.Description[:1] {
			t.Errorf("metric %q: got description %q, want a sentence", m.Name, m.Description)
		}
		if len(m.Scenarios) == 0 {
			t.Errorf("metric %q: got no scenarios", m.Name)
		}
		for _, s := range m.Scenarios {
			if s != slo.PullScenario && s != slo.PropagationScenario && s != slo.SoakRun {
				t.Errorf("metric %q: got scenario %q", m.Name, s)
			}
		}
	}
	if got, want := len(seen), 35; got != want {
		t.Errorf("got %d metrics, want %d", got, want)
	}
}

// TestMetricsIsACopy checks that changing Metrics' result changes
// nothing else.
func TestMetricsIsACopy(t *testing.T) {
	ms := slo.Metrics()
	ms[0].Name = "changed"
	ms[0].Scenarios[0] = "changed"
	again := slo.Metrics()[0]
	if again.Name == "changed" || again.Scenarios[0] == "changed" {
		t.Errorf("got %+v after changing an earlier result, want the catalogue unchanged", again)
	}
}
