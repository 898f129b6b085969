package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"p4p/embedded"
	"p4p/livefyre"
	"p4p/profile"
	"p4p/refapp"
	"p4p/token"
)

func benchPings(ctx context.Context, c config, r *report) error {
	tok, err := token.System(network, key, 24*time.Hour, time.Now())
	if err != nil {
		return err
	}
	url, stop, err := bare()
	if err != nil {
		return err
	}
	// The bare handler serves in this process, which does nothing else
	// meanwhile: its CPU is the handler's.
	var bareRun wrkRun
	bareRun, r.bareCPU, err = wrkCPU(ctx, c, url, tok, selfCPU)
	stop()
	if err != nil {
		return err
	}
	r.bareRPS = bareRun.rps
	if bareRun.requests > 0 {
		r.wrkCPU = bareRun.cpu / time.Duration(bareRun.requests)
	}
	// What JetStream's own operations cost at the least, in this process
	// too, now that it is idle again.
	if err := r.measureFloors(ctx, c); err != nil {
		return err
	}
	// The ping path alone: a long delay keeps the pulls from running, and
	// each ping is for a new user, so a new queued pull.
	m, err := startMock(c, "--delay", "1h")
	if err != nil {
		return err
	}
	var pingRun wrkRun
	pingRun, r.pingCPU, err = wrkCPU(ctx, c, m.url, tok, m.cpu)
	m.stop()
	if err == nil && pingRun.non2xx > 0 {
		err = fmt.Errorf("the mock refused %d pings", pingRun.non2xx)
	}
	if err != nil {
		return err
	}
	r.pingRPS = pingRun.rps
	// With a fast local endpoint: pulls run while pings arrive, for users
	// the reference integrator knows.
	users := refapp.SyntheticUsers(c.pingUsers)
	m, p, err := pipeline(ctx, c, users)
	if err != nil {
		return err
	}
	defer m.stop()
	defer p.Close()
	ids, err := idsFile(users)
	if err != nil {
		return err
	}
	defer os.Remove(ids)
	r.pingPullRPS, err = wrkMock(ctx, c, m.url, tok, ids)
	return err
}

// wrkCPU runs wrk with ping.lua, every ping for a new user, and returns
// its run and the CPU the server (cpu's) took per response, or 0 where
// the CPU cannot be read.
func wrkCPU(ctx context.Context, c config, url, tok string, cpu func() (time.Duration, error)) (wrkRun, time.Duration, error) {
	before, cerr := cpu()
	w, err := runWrk(ctx, url, "internal/bench/ping.lua", c.connections, c.duration, "LFTOKEN="+tok)
	if err != nil {
		return w, 0, err
	}
	after, cerr2 := cpu()
	if cerr != nil || cerr2 != nil || w.requests == 0 {
		return w, 0, nil
	}
	return w, (after - before) / time.Duration(w.requests), nil
}

func wrkMock(ctx context.Context, c config, url, tok, ids string) (float64, error) {
	rps, bad, err := wrk(ctx, c, url, tok, ids)
	if err == nil && bad > 0 {
		err = fmt.Errorf("the mock refused %d pings", bad)
	}
	return rps, err
}

// idsFile writes the users' ids, one a line.
func idsFile(users []profile.Profile) (string, error) {
	f, err := os.CreateTemp("", "p4p-bench-ids-*")
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(f)
	for _, u := range users {
		fmt.Fprintln(w, u.ID)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return f.Name(), f.Close()
}

func benchLatency(ctx context.Context, c config, r *report) error {
	n := c.rate * int(c.paced.Seconds())
	users := refapp.SyntheticUsers(n)
	m, p, err := pipeline(ctx, c, users)
	if err != nil {
		return err
	}
	defer m.stop()
	defer p.Close()
	client := p.Livefyre()
	events, err := client.Events(ctx)
	if err != nil {
		return err
	}
	defer events.Close()
	interval := time.Second / time.Duration(c.rate)
	pinged := make(chan error, 1)
	go func() { pinged <- pingUsers(ctx, client, users, 256, interval) }()
	for ev := range events.C {
		switch {
		case ev.Type == livefyre.ProfileUpdated:
			r.latencies = append(r.latencies, ev.LatencyMS)
		case ev.Type == livefyre.PullFailed:
			return fmt.Errorf("pull failed: %s", ev.Error)
		}
		if len(r.latencies) == n {
			break
		}
	}
	if len(r.latencies) < n {
		return fmt.Errorf("%d of %d updates seen: %v", len(r.latencies), n, events.Err())
	}
	slices.Sort(r.latencies)
	return <-pinged
}

func benchMemory(ctx context.Context, c config, r *report) error {
	m, err := startMock(c, "--delay", "1h", "--max-queued", strconv.Itoa(c.queued*2))
	if err != nil {
		return err
	}
	defer m.stop()
	client := &livefyre.Client{BaseURL: m.url, Network: network, Key: key}
	if err := pingUsers(ctx, client, refapp.SyntheticUsers(c.queued), 64, 0); err != nil {
		return err
	}
	depth, err := metric(ctx, m.url, `p4p_queue_depth{stage="pending"}`)
	if err != nil {
		return err
	}
	if int(depth) != c.queued {
		return fmt.Errorf("queue depth %v, want %d", depth, c.queued)
	}
	r.rss, r.peakRSS, err = m.rss()
	return err
}

// pipeline starts a mock with no delay and 64 workers, as its own process
// like the mock of every step, so that its CPU and memory are its own, and
// the embedded pipeline's reference endpoint serving the users, in this
// process, registered with it and pinging it.
func pipeline(ctx context.Context, c config, users []profile.Profile) (*process, *embedded.Pipeline, error) {
	m, err := startMock(c, "--workers", "64")
	if err != nil {
		return nil, nil, err
	}
	p, err := embedded.Start(ctx, embedded.WithLivefyre(m.url), embedded.WithNetwork(network), embedded.WithKey(key),
		embedded.WithUsers(users))
	if err != nil {
		m.stop()
		return nil, nil, err
	}
	return m, p, nil
}

// pingUsers pings each user once with at most conc pings in flight, one
// every interval if interval > 0.
func pingUsers(ctx context.Context, client *livefyre.Client, users []profile.Profile, conc int, interval time.Duration) error {
	var (
		wg     sync.WaitGroup
		failed atomic.Int64
		first  atomic.Value
	)
	sem := make(chan struct{}, conc)
	start := time.Now()
	for i, u := range users {
		if interval > 0 {
			time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if _, err := client.Ping(ctx, u.ID); err != nil {
				failed.Add(1)
				first.CompareAndSwap(nil, err)
			}
		}()
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		return fmt.Errorf("%d pings failed, first: %v", n, first.Load())
	}
	return nil
}

func pullCounts(ctx context.Context, url string) (ok, failed int, err error) {
	s, err := metric(ctx, url, `p4p_pulls_total{outcome="succeeded"}`)
	if err != nil {
		return 0, 0, err
	}
	f, err := metric(ctx, url, `p4p_pulls_total{outcome="failed"}`)
	return int(s), int(f), err
}

// metric reads one series from the mock's /metrics; absent is 0.
func metric(ctx context.Context, url, series string) (float64, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, sc.Err()
}
