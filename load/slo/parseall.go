package slo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// scenarios map the scenarios ParseAll knows to the Metric.Scenarios
// that they measure. A soak run measures what the scenario it runs
// measures, and the drift between its first and last windows; "soak"
// alone is a soak of the pull scenario, as load.Scenario.Of defaults to
// pull.
var scenarios = map[string][]string{
	"pull":             {PullScenario},
	"propagation":      {PropagationScenario},
	"soak":             {PullScenario, SoakRun},
	"soak-pull":        {PullScenario, SoakRun},
	"soak-propagation": {PropagationScenario, SoakRun},
}

// ParseAll parses every expression and checks that the scenario measures
// its metric. The scenario is "pull", "propagation", or for a soak run
// "soak-" and the scenario it runs ("soak-pull", "soak-propagation";
// "soak" alone is "soak-pull"). Its error joins one error per bad
// expression, each wrapping ErrSLO.
func ParseAll(exprs []string, scenario string) ([]Objective, error) {
	measured, ok := scenarios[scenario]
	if !ok {
		return nil, fmt.Errorf("%w: unknown scenario %q; want pull, propagation, soak-pull or soak-propagation", ErrSLO, scenario)
	}
	var errs []error
	objectives := make([]Objective, 0, len(exprs))
	for _, expr := range exprs {
		o, err := Parse(expr)
		if err == nil && !measures(measured, o.Metric) {
			err = exprError(o.Expr, notMeasured(o.Metric, scenario))
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		objectives = append(objectives, o)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return objectives, nil
}

// measures reports whether a scenario measuring measured measures m.
func measures(measured []string, m Metric) bool {
	for _, s := range m.Scenarios {
		if slices.Contains(measured, s) {
			return true
		}
	}
	return false
}

// notMeasured says that scenario does not measure m, and what does.
func notMeasured(m Metric, scenario string) error {
	by := make([]string, len(m.Scenarios))
	for i, s := range m.Scenarios {
		by[i] = "the " + s + " scenario"
		if s == SoakRun {
			by[i] = "soak runs"
		}
	}
	return problem("%s is not measured by %s, only by %s", m.Name, describeScenario(scenario), strings.Join(by, " and "))
}

// describeScenario names a scenario ParseAll knows in a sentence.
func describeScenario(s string) string {
	switch s {
	case "soak", "soak-pull":
		return "a soak of the pull scenario"
	case "soak-propagation":
		return "a soak of the propagation scenario"
	}
	return "the " + s + " scenario"
}
