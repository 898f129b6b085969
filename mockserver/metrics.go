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
	stale       prometheus.Counter     // late deliveries whose outcome was dropped
}

func newMetrics(depth func(context.Context) (uint64, uint64, error), room func() StoreReading) *metrics {
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
		stale: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "p4p_stale_deliveries_total",
			Help: "Late deliveries of a pull whose outcome was not stored: the user's record had moved on to a later pull, or the pull had ended.",
		}),
	}
	m.registry.MustRegister(m.pings, m.rejected, m.attempts, m.pulls, m.pullSeconds, m.propagation, m.stale,
		newQueueCollector(depth), storeCollector(room),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// queueCollector reports the queue's depth when it can be read, and
// otherwise leaves the gauge out and counts the failure: an unknown depth
// is not a depth of zero.
type queueCollector struct {
	depth  func(context.Context) (uint64, uint64, error)
	desc   *prometheus.Desc
	errors prometheus.Counter
}

func newQueueCollector(depth func(context.Context) (uint64, uint64, error)) *queueCollector {
	return &queueCollector{
		depth: depth,
		desc: prometheus.NewDesc("p4p_queue_depth",
			"Pulls waiting to start (pending) and started (running); absent when the queue cannot be read.",
			[]string{"stage"}, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "p4p_queue_depth_errors_total", Help: "Scrapes that could not read the queue's depth.",
		}),
	}
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.desc
	c.errors.Describe(ch)
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pending, running, err := c.depth(ctx)
	if err != nil {
		c.errors.Inc()
	} else {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(pending), "pending")
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(running), "running")
	}
	c.errors.Collect(ch)
}

// storeCollector reports the store's room as last measured (storage.go).
func storeCollector(room func() StoreReading) prometheus.Collector {
	return collectorFunc(func(ch chan<- prometheus.Metric) {
		r := room()
		gauge := func(name, help string, v int64) {
			ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(name, help, nil, nil), prometheus.GaugeValue, float64(v))
		}
		if r.Error == "" {
			gauge("p4p_store_used_bytes", "Bytes the mock's streams and buckets hold.", r.Used)
		}
		if r.Limit > 0 {
			gauge("p4p_store_limit_bytes", "Bytes the store may hold (--max-store).", r.Limit)
		}
		gauge("p4p_store_reserve_bytes", "Room kept for pulls under way; pings are refused below twice this.", r.Reserve)
		if r.DiskFree != nil {
			gauge("p4p_disk_free_bytes", "Free space on the embedded store's filesystem.", *r.DiskFree)
		}
		for _, st := range []storeState{storeOK, storeFull, storeExhausted} {
			v := 0.0
			if st.String() == r.State {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(storeStateDesc, prometheus.GaugeValue, v, st.String())
		}
	})
}

var storeStateDesc = prometheus.NewDesc("p4p_store_state",
	"1 for the store's state: ok, full (pings refused with 507) or exhausted (pulls paused too).", []string{"state"}, nil)

// collectorFunc is an unchecked collector: its series are described as
// they are collected.
type collectorFunc func(chan<- prometheus.Metric)

func (f collectorFunc) Describe(chan<- *prometheus.Desc)    {}
func (f collectorFunc) Collect(ch chan<- prometheus.Metric) { f(ch) }
