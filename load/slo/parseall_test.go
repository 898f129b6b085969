package slo_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/load/slo"
)

func TestParseAll(t *testing.T) {
	tests := []struct {
		scenario string
		exprs    []string
		want     []string // the objectives' metrics
	}{
		{"pull", []string{"p99<800ms", "success>=99.9%", "p(99.9)<2s", "invalid==0", "avg<100ms"}, []string{"p99", "success", "p999", "invalid", "mean"}},
		{"propagation", []string{"lost==0", "propagation_p99<10m", "within_promise>=99%", "p99<100ms", "queue_max<1000", "success>=99%"},
			[]string{"lost", "propagation_p99", "within_promise", "p99", "queue_max", "success"}},
		{"soak-pull", []string{"p99_drift<1.5", "p999<1s", "heap_growth_mb<64"}, []string{"p99_drift", "p999", "heap_growth_mb"}},
		{"soak", []string{"error_drift<0.1%", "invalid==0"}, []string{"error_drift", "invalid"}},
		{"soak-propagation", []string{"p99_drift<1.5", "lost==0", "max<1s"}, []string{"p99_drift", "lost", "max"}},
		{"pull", nil, []string{}},
	}
	for _, tt := range tests {
		os, err := slo.ParseAll(tt.exprs, tt.scenario)
		if err != nil {
			t.Errorf("ParseAll(%q, %q): got error %v", tt.exprs, tt.scenario, err)
			continue
		}
		got := make([]string, len(os))
		for i, o := range os {
			got[i] = o.Metric.Name
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseAll(%q, %q): got … want (-want +got):\n%s", tt.exprs, tt.scenario, diff)
		}
	}
}

func TestParseAllErrors(t *testing.T) {
	tests := []struct {
		scenario string
		exprs    []string
		want     []string // one line per bad expression, in order
	}{
		{"pull", []string{"propagation_p99<10m"},
			[]string{`bad SLO "propagation_p99<10m": propagation_p99 is not measured by the pull scenario, only by the propagation scenario`}},
		{"pull", []string{"p99_drift<1.5"},
			[]string{`bad SLO "p99_drift<1.5": p99_drift is not measured by the pull scenario, only by soak runs`}},
		{"propagation", []string{"p999<1s"},
			[]string{`bad SLO "p999<1s": p999 is not measured by the propagation scenario, only by the pull scenario`}},
		{"soak-propagation", []string{"invalid==0"},
			[]string{`bad SLO "invalid==0": invalid is not measured by a soak of the propagation scenario, only by the pull scenario`}},
		{"soak-pull", []string{"lost==0"},
			[]string{`bad SLO "lost==0": lost is not measured by a soak of the pull scenario, only by the propagation scenario`}},
		{"pull", []string{"p98<1s", "p99<1s", "lost==0", "success>=99"}, []string{
			`bad SLO "p98<1s": unknown metric "p98"; did you mean "p99"?`,
			`bad SLO "lost==0": lost is not measured by the pull scenario`,
			`bad SLO "success>=99": success is a ratio: 99 is over 1; did you mean 99%?`,
		}},
		{"soak-soak", []string{"p99<1s"}, []string{`bad SLO: unknown scenario "soak-soak"; want pull, propagation, soak-pull or soak-propagation`}},
		{"", []string{"p99<1s"}, []string{`bad SLO: unknown scenario ""`}},
	}
	for _, tt := range tests {
		os, err := slo.ParseAll(tt.exprs, tt.scenario)
		if err == nil {
			t.Errorf("ParseAll(%q, %q): got %v and no error", tt.exprs, tt.scenario, os)
			continue
		}
		if !errors.Is(err, slo.ErrSLO) {
			t.Errorf("ParseAll(%q, %q): got %v, want an error wrapping ErrSLO", tt.exprs, tt.scenario, err)
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tt.want) {
			t.Errorf("ParseAll(%q, %q): got %d errors %q, want %d", tt.exprs, tt.scenario, len(lines), lines, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(lines[i], w) {
				t.Errorf("ParseAll(%q, %q): got error %q, want it to start %q", tt.exprs, tt.scenario, lines[i], w)
			}
		}
	}
}

// TestMetricScenarios checks that ParseAll accepts every metric for every
// scenario the catalogue says measures it, soak runs of it included, and
// refuses it for the others.
func TestMetricScenarios(t *testing.T) {
	for _, m := range slo.Metrics() {
		has := func(s string) bool { return slices.Contains(m.Scenarios, s) }
		want := map[string]bool{
			"pull":             has("pull"),
			"propagation":      has("propagation"),
			"soak-pull":        has("pull") || has("soak"),
			"soak-propagation": has("propagation") || has("soak"),
		}
		expr := m.Name + ">=" + sample(m.Unit)
		for scenario, ok := range want {
			_, err := slo.ParseAll([]string{expr}, scenario)
			if (err == nil) != ok {
				t.Errorf("ParseAll(%q, %q): got error %v, want accepted %v", expr, scenario, err, ok)
			}
		}
	}
}

// sample is a threshold in unit u.
func sample(u slo.Unit) string {
	return map[slo.Unit]string{slo.Milliseconds: "1s", slo.Ratio: "50%", slo.Count: "1", slo.PerSecond: "1/s", slo.Factor: "1.5"}[u]
}
