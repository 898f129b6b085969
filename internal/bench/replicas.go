package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"p4p/embedded"
	"p4p/livefyre"
	"p4p/refapp"
	"p4p/token"
)

// replicaCounts are the mock replicas the replicas step runs, in turn.
var replicaCounts = []int{1, 2, 4}

// replicasRun is pings and pulls per second with 1, 2 and 4 mock
// replicas, each a process of its own, on one nats-server, against one
// fast endpoint: how the mock scales out, on this machine.
type replicasRun struct {
	counts []int
	pings  []float64 // acknowledged/s, the ping path alone (--delay 1h)
	pulls  []float64 // completed/s, no delay
}

// benchReplicas measures each count with a fresh nats-server, so that no
// run inherits the last one's queue.
func benchReplicas(ctx context.Context, c config, r *report) error {
	r.replicas = &replicasRun{counts: replicaCounts}
	for _, n := range replicaCounts {
		pings, pulls, err := replicasOnce(ctx, c, n)
		if err != nil {
			return fmt.Errorf("%d replicas: %w", n, err)
		}
		r.replicas.pings = append(r.replicas.pings, pings)
		r.replicas.pulls = append(r.replicas.pulls, pulls)
	}
	return nil
}

func replicasOnce(ctx context.Context, c config, n int) (pings, pulls float64, err error) {
	ns, err := startNATS()
	if err != nil {
		return 0, 0, err
	}
	defer ns.stop()
	pingMocks, err := startReplicas(c, n, "--nats", ns.url, "--delay", "1h")
	if err != nil {
		return 0, 0, err
	}
	pings, err = wrkReplicas(ctx, c, pingMocks)
	stopAll(pingMocks)
	if err != nil {
		return 0, 0, err
	}
	ns.stop() // the pings' queue, an hour away, is no part of the pulls
	if ns, err = startNATS(); err != nil {
		return 0, 0, err
	}
	defer ns.stop()
	mocks, err := startReplicas(c, n, "--nats", ns.url, "--workers", "64")
	if err != nil {
		return 0, 0, err
	}
	defer stopAll(mocks)
	pulls, err = pullReplicas(ctx, c, mocks)
	return pings, pulls, err
}

// wrkReplicas pings every replica at once, each with its share of the
// connections, every ping for a new user; the rate is their sum.
func wrkReplicas(ctx context.Context, c config, mocks []*process) (float64, error) {
	tok, err := token.System(network, key, 24*time.Hour, time.Now())
	if err != nil {
		return 0, err
	}
	rates := make([]float64, len(mocks))
	errs := make([]error, len(mocks))
	var wg sync.WaitGroup
	for i, m := range mocks {
		wg.Go(func() {
			rates[i], errs[i] = wrkMock(ctx, config{connections: max(c.connections/len(mocks), 2), duration: c.duration}, m.url, tok, "")
		})
	}
	wg.Wait()
	sum := 0.0
	for i := range mocks {
		if errs[i] != nil {
			return 0, errs[i]
		}
		sum += rates[i]
	}
	return sum, nil
}

// pullReplicas registers the embedded reference endpoint with the first
// replica (the registration is shared), pings c.pulls users through the
// replicas in turn and waits until the replicas together have pulled
// them all.
func pullReplicas(ctx context.Context, c config, mocks []*process) (float64, error) {
	users := refapp.SyntheticUsers(c.pulls)
	p, err := embedded.Start(ctx, embedded.WithLivefyre(mocks[0].url), embedded.WithNetwork(network), embedded.WithKey(key),
		embedded.WithUsers(users))
	if err != nil {
		return 0, err
	}
	defer p.Close()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(mocks))
	for i, m := range mocks {
		client := &livefyre.Client{BaseURL: m.url, Network: network, Key: key}
		var share = users[i*len(users)/len(mocks) : (i+1)*len(users)/len(mocks)]
		wg.Go(func() { errs[i] = pingUsers(ctx, client, share, max(64/len(mocks), 8), 0) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	for {
		done := 0
		for _, m := range mocks {
			ok, failed, err := pullCounts(ctx, m.url)
			if err != nil {
				return 0, err
			}
			if failed > 0 {
				return 0, fmt.Errorf("%d pulls failed on %s", failed, m.url)
			}
			done += ok
		}
		if done >= c.pulls {
			return float64(c.pulls) / time.Since(start).Seconds(), nil
		}
		if ctx.Err() != nil {
			return 0, fmt.Errorf("%d of %d pulls done: %w", done, c.pulls, ctx.Err())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func startReplicas(c config, n int, args ...string) ([]*process, error) {
	var mocks []*process
	for range n {
		m, err := startMock(c, args...)
		if err != nil {
			stopAll(mocks)
			return nil, err
		}
		mocks = append(mocks, m)
	}
	return mocks, nil
}

func stopAll(ps []*process) {
	for _, p := range ps {
		p.stop()
	}
}

// natsProcess is a nats-server with JetStream on loopback, in this
// process: the replicas' one external NATS.
type natsProcess struct {
	ns   *server.Server
	url  string
	dir  string
	once sync.Once
}

func startNATS() (*natsProcess, error) {
	dir, err := os.MkdirTemp("", "p4p-bench-nats-*")
	if err != nil {
		return nil, err
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("nats-server not ready")
	}
	return &natsProcess{ns: ns, url: ns.ClientURL(), dir: dir}, nil
}

func (p *natsProcess) stop() {
	p.once.Do(func() {
		p.ns.Shutdown()
		p.ns.WaitForShutdown()
		os.RemoveAll(p.dir)
	})
}

func (r *replicasRun) write(w io.Writer, c config) {
	fmt.Fprintln(w, "\n| mock replicas on one nats-server | pings acknowledged/s (ping path alone, wrk) | ratio to 1 | completed pulls/s (one fast endpoint) | ratio to 1 |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for i, n := range r.counts {
		fmt.Fprintf(w, "| %d | %.0f | %.2f× | %.0f | %.2f× |\n", n, r.pings[i], r.pings[i]/r.pings[0], r.pulls[i], r.pulls[i]/r.pulls[0])
	}
	fmt.Fprintf(w, "\nEach replica is a `p4p mock --nats` process; wrk (%d connections shared among the replicas, %s) pings them all at once; %d pings spread over the replicas are pulled from the embedded reference endpoint by 64 workers per replica.\n\n",
		c.connections, c.duration, c.pulls)
}
