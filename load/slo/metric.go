package slo

import (
	"slices"
	"strings"
)

// The scenarios a metric can be measured by, as Metric.Scenarios names
// them. A soak run measures what the scenario it runs measures, plus the
// metrics of SoakRun.
const (
	PullScenario        = "pull"
	PropagationScenario = "propagation"
	SoakRun             = "soak"
)

// Metric is one measurement of a load run an objective can be set on.
type Metric struct {
	Name        string   // as written in expressions, e.g. "p99"
	Unit        Unit     // of its values and thresholds
	Description string   // one sentence
	Scenarios   []string // PullScenario, PropagationScenario, SoakRun
}

// Metrics returns the catalogue of metrics, in the order the reports list
// them. The caller may modify the result.
func Metrics() []Metric {
	ms := make([]Metric, len(catalogue))
	for i, m := range catalogue {
		ms[i] = m.clone()
	}
	return ms
}

func (m Metric) clone() Metric {
	m.Scenarios = slices.Clone(m.Scenarios)
	return m
}

var (
	pullOnly = []string{PullScenario}
	both     = []string{PullScenario, PropagationScenario}
	propOnly = []string{PropagationScenario}
	soakOnly = []string{SoakRun}
)

// catalogue is every metric. For propagation, the request metrics
// describe the ping requests.
var catalogue = []Metric{
	{"requests", Count, "Requests sent (for propagation, pings sent).", both},
	{"success", Ratio, "Valid responses over requests sent (for propagation, pings acknowledged over pings sent).", both},
	{"throughput", PerSecond, "Valid responses per second of the run (for propagation, pings acknowledged per second).", both},
	{"errors", Count, "Transport errors: requests that got no response (refused, reset, timed out).", both},
	{"invalid", Count, "Responses that failed validation (status, content type, JSON, schema or id).", pullOnly},
	{"achieved", Ratio, "Requests sent over the requests the target rate scheduled (1 at max rate).", both},
	{"min", Milliseconds, "The fastest request's latency.", pullOnly},
	{"mean", Milliseconds, "The mean request latency (k6's avg).", pullOnly},
	{"p50", Milliseconds, "The median request latency (k6's med or p(50)); for propagation, of the pings.", both},
	{"p90", Milliseconds, "The 90th percentile of request latency; for propagation, of the pings.", both},
	{"p95", Milliseconds, "The 95th percentile of request latency; for propagation, of the pings.", both},
	{"p99", Milliseconds, "The 99th percentile of request latency; for propagation, of the pings.", both},
	{"p999", Milliseconds, "The 99.9th percentile of request latency (k6's p(99.9)).", pullOnly},
	{"max", Milliseconds, "The slowest request's latency; for propagation, of the pings.", both},

	{"pings", Count, "Pings sent.", propOnly},
	{"acknowledged", Count, "Pings the mock Livefyre answered 200.", propOnly},
	{"updated", Count, "Acknowledged pings whose update was stored.", propOnly},
	{"lost", Count, "Acknowledged pings whose update never arrived by the end of the drain.", propOnly},
	{"failed", Count, "Acknowledged pings whose pull failed for good.", propOnly},
	{"within_promise", Ratio, "Acknowledged pings updated within Livefyre's 10-minute promise divided by the time scale, over acknowledged pings.", propOnly},
	{"propagation_p50", Milliseconds, "The median ping-to-update latency.", propOnly},
	{"propagation_p90", Milliseconds, "The 90th percentile of ping-to-update latency.", propOnly},
	{"propagation_p95", Milliseconds, "The 95th percentile of ping-to-update latency.", propOnly},
	{"propagation_p99", Milliseconds, "The 99th percentile of ping-to-update latency.", propOnly},
	{"propagation_max", Milliseconds, "The slowest ping-to-update latency.", propOnly},
	{"propagation_mean", Milliseconds, "The mean ping-to-update latency.", propOnly},
	{"visible_within_promise", Ratio, "Acknowledged pings visible in the app within the combined promise (10 minutes for the pull plus the bootstrap cadence's maximum, both over the time scale), over acknowledged pings.", propOnly},
	{"not_visible", Count, "Updated pings the app's view did not show by the end of the drain.", propOnly},
	{"visible_p50", Milliseconds, "The median ping-to-visible latency (the first bootstrap refresh that shows the update).", propOnly},
	{"visible_p99", Milliseconds, "The 99th percentile of ping-to-visible latency.", propOnly},
	{"visible_max", Milliseconds, "The slowest ping-to-visible latency.", propOnly},
	{"queue_max", Count, "The deepest pending pull queue sampled.", propOnly},

	{"p99_drift", Factor, "The last full window's p99 over the first's.", soakOnly},
	{"error_drift", Ratio, "The last full window's error ratio minus the first's; negative when errors fell.", soakOnly},
	{"heap_growth_mb", Count, "The harness's heap growth in MB from the end of the first window to the end of the run; negative when it shrank.", soakOnly},
}

// aliases are k6's names for metrics, other than p(N).
var aliases = map[string]string{"avg": "mean", "med": "p50"}

// percentiles map the N of k6's p(N), in lowest terms, to metrics.
var percentiles = map[string]string{"50": "p50", "90": "p90", "95": "p95", "99": "p99", "999/10": "p999"}

// metricNames lists every metric's name, for error messages.
func metricNames() string {
	names := make([]string, len(catalogue))
	for i, m := range catalogue {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

// findMetric returns the metric named name, aliases included.
func findMetric(name string) (Metric, bool) {
	if canonical, ok := aliases[name]; ok {
		name = canonical
	}
	for _, m := range catalogue {
		if m.Name == name {
			return m.clone(), true
		}
	}
	return Metric{}, false
}
