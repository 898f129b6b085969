package conformance

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"p4p"
	"p4p/refapp"
)

func performanceSpecs() []Spec {
	return []Spec{{
		ID: "P4P-PERF-001", Requirement: "Pull latency p95 stays under the latency budget over a short burst", Level: Should,
		Source: "spec 1.1, 7", Labels: []string{LabelPerformance}, Needs: needsValidPull,
		BrokenBy: refapp.FaultSlow, Check: burstLatency,
		Fix: "Make the pull cheap: serve it from an index on the user id, without calls to other services on the request path.",
	}}
}

// timedPull is one pull of the burst.
type timedPull struct {
	req      *http.Request
	resp     *http.Response
	reply    reply
	err      error
	duration time.Duration
}

// burstLatency sends Burst valid pulls, Concurrency at a time, cycling
// through the users, and compares their p95 with the budget. Only the
// slowest exchange is kept as evidence.
func burstLatency(ctx context.Context, p *Probe) error {
	cfg := p.Config()
	tok, err := p.env.mint(systemInteger)
	if err != nil {
		return err
	}
	pulls := make([]timedPull, cfg.Burst)
	next := make(chan int)
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Go(func() {
			for i := range next {
				pulls[i] = p.timed(ctx, p4p.AppendToken(p.env.pullURL(cfg.Users[i%len(cfg.Users)]), tok))
			}
		})
	}
	for i := range pulls {
		next <- i
	}
	close(next)
	wg.Wait()
	return judgeBurst(p, pulls)
}

// timed makes one pull without recording it.
func (p *Probe) timed(ctx context.Context, u string) timedPull {
	return p.timedWith(ctx, p.env.http, u)
}

// timedWith makes one pull with client without recording it.
func (p *Probe) timedWith(ctx context.Context, client *http.Client, u string) timedPull {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return timedPull{err: err}
	}
	req.Header.Set("User-Agent", userAgent)
	start := time.Now()
	resp, err := client.Do(req)
	t := timedPull{req: req, resp: resp, err: err}
	if err == nil {
		t.reply.body, t.reply.tooLarge, t.err = readLimited(resp.Body, maxResponseBytes)
		resp.Body.Close()
		t.reply.status, t.reply.header = resp.StatusCode, resp.Header
	}
	t.duration = time.Since(start)
	t.reply.duration = t.duration
	return t
}

func judgeBurst(p *Probe, pulls []timedPull) error {
	cfg := p.Config()
	durations := make([]time.Duration, len(pulls))
	failed, notOK, slowest := 0, 0, 0
	for i, t := range pulls {
		durations[i] = t.duration
		switch {
		case t.err != nil:
			failed++
		case t.reply.status != http.StatusOK:
			notOK++ // which users are not served is P4P-IDS-001's business
		}
		if t.duration > pulls[slowest].duration {
			slowest = i
		}
	}
	if s := pulls[slowest]; s.req != nil {
		p.record("the slowest pull of the burst", s.req, s.resp, s.reply, s.err)
	}
	slices.Sort(durations)
	p50, p95 := percentile(durations, 0.50), percentile(durations, 0.95)
	summary := fmt.Sprintf("%d pulls, %d at a time: p50 %s, p95 %s, max %s (budget: p95 under %s)", len(pulls),
		cfg.Concurrency, p50.Round(time.Millisecond/10), p95.Round(time.Millisecond/10),
		durations[len(durations)-1].Round(time.Millisecond/10), cfg.LatencyBudget)
	p.Note("%s", summary)
	if notOK > 0 {
		p.Note("%d of %d pulls were not answered 200", notOK, len(pulls))
	}
	switch {
	case failed > 0:
		return fmt.Errorf("%d of %d pulls of the burst got no answer (a timeout or a broken connection); %s", failed, len(pulls), summary)
	case p95 > cfg.LatencyBudget:
		return fmt.Errorf("p95 latency %s is over the budget of %s; %s", p95.Round(time.Millisecond), cfg.LatencyBudget, summary)
	}
	return nil
}

// percentile is the q-quantile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(q*float64(len(sorted)) + 0.999999)
	return sorted[max(rank, 1)-1]
}
