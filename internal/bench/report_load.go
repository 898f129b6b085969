package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"time"

	"p4p/load"
)

func (lp *loadPull) write(w io.Writer, c config) {
	fmt.Fprintf(w, "\n### Pull scenario at maximum rate\n\n")
	fmt.Fprintf(w, "In each setting one `p4p refapp` process (%s synthetic users, every documented field, plain HTTP on 127.0.0.1) "+
		"served each generator in turn for %s, %d workers (wrk: %d connections, 2 threads), in the order %s; rounds: %d. Only p4p load "+
		"validates each response (status, Content-Type, JSON schema, id); Vegeta counts 2xx and 3xx as successes, "+
		"wrk counts every response. Every generator shares the machine's %d CPUs with the endpoint. Peers: %s; %s. "+
		"Load average (1, 5, 15 min) before: %s; after: %s.\n",
		grouped(float64(c.loadUsers)), c.loadDuration, c.loadWorkers, c.loadWorkers, peerNames(), c.loadRounds,
		runtime.NumCPU(), lp.vegeta, lp.wrk, lp.loadAvg[0], lp.loadAvg[1])
	for _, s := range lp.settings {
		s.write(w, c)
	}
}

func (s pullRuns) write(w io.Writer, c config) {
	fmt.Fprintf(w, "\n#### %s\n\nThe endpoint served %s.\n\n", s.name, s.about)
	fmt.Fprintln(w, "| round | generator | responses/s | responses counted | not counted | generator CPU (cores) | per response | endpoint CPU (cores) | per response |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for i, round := range s.rounds {
		for _, p := range round {
			fmt.Fprintf(w, "| %d | %s | %s | %s | %d | %s | %s | %s | %s |\n", i+1, p.peer, grouped(p.perSec),
				grouped(float64(p.counted)), p.bad, cores(p.cpu, c.loadDuration), perResponse(p.cpu, p.counted),
				cores(p.endpoint, c.loadDuration), perResponse(p.endpoint, p.counted))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| figure |%s target | met |\n", roundHeads(len(s.rounds)))
	fmt.Fprintf(w, "|---|%s---|---|\n", strings.Repeat("---|", len(s.rounds)))
	s.ratioRow(w, "p4p load valid/s over Vegeta's successful/s", 1, s.vegeta)
	s.ratioRow(w, "p4p load valid/s over wrk's responses/s", 2, s.wrk)
	fmt.Fprint(w, "| p4p load CPU per validated response (summary.json `cpu_per_valid_ms`) |")
	for _, round := range s.rounds {
		fmt.Fprintf(w, " %.3f ms |", round[0].cpuPerValidMS)
	}
	fmt.Fprintln(w, " reported | |")
	fmt.Fprintf(w, "\nCommands (`$DIR` a private temporary directory, removed after; the network key in the environment, "+
		"the system token only in `$DIR`'s files):\n\n```sh\n%s\n```\n", strings.Join(s.commands, "\n"))
}

// ratioRow writes p4p load's rate over peer i's, round by round.
func (s pullRuns) ratioRow(w io.Writer, figure string, i int, target float64) {
	fmt.Fprintf(w, "| %s |", figure)
	var met []string
	for _, round := range s.rounds {
		ratio := round[0].perSec / round[i].perSec
		fmt.Fprintf(w, " %.2f× |", ratio)
		met = append(met, yes(ratio >= target))
	}
	fmt.Fprintf(w, " ≥ %.1f× | %s |\n", target, strings.Join(met, ", "))
}

func (lp *loadPropagation) write(w io.Writer, c config) {
	l := lp.summary
	p := l.Propagation
	if p == nil {
		fmt.Fprintf(w, "\n### Propagation\n\nThe summary has no propagation figures.\n")
		return
	}
	fmt.Fprintf(w, "\n### Propagation at %s pings/s\n\n", grouped(float64(c.propRate)))
	fmt.Fprintf(w, "The embedded default: the mock Livefyre and the reference endpoint inside the p4p load process, "+
		"no delay (time scale %g), %s users, pinged for %s.\n\n", p.TimeScale, grouped(float64(l.Users)), c.propDuration)
	fmt.Fprintln(w, "| figure | p4p load | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|")
	fmt.Fprintf(w, "| pings sent | %s | | |\n", grouped(float64(p.Pings)))
	fmt.Fprintf(w, "| achieved rate | %s/s, %.3f of %s | ≥ %.2f of the target | %s |\n", grouped(l.Rate.Achieved),
		l.Rate.Ratio, l.Rate.Target, load.MinAchieved, yes(l.Rate.Ratio >= load.MinAchieved))
	fmt.Fprintf(w, "| acknowledged (of which coalesced into a pending pull) | %s (%s) | | |\n",
		grouped(float64(p.Acknowledged)), grouped(float64(p.Coalesced)))
	fmt.Fprintf(w, "| updated / failed / lost | %s / %d / %d | 0 lost | %s |\n",
		grouped(float64(p.Updated)), p.Failed, p.Lost, yes(p.Lost == 0))
	fmt.Fprintf(w, "| ping-to-update | p50 %s, p99 %s, max %s | p99 < %s | %s |\n",
		millis(p.Latency.P50), millis(p.Latency.P99), millis(p.Latency.Max), millis(propP99Target),
		yes(p.Updated > 0 && p.Latency.P99 < propP99Target))
	b := queueBacklog(l)
	fmt.Fprintf(w, "| queue backlog (pending + running) sampled while pinging | %s | bounded: not growing | %s |\n",
		b, b.met(c.propRate))
	fmt.Fprintf(w, "| elapsed, pinging then draining until every ping is resolved | %.1f s (pinging %.1f s) | | |\n",
		l.ElapsedMS/1000, l.PlannedMS/1000)
	fmt.Fprintf(w, "| pulls started / succeeded / retried / failed | %s / %s / %d / %d | | |\n",
		grouped(float64(p.Pulls.Started)), grouped(float64(p.Pulls.Succeeded)), p.Pulls.Retried, p.Pulls.Failed)
	fmt.Fprintf(w, "| deepest queue | %s pending, %s running | | |\n",
		grouped(float64(p.MaxQueuePending)), grouped(float64(p.MaxQueueRunning)))
	fmt.Fprintf(w, "| p4p load's verdict | %s | | |\n", verdict(l.Passed, l.Failures))
	fmt.Fprintf(w, "\nCommand (`$DIR` a temporary directory, removed after):\n\n```sh\n%s\n```\n", lp.command)
}

func peerNames() string {
	var names []string
	for _, p := range peers {
		names = append(names, p.name)
	}
	return strings.Join(names, ", ")
}

func roundHeads(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " round %d |", i+1)
	}
	return b.String()
}

// cores is CPU time as seconds and as cores busy over d.
func cores(cpu, d time.Duration) string {
	return fmt.Sprintf("%.1f s (%.2f)", cpu.Seconds(), cpu.Seconds()/d.Seconds())
}

func perResponse(cpu time.Duration, n int64) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f µs", float64(cpu.Microseconds())/float64(n))
}

func millis(ms float64) string {
	if ms >= 1000 {
		return fmt.Sprintf("%s ms", grouped(ms))
	}
	return fmt.Sprintf("%.1f ms", ms)
}

func verdict(passed bool, failures []string) string {
	if passed {
		return "passed"
	}
	if len(failures) == 0 {
		return "**failed** (SLO)"
	}
	return "**failed**: " + strings.Join(failures, "; ")
}

// grouped is f rounded to a whole number, with commas between thousands.
func grouped(f float64) string {
	s := strconv.FormatInt(int64(math.Round(f)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
