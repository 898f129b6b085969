package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"p4p"
	"p4p/refapp"
	"p4p/token"
)

// loadPull is the pull scenario at maximum rate: p4p load, Vegeta and wrk
// in turn against one reference endpoint process, round after round, in
// each setting (pullSettings), every setting with its own endpoint.
type loadPull struct {
	settings []pullRuns
	vegeta   string // the peers' versions
	wrk      string
	loadAvg  [2]string // /proc/loadavg before and after
}

// pullSetting is a kind of body the endpoint serves, and the targets
// p4p load meets in it.
type pullSetting struct {
	name   string
	about  string   // what the endpoint serves, for the report
	args   []string // p4p refapp's flags besides refappArgs
	vegeta float64  // target: p4p load's valid/s over Vegeta's successful/s
	wrk    float64  // over wrk's responses/s
}

// pullSettings: bodies that repeat, so p4p load's memo of valid bodies
// skips re-validating them, and bodies that are all new (p4p refapp
// --vary-bodies: an extra field with a new number on every pull, the
// profile otherwise unchanged and valid), so that every response is
// validated in full. Either way the synthetic users carry every
// documented field (about 900 bytes).
var pullSettings = []pullSetting{
	{name: "memo", about: "each user's body the same on every pull (p4p load's memo recognises a body it validated)",
		vegeta: 1.5, wrk: 0.6},
	{name: "every body new", about: "every body different (`--vary-bodies`: an extra field, a new number on every pull), so p4p load validates every one in full",
		args: []string{"--vary-bodies"}, vegeta: 1.2, wrk: 0.6},
}

// pullRuns are one setting's rounds.
type pullRuns struct {
	pullSetting
	rounds   [][]peerRun // each round: one run per peer, in peers' order
	commands []string    // round 1's commands, as a shell would run them
}

// peerRun is one load generator's run at maximum rate.
type peerRun struct {
	peer    string
	perSec  float64 // p4p load: valid responses/s; Vegeta: successful; wrk: all
	counted int64   // the responses perSec counts
	bad     int64   // p4p load: invalid or none; Vegeta: unsuccessful; wrk: non-2xx and socket errors
	// cpu is the generator process's CPU (user and system), start to
	// exit; endpoint is the endpoint's over the same span.
	cpu      time.Duration
	endpoint time.Duration
	// cpuPerValidMS is p4p load's own figure (summary.json), its CPU
	// from the start of the run to the report; 0 for the other peers.
	cpuPerValidMS float64
	command       string
}

// peer is a load generator that runs one attack on the pull targets.
type peer struct {
	name string
	run  func(ctx context.Context, c config, t *pullTargets) (peerRun, error)
}

var peers = []peer{
	{"p4p load", runP4PLoad},
	{"Vegeta", runVegeta},
	{"wrk", runWrkPull},
}

func benchLoadPull(ctx context.Context, c config, r *report) error {
	if c.loadRounds < 1 || c.loadWorkers < 1 || c.loadUsers < 1 {
		return fmt.Errorf("-load-rounds, -load-workers and -load-users must be at least 1")
	}
	lp := &loadPull{}
	var err error
	if lp.vegeta, err = vegetaVersion(c.vegeta); err != nil {
		return err
	}
	lp.wrk = wrkVersion()
	lp.loadAvg[0] = loadAvg()
	for _, s := range pullSettings {
		fmt.Fprintf(os.Stderr, "bench:   setting: %s\n", s.name)
		runs, err := runSetting(ctx, c, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		lp.settings = append(lp.settings, runs)
	}
	lp.loadAvg[1] = loadAvg()
	r.loadPull = lp
	return nil
}

// runSetting starts the setting's endpoint and runs its rounds.
func runSetting(ctx context.Context, c config, s pullSetting) (pullRuns, error) {
	app, err := startRefapp(c, c.loadUsers, s.args...)
	if err != nil {
		return pullRuns{}, err
	}
	defer app.stop()
	life := time.Hour + time.Duration(c.loadRounds*len(peers))*c.loadDuration
	t, err := writePullTargets(app.url, c.loadUsers, life)
	if err != nil {
		return pullRuns{}, err
	}
	defer t.remove()
	argv := append([]string{c.binary}, refappArgs(c.loadUsers)...)
	runs := pullRuns{pullSetting: s, commands: []string{shellLine(append(argv, s.args...), keyEnv, "")}}
	for range c.loadRounds {
		round, err := runRound(ctx, c, app, t)
		if err != nil {
			return pullRuns{}, err
		}
		runs.rounds = append(runs.rounds, round)
	}
	for _, p := range runs.rounds[0] {
		runs.commands = append(runs.commands, p.command)
	}
	return runs, nil
}

// runRound runs every peer once, in turn, and measures the endpoint's CPU
// during each run.
func runRound(ctx context.Context, c config, app *process, t *pullTargets) ([]peerRun, error) {
	var round []peerRun
	for _, p := range peers {
		fmt.Fprintf(os.Stderr, "bench:   %s at maximum rate…\n", p.name)
		before, err := app.cpu()
		if err != nil {
			return nil, err
		}
		pr, err := p.run(ctx, c, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		after, err := app.cpu()
		if err != nil {
			return nil, err
		}
		pr.peer, pr.endpoint = p.name, after-before
		round = append(round, pr)
	}
	return round, nil
}

// pullTargets are the run's Pull URLs, a valid system token in each,
// written for the peers into a private temporary directory (0700, files
// 0600) that remove deletes.
type pullTargets struct {
	dir      string
	origin   string // the endpoint, http://127.0.0.1:PORT
	template string // its Pull URL template, with {id}
	vegeta   string // Vegeta's http targets format: "GET URL", a blank line
	paths    string // wrk: request targets (path and query), one a line
}

func writePullTargets(origin string, users int, life time.Duration) (*pullTargets, error) {
	tok, err := token.System(network, key, life, time.Now())
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "p4p-bench-load-*")
	if err != nil {
		return nil, err
	}
	t := &pullTargets{dir: dir, origin: origin, template: origin + "/pull?id={id}",
		vegeta: filepath.Join(dir, "targets"), paths: filepath.Join(dir, "paths")}
	var urls []string
	for _, u := range refapp.SyntheticUsers(users) {
		urls = append(urls, p4p.Template(t.template).PullURL(u.ID, tok))
	}
	err = writeLines(t.vegeta, urls, func(u string) string { return "GET " + u + "\n" })
	if err == nil {
		err = writeLines(t.paths, urls, func(u string) string { return u[len(origin):] })
	}
	if err != nil {
		t.remove()
		return nil, err
	}
	return t, nil
}

func (t *pullTargets) remove() { os.RemoveAll(t.dir) }

// writeLines writes each item, as line makes it, one a line, to a new
// file only its owner can read.
func writeLines(path string, items []string, line func(string) string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, it := range items {
		fmt.Fprintln(w, line(it))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
