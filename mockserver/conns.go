package mockserver

import (
	"github.com/prometheus/client_golang/prometheus"

	"p4p/internal/serve"
)

// connLimits are the bounds on the mock's inbound connections.
func (c Config) connLimits() serve.Limits {
	return serve.Limits{MaxConns: c.MaxConns, IdleTimeout: c.IdleTimeout, ReadHeaderTimeout: c.ReadHeaderTimeout}
}

// connCollectors report the inbound connections: open, idle, and closed
// to make room at the cap.
func connCollectors(srv *serve.Server) []prometheus.Collector {
	conns := func(state string, n func(serve.Stats) int) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "p4p_http_connections", Help: "Inbound HTTP connections open, and of those idle between requests.",
			ConstLabels: prometheus.Labels{"state": state},
		}, func() float64 { return float64(n(srv.Stats())) })
	}
	return []prometheus.Collector{
		conns("open", func(s serve.Stats) int { return s.Open }),
		conns("idle", func(s serve.Stats) int { return s.Idle }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "p4p_http_connections_evicted_total",
			Help: "Idle inbound connections closed to make room for new ones at the connection cap (MaxConns).",
		}, func() float64 { return float64(srv.Stats().Evicted) }),
	}
}
