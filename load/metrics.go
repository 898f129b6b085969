package load

import "p4p/reports"

// sloScenario names the run for the SLO catalogue: "pull",
// "propagation", or "soak-pull" / "soak-propagation".
func sloScenario(s Scenario) string {
	if s.Kind == Soak {
		return "soak-" + string(s.Of)
	}
	return string(s.Kind)
}

// sloValues are the run's figures by the names SLOs use (see package
// load/slo), in the catalogue's units: latencies in milliseconds, ratios
// in [0, 1].
func sloValues(l *reports.Load) map[string]float64 {
	m := map[string]float64{
		"requests":   float64(l.Requests.Total),
		"success":    l.Requests.Success,
		"throughput": l.Requests.Throughput,
		"errors":     float64(l.Requests.TransportErrors),
		"invalid":    float64(l.Requests.Invalid),
		"achieved":   l.Rate.Ratio,
		"min":        l.Latency.Min,
		"mean":       l.Latency.Mean,
		"p50":        l.Latency.P50,
		"p90":        l.Latency.P90,
		"p95":        l.Latency.P95,
		"p99":        l.Latency.P99,
		"p999":       l.Latency.P999,
		"max":        l.Latency.Max,
	}
	if p := l.Propagation; p != nil {
		for k, v := range map[string]float64{
			"pings": float64(p.Pings), "acknowledged": float64(p.Acknowledged),
			"lost": float64(p.Lost), "failed": float64(p.Failed), "updated": float64(p.Updated),
			"within_promise":         p.WithinPromise,
			"propagation_p50":        p.Latency.P50,
			"propagation_p90":        p.Latency.P90,
			"propagation_p95":        p.Latency.P95,
			"propagation_p99":        p.Latency.P99,
			"propagation_max":        p.Latency.Max,
			"propagation_mean":       p.Latency.Mean,
			"queue_max":              float64(p.MaxQueuePending),
			"visible_within_promise": p.WithinVisiblePromise,
			"not_visible":            float64(p.NotVisible),
			"visible_p50":            p.Visible.P50,
			"visible_p99":            p.Visible.P99,
			"visible_max":            p.Visible.Max,
		} {
			m[k] = v
		}
	}
	if d := l.Drift; d != nil {
		m["p99_drift"], m["error_drift"], m["heap_growth_mb"] = d.P99Ratio, d.ErrorRateDelta, d.HeapGrowthMB
	}
	return m
}
