package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"p4p/livefyre"
	"p4p/refapp"
)

// pullsRun is the pull throughput figure beside its peer: completed pulls
// per second of a mock process against one `p4p refapp` process, and the
// responses per second wrk draws from that same endpoint process in the
// same run.
type pullsRun struct {
	perSec   float64       // completed pulls/s of the mock
	wrk      float64       // wrk's responses/s from the same endpoint
	mockCPU  time.Duration // the mock's CPU over the pulls
	endpoint time.Duration // the endpoint's CPU over the pulls
	// endpointWrk is the endpoint's CPU per response to wrk.
	endpointWrk time.Duration
	loadAvg     [2]string // /proc/loadavg before and after
	commands    []string
}

// benchPulls measures completed pulls/s: c.pulls users pinged at once (64
// in flight) into a mock with 64 workers, from the first ping until
// p4p_pulls_total{outcome="succeeded"} reaches c.pulls. Its peer is wrk
// (internal/bench/pull.lua, c.connections connections, c.duration) on the
// same reference endpoint process, run just before the pulls.
func benchPulls(ctx context.Context, c config, r *report) error {
	if err := r.measureFloors(ctx, c); err != nil {
		return err
	}
	m, err := startMock(c, "--workers", "64")
	if err != nil {
		return err
	}
	defer m.stop()
	// The endpoint registers its Pull URL with the mock as it starts.
	appArgs := append(refappArgs(c.pulls), "--livefyre", m.url, "--register")
	app, err := startProcess(c, "", appArgs...)
	if err != nil {
		return err
	}
	defer app.stop()
	t, err := writePullTargets(app.url, c.pulls, time.Hour+c.duration)
	if err != nil {
		return err
	}
	defer t.remove()
	pr := &pullsRun{loadAvg: [2]string{loadAvg()}}
	appBefore := cpuOf(app)
	w, err := runWrk(ctx, t.origin, "internal/bench/pull.lua", c.connections, c.duration, "PATHS_FILE="+t.paths)
	if err != nil {
		return fmt.Errorf("wrk on the endpoint: %w", err)
	}
	pr.wrk = w.rps
	if w.requests > 0 {
		pr.endpointWrk = (cpuOf(app) - appBefore) / time.Duration(w.requests)
	}
	mockCPU, appCPU := cpuOf(m), cpuOf(app)
	client := &livefyre.Client{BaseURL: m.url, Network: network, Key: key}
	start := time.Now()
	if err := pingUsers(ctx, client, refapp.SyntheticUsers(c.pulls), 64, 0); err != nil {
		return err
	}
	if err := awaitPulls(ctx, m.url, c.pulls); err != nil {
		return err
	}
	pr.perSec = float64(c.pulls) / time.Since(start).Seconds()
	pr.mockCPU, pr.endpoint = cpuOf(m)-mockCPU, cpuOf(app)-appCPU
	pr.loadAvg[1] = loadAvg()
	pr.commands = []string{
		shellLine(append([]string{c.binary}, appArgs...), keyEnv, ""),
		shellLine(append([]string{"wrk"}, wrkArgs(t.origin, "internal/bench/pull.lua", c.connections, c.duration)...),
			[]string{"PATHS_FILE=" + t.paths}, t.dir),
	}
	r.pulls = pr
	return nil
}

// cpuOf is a process's CPU so far, or 0 where it cannot be read.
func cpuOf(p *process) time.Duration {
	d, _ := p.cpu()
	return d
}

// pullsTarget is the target for completed pulls/s over wrk's
// responses/s from the same endpoint.
const pullsTarget = 0.35

func (pr *pullsRun) row(c config) string {
	ratio := pr.perSec / pr.wrk
	return fmt.Sprintf("| completed pulls/s (%s users, 64 workers; the mock's CPU per pull %s, the endpoint's %s; load average %s, then %s) | %.0f | wrk (%d conns, %s) on the same `p4p refapp`: %.0f (the endpoint's CPU per response %.0f µs) | %.2f× | ≥ %.2f× | %s |\n",
		strconv.Itoa(c.pulls), perResponse(pr.mockCPU, int64(c.pulls)), perResponse(pr.endpoint, int64(c.pulls)),
		pr.loadAvg[0], pr.loadAvg[1], pr.perSec, c.connections, c.duration, pr.wrk, us(pr.endpointWrk), ratio, pullsTarget, yes(ratio >= pullsTarget))
}
