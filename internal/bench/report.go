package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"time"
)

// report holds one run's figures.
type report struct {
	started     time.Time
	bareRPS     float64
	pingRPS     float64 // the ping path alone
	pingPullRPS float64 // with pulls running against the reference integrator
	pulls       *pullsRun
	latencies   []float64 // ms, sorted
	rss         int64
	peakRSS     int64
	ran         map[string]bool // the steps run, by key

	followers       *followersRun
	loadPull        *loadPull
	loadPropagation *loadPropagation
	overload        *overload
	replicas        *replicasRun

	// CPU per response on the ping path alone: the mock's, and the bare
	// handler's (0 where it cannot be read).
	pingCPU, bareCPU time.Duration
	// wrkCPU is wrk's own CPU per request against the bare handler.
	wrkCPU time.Duration
	// floors are JetStream's least costs (floor.go); nil where the CPU
	// cannot be read.
	floors *floors
}

func (r *report) write(w io.Writer, c config) {
	fmt.Fprintf(w, "Run of %s on %s.\n\n", r.started.UTC().Format("2006-01-02 15:04 MST"), machine())
	if r.ran["pings"] || r.ran["pulls"] || r.ran["latency"] || r.ran["memory"] {
		r.writeMock(w, c)
	}
	if r.followers != nil {
		r.followers.write(w)
	}
	if r.loadPull != nil {
		r.loadPull.write(w, c)
	}
	if r.loadPropagation != nil {
		r.loadPropagation.write(w, c)
	}
	if r.overload != nil {
		r.overload.write(w, c)
	}
	if r.replicas != nil {
		r.replicas.write(w, c)
	}
}

// writeMock writes the mock's figures, those of the steps run.
func (r *report) writeMock(w io.Writer, c config) {
	p50, p99, max := quantile(r.latencies, 0.50), quantile(r.latencies, 0.99), quantile(r.latencies, 1)
	fmt.Fprintln(w, "| figure | p4p | peer (same run) | ratio | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	pings := func(what string, rps float64) {
		fmt.Fprintf(w, "| pings acknowledged/s, %s (wrk, %d conns, %s) | %.0f | bare Go handler: %.0f | %.2f× | ≥ 10,000/s and ≥ 0.5× | %s |\n",
			what, c.connections, c.duration, rps, r.bareRPS, rps/r.bareRPS, yes(rps >= 10_000 && rps >= r.bareRPS/2))
	}
	if r.ran["pings"] {
		pings("ping path alone (--delay 1h)", r.pingRPS)
		if r.pingCPU > 0 && r.bareCPU > 0 {
			fmt.Fprintf(w, "| CPU per acknowledged ping, ping path alone (the mock's process) | %.1f µs | bare Go handler: %.1f µs | %.2f× | reported | |\n",
				us(r.pingCPU), us(r.bareCPU), us(r.pingCPU)/us(r.bareCPU))
		}
		if f := r.floors; f != nil && r.bareCPU > 0 {
			// The handler's work plus the one store a ping cannot do
			// without, wrk's share of the CPUs beside either: no mock
			// storing each ping before its 200 can pass this ratio.
			ceiling := pingCeiling(r.bareCPU, f.publish, r.wrkCPU)
			fmt.Fprintf(w, "| the ping ratio's ceiling: the bare handler (%.1f µs) + one durable JetStream publish (%.1f µs, measured alone), wrk's %.1f µs a request beside each | %.2f× | | | 0.5× within it | %s |\n",
				us(r.bareCPU), us(f.publish), us(r.wrkCPU), ceiling, yes(ceiling >= 0.5))
			if r.pingCPU > 0 {
				// At 0.5× a ping may take the CPU of two bare answers and
				// a wrk request: what is left beyond the bare handler's
				// work and the publish is all the rest of a ping may cost.
				fmt.Fprintf(w, "| what 0.5× leaves a ping beyond the bare handler's work and the publish (the token check, the answer, the history record, the events) | %.1f µs | the mock spends %.1f µs on them | | reported | |\n",
					us(pingBudget(r.bareCPU, f.publish, r.wrkCPU)), us(r.pingCPU-r.bareCPU-f.publish))
			}
		}
		pings("pulls running against the reference endpoint", r.pingPullRPS)
	}
	if r.pulls != nil {
		fmt.Fprint(w, r.pulls.row(c))
		if f := r.floors; f != nil && r.pulls.mockCPU > 0 {
			// A pull needs at the least its ping's publish, its
			// record's read and write, and its delivery and ack.
			least := f.publish + f.record + f.deliver
			fmt.Fprintf(w, "| JetStream's least for a ping and its pull: publish %.1f + record %.1f + delivery and ack %.1f µs, measured alone | %.0f µs | the mock's CPU per pull: %s | %.2f of it | reported | |\n",
				us(f.publish), us(f.record), us(f.deliver), us(least), perResponse(r.pulls.mockCPU, int64(c.pulls)),
				float64(least)/(float64(r.pulls.mockCPU)/float64(c.pulls)))
			// The mock and the endpoint share the machine's CPUs, as wrk
			// and the endpoint do: a mock that did nothing but these
			// operations (no HTTP at all, no validation, no events), its
			// requests costing the endpoint no more than wrk's do, could
			// make at most this many pulls a second.
			if endpoint := r.pulls.endpointWrk; endpoint > 0 && r.pulls.wrk > 0 {
				cpus := runtime.GOMAXPROCS(0) // the CPUs this process may use, quotas counted
				most, ratio := pullsCeiling(cpus, endpoint, least, r.pulls.wrk)
				fmt.Fprintf(w, "| the pulls ratio's ceiling: %d CPUs over the endpoint's CPU per response to wrk (%.0f µs) and JetStream's least | %.0f pulls/s | wrk: %.0f | %.2f× | %.2f× within it | %s |\n",
					cpus, us(endpoint), most, r.pulls.wrk, ratio, pullsTarget, yes(ratio >= pullsTarget))
			}
		}
	}
	if r.ran["latency"] {
		fmt.Fprintf(w, "| ping-to-update at %d pings/s, no delay (%d pings) | p50 %.1f ms, p99 %.1f ms, max %.1f ms | | | p99 < 50 ms | %s |\n",
			c.rate, len(r.latencies), p50, p99, max, yes(p99 < 50))
	}
	if r.ran["memory"] {
		fmt.Fprintf(w, "| resident memory, %d pulls queued | %.0f MB (peak %.0f MB) | | | < 300 MB | %s |\n",
			c.queued, mb(r.rss), mb(r.peakRSS), yes(mb(r.peakRSS) < 300))
	}
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}
