package mockserver

import (
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// localRetry is how long a pull that could not dial for local reasons
// waits before it tries again, before TimeScale (and no less than
// minLocalRetry after it).
const (
	localRetry    = time.Second
	minLocalRetry = 10 * time.Millisecond
	// maxLocalRetries bounds the local retries of one pull: past them the
	// failure counts as an attempt, so that one that does not pass (an
	// address family this host lacks gives EADDRNOTAVAIL for good) still
	// ends in an outcome, after MaxAttempts of them.
	maxLocalRetries = 60
)

// localDialFailure says whether err is a dial that failed for want of a
// resource of this host: no file descriptor (EMFILE, ENFILE), no local
// port (EADDRNOTAVAIL), no buffer or memory (ENOBUFS, ENOMEM). Such a
// failure says nothing about the Pull endpoint, so it is no attempt of
// the pull's. A refused or unreachable connection, a timeout or a TLS
// failure is the endpoint's (or its network's), and counts.
func localDialFailure(err error) bool {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		return false
	}
	var errno syscall.Errno
	if !errors.As(op.Err, &errno) {
		return false
	}
	switch errno {
	case syscall.EMFILE, syscall.ENFILE, syscall.EADDRNOTAVAIL, syscall.ENOBUFS, syscall.ENOMEM:
		return true
	}
	return false
}

// dialHealth follows whether pulls can dial: it logs once when they
// cannot for local reasons and once when they can again, not per attempt,
// and counts the failures.
type dialHealth struct {
	log      *slog.Logger
	blocked  atomic.Bool
	mu       sync.Mutex
	retries  map[string]int // local retries by pull id, while they last
	failures prometheus.Counter
	gauge    prometheus.GaugeFunc
}

func newDialHealth(log *slog.Logger, reg prometheus.Registerer) *dialHealth {
	d := &dialHealth{log: log, retries: map[string]int{}}
	d.failures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "p4p_pull_local_dial_failures_total",
		Help: "Pull requests that could not dial for local reasons (no file descriptor, no local port, no buffer); retried, not counted as attempts.",
	})
	d.gauge = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "p4p_pull_dial_blocked", Help: "1 while the last pull could not dial for local reasons, else 0.",
	}, func() float64 {
		if d.blocked.Load() {
			return 1
		}
		return 0
	})
	reg.MustRegister(d.failures, d.gauge)
	return d
}

// local records what an attempt's dial came to, and reports whether it
// failed for local reasons and is to be retried as no attempt: false past
// maxLocalRetries for the pull, when it counts as one.
func (d *dialHealth) local(a attempt, pullID string) bool {
	if a.local {
		d.failures.Inc()
		if d.blocked.CompareAndSwap(false, true) {
			d.log.Warn("pulls cannot dial for local reasons; retrying them without counting attempts", "err", a.err)
		}
		return d.retry(pullID)
	}
	d.mu.Lock()
	delete(d.retries, pullID)
	d.mu.Unlock()
	if a.canceled {
		return false
	}
	if d.blocked.CompareAndSwap(true, false) {
		d.log.Info("pulls dial again")
	}
	return false
}

func (d *dialHealth) retry(pullID string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := d.retries[pullID] + 1
	if n > maxLocalRetries {
		delete(d.retries, pullID)
		return false
	}
	d.retries[pullID] = n
	return true
}
