package mockserver

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the mock's Prometheus series, on a registry of its own so
// that several mocks can run in one process.
type metrics struct {
	registry    *prometheus.Registry
	pings       *prometheus.CounterVec // result: queued, coalesced
	rejected    *prometheus.CounterVec // reason: the error code
	attempts    *prometheus.CounterVec // result: ok, retry, fail
	pulls       *prometheus.CounterVec // outcome: succeeded, failed
	pullSeconds prometheus.Histogram   // one attempt's HTTP duration
	propagation prometheus.Histogram   // ping to stored profile
}

func newMetrics(depth func(context.Context) (uint64, uint64)) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		pings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "p4p_pings_total", Help: "Pings acknowledged, by whether they queued a pull or joined a pending one.",
		}, []string{"result"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "p4p_ping_rejections_total", Help: "Pings refused, by reason.",
		}, []string{"reason"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "p4p_pull_attempts_total", Help: "HTTP requests to the Pull endpoint, by result.",
		}, []string{"result"}),
		pulls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "p4p_pulls_total", Help: "Pulls finished, by outcome.",
		}, []string{"outcome"}),
		pullSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "p4p_pull_duration_seconds", Help: "Duration of one pull attempt.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 18),
		}),
		propagation: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "p4p_propagation_seconds", Help: "Time from the ping that queued a pull to the stored profile.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 20),
		}),
	}
	queueDepth := func(stage string, pick func(p, r uint64) uint64) prometheus.GaugeFunc {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "p4p_queue_depth", Help: "Pulls waiting to start (pending) and started (running).",
			ConstLabels: prometheus.Labels{"stage": stage},
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			return float64(pick(depth(ctx)))
		})
	}
	m.registry.MustRegister(m.pings, m.rejected, m.attempts, m.pulls, m.pullSeconds, m.propagation,
		queueDepth("pending", func(p, _ uint64) uint64 { return p }),
		queueDepth("running", func(_, r uint64) uint64 { return r }),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
