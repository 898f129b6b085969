package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/refapp"
	"p4p/reports"
	"p4p/token"
)

// overloadFactors are the multiples of the rated ping load the overload
// step offers: within it, at it, and twice it (issue 5).
var overloadFactors = []float64{0.5, 1, 2}

// overload is the rated ping load and what the mock did at multiples of it.
type overload struct {
	rated float64 // pings acknowledged/s, closed loop, pulls running
	runs  []overloadRun
}

// overloadRun is one open-loop run of p4p load propagation against a mock
// process at a multiple of the rated load.
type overloadRun struct {
	factor    float64
	rate      int
	summary   *reports.Load
	peakRSS   int64         // the mock's, over the run
	firstPing time.Duration // after the run: until a ping was acknowledged
	drained   time.Duration // after the run: until no pull was queued or running
	command   string
}

// benchOverload measures the rated load, the mock's ping capacity with pulls
// running (wrk, closed loop, as in the pings step), then offers the mock
// multiples of it, open loop, with p4p load propagation: every ping is
// acknowledged, refused with 429 or unanswered, and every acknowledged one
// must end in an update (lost==0). After each run it times the recovery.
func benchOverload(ctx context.Context, c config, r *report) error {
	rated, err := ratedLoad(ctx, c)
	if err != nil {
		return err
	}
	o := &overload{rated: rated}
	for _, f := range overloadFactors {
		run, err := overloadAt(ctx, c, f, int(f*rated))
		if err != nil {
			return fmt.Errorf("%.1f× the rated load: %w", f, err)
		}
		o.runs = append(o.runs, run)
	}
	r.overload = o
	return nil
}

// ratedLoad is wrk's rate of acknowledged pings against a mock with pulls
// running against the reference endpoint.
func ratedLoad(ctx context.Context, c config) (float64, error) {
	users := refapp.SyntheticUsers(c.pingUsers)
	m, p, err := pipeline(ctx, c, users)
	if err != nil {
		return 0, err
	}
	defer m.stop()
	defer p.Close()
	ids, err := idsFile(users)
	if err != nil {
		return 0, err
	}
	defer os.Remove(ids)
	tok, err := token.System(network, key, 24*time.Hour, time.Now())
	if err != nil {
		return 0, err
	}
	return wrkMock(ctx, c, m.url, tok, ids)
}

func overloadAt(ctx context.Context, c config, factor float64, rate int) (overloadRun, error) {
	run := overloadRun{factor: factor, rate: rate}
	users := refapp.SyntheticUsers(c.propUsers)
	m, p, err := pipeline(ctx, c, users)
	if err != nil {
		return run, err
	}
	defer m.stop()
	defer p.Close()
	dir, err := os.MkdirTemp("", "p4p-bench-overload-*")
	if err != nil {
		return run, err
	}
	defer os.RemoveAll(dir)
	argv := []string{c.binary, "load", "propagation", "--livefyre", m.url, "--pull-url", p.PullURL,
		"--network", network, "--rate", fmt.Sprintf("%d/s", rate), "--duration", c.propDuration.String(),
		"--user-count", strconv.Itoa(c.propUsers), "--max-workers", strconv.Itoa(c.overloadWorkers),
		"--drain", "2m", "--slo", "lost==0", "--report-dir", dir, "-q"}
	_, _, runErr := runTool(ctx, argv, "P4P_NETWORK_KEY="+key)
	if run.summary, err = reports.ReadLoadDir(dir); err != nil {
		if runErr != nil {
			return run, runErr
		}
		return run, err
	}
	if _, run.peakRSS, err = m.rss(); err != nil {
		return run, err
	}
	if run.firstPing, run.drained, err = recovery(ctx, p.Livefyre(), m.url); err != nil {
		return run, err
	}
	shown := append([]string(nil), argv...)
	for i, a := range shown {
		switch a {
		case m.url:
			shown[i] = "$MOCK"
		case p.PullURL:
			shown[i] = "$PULL_URL"
		}
	}
	run.command = strings.ReplaceAll(strings.ReplaceAll(shellLine(shown, nil, dir), "'$MOCK'", `"$MOCK"`), "'$PULL_URL'", `"$PULL_URL"`)
	return run, nil
}

// recovery times, once the load has stopped, the first acknowledged ping
// and the queue's drain to empty.
func recovery(ctx context.Context, client *livefyre.Client, url string) (firstPing, drained time.Duration, err error) {
	start := time.Now()
	for {
		if _, err := client.Ping(ctx, "u-0001"); err == nil {
			break
		}
		if ctx.Err() != nil {
			return 0, 0, ctx.Err()
		}
		time.Sleep(10 * time.Millisecond)
	}
	firstPing = time.Since(start)
	for {
		pending, running, err := client.QueueDepth(ctx)
		if err != nil {
			return 0, 0, err
		}
		if pending+running == 0 {
			return firstPing, time.Since(start), nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (o *overload) write(w io.Writer, c config) {
	fmt.Fprintf(w, "\n### Overload\n\n")
	fmt.Fprintf(w, "Rated load: %s pings acknowledged/s, wrk (%d connections, %s, closed loop) against a mock "+
		"process with pulls running against the reference endpoint. Then p4p load propagation offered multiples of "+
		"it open loop (Vegeta's constant pacer, at most %d workers) for %s over %s users to a fresh mock process "+
		"(default `--max-inflight` %d), both on the same %s; a ping is acknowledged (200), refused (429 with "+
		"Retry-After) or unanswered, and every acknowledged one must be stored (`lost==0`).\n\n",
		grouped(o.rated), c.connections, c.duration, c.overloadWorkers, c.propDuration, grouped(float64(c.propUsers)),
		mockserver.DefaultMaxInflight, machine())
	fmt.Fprintln(w, "| offered | achieved | acknowledged | refused 429 | other failures | lost | ping p99 | update p99 | mock peak RSS | first ping after | queue drained after |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range o.runs {
		l, p := r.summary, r.summary.Propagation
		if p == nil {
			fmt.Fprintf(w, "| %.1f× (%s/s) | no propagation figures | | | | | | | | | |\n", r.factor, grouped(float64(r.rate)))
			continue
		}
		refused := int64(l.Status["429"])
		fmt.Fprintf(w, "| %.1f× (%s/s) | %s/s | %s | %s | %s | %d | %.1f ms | %.0f ms | %.0f MB | %s | %s |\n",
			r.factor, grouped(float64(r.rate)), grouped(l.Rate.Achieved), grouped(float64(p.Acknowledged)),
			grouped(float64(refused)), grouped(float64(p.Rejected-refused+p.Failed)), p.Lost, l.Latency.P99,
			p.Latency.P99, mb(r.peakRSS), r.firstPing.Round(time.Millisecond), r.drained.Round(time.Millisecond))
	}
	fmt.Fprintf(w, "\nCommands (`$MOCK` the mock process, `$PULL_URL` the reference endpoint in the bench process, "+
		"`$DIR` a temporary directory):\n\n```sh\n")
	for _, r := range o.runs {
		fmt.Fprintln(w, strings.TrimSpace(r.command))
	}
	fmt.Fprintln(w, "```")
}
