package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"p4p"
	"p4p/embedded"
	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/refapp"
)

// demoNetwork is the network the demo invents; its key is random
// (embedded's default).
const demoNetwork = "p4p-demo.fyre.co"

// defaultDemoTimeScale plays Livefyre's minutes in seconds, so that the
// default bootstrap cadence (5 to 10 minutes) shows the update in the
// app within 5 to 10 seconds.
const defaultDemoTimeScale = 60

type demoConfig struct {
	users     int
	delay     p4p.Delay
	bootstrap p4p.Delay
	timeScale float64
	timeout   time.Duration
	logs      logFlags
}

func demoFlags(args []string, stderr io.Writer) (demoConfig, error) {
	var (
		c         demoConfig
		delay     string
		bootstrap string
	)
	fs := flag.NewFlagSet("p4p demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.users, "users", 5, "synthetic users in the reference integrator")
	fs.StringVar(&delay, "delay", "0", `mock delay from ping to pull, e.g. "1m-10m"`)
	fs.StringVar(&bootstrap, "bootstrap-refresh", mockserver.DefaultBootstrapRefresh.String(),
		"the mock's bootstrap refresh cadence, a duration or a range, before the time scale divides it")
	fs.Float64Var(&c.timeScale, "time-scale", defaultDemoTimeScale, "divide the mock's delays and bootstrap cadence by this")
	fs.DurationVar(&c.timeout, "timeout", time.Minute, "give up if the update has not propagated by then")
	fs.StringVar(&c.logs.level, "log-level", "warn", "log level")
	if err := parse(fs, args); err != nil {
		return c, err
	}
	var err error
	if c.delay, err = p4p.ParseDelay(delay); err != nil {
		return c, usageError{err}
	}
	if c.bootstrap, err = p4p.ParseDelay(bootstrap); err != nil {
		return c, usageError{err}
	}
	switch {
	case c.users < 1 || c.users > 100_000:
		return c, usagef("--users must be between 1 and 100000")
	case c.bootstrap.Max <= 0:
		return c, usagef("--bootstrap-refresh must be positive")
	case c.timeScale <= 0:
		return c, usagef("--time-scale must be positive")
	case c.timeout <= 0:
		return c, usagef("--timeout must be positive")
	}
	return c, nil
}

// runDemo starts the embedded pipeline (the mock Livefyre and the
// reference integrator, in-process), changes a user's display name through
// the integrator's update hook, and follows the ping through the pipeline
// until the new name is stored (what Studio > Users shows), shows what
// the Auth API answers the user with the old and a fresh token, and
// follows on until a bootstrap refresh shows it in the app.
func runDemo(args []string, stdout, stderr io.Writer) error {
	c, err := demoFlags(args, stderr)
	if err != nil {
		return err
	}
	log, err := c.logs.logger(stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	p, err := embedded.Start(ctx, embedded.WithNetwork(demoNetwork), embedded.WithUsers(refapp.SyntheticUsers(c.users)),
		embedded.WithDelay(c.delay), embedded.WithTimeScale(c.timeScale), embedded.WithBootstrapRefresh(c.bootstrap),
		embedded.WithLogger(log))
	if err != nil {
		return err
	}
	defer p.Close()
	fmt.Fprintf(stdout, "mock Livefyre       %s (network %s, delay %s, bootstrap refresh %s, time scale %g)\n",
		p.LivefyreURL, p.Network, c.delay, c.bootstrap, c.timeScale)
	fmt.Fprintf(stdout, "reference endpoint  %s (registered with the mock)\n\n", p.PullURL)

	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := p.Users[0]
	d := demo{stdout: stdout, client: p.Livefyre(), hookURL: p.HookURL, key: p.Key, id: u.ID,
		oldName: u.DisplayName, name: u.DisplayName + " (renamed by p4p demo)"}
	return d.propagate(ctx)
}

// demo is one rename followed to the app.
type demo struct {
	stdout            io.Writer
	client            *livefyre.Client
	hookURL, key      string
	id, oldName, name string
	stored            time.Duration // ping to stored, once seen
}

func (d *demo) propagate(ctx context.Context) error {
	stdout, client, id, name := d.stdout, d.client, d.id, d.name
	events, err := client.Events(ctx)
	if err != nil {
		return err
	}
	defer events.Close()
	start := time.Now()
	if err := callHook(ctx, d.hookURL, id, name); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%8s  update hook: %s's display_name is now %q; the integrator pinged Livefyre\n", "0ms", id, name)
	for ev := range events.C {
		if ev.UserID != id {
			continue
		}
		fmt.Fprintf(stdout, "%8s  %s\n", time.Since(start).Round(time.Millisecond), describe(ev))
		if ev.Type == livefyre.PullFailed && ev.Final {
			return fmt.Errorf("the pull failed: %s", ev.Error)
		}
		switch ev.Type {
		case livefyre.ProfileUpdated:
			d.stored = time.Since(start)
			if err := checkStored(ctx, stdout, client, id, name); err != nil {
				return err
			}
			if err := showLogins(ctx, stdout, client.BaseURL, client.Network, d.key, id, d.oldName, name); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "waiting for a bootstrap refresh to show it to everyone else in the app…\n\n")
		case livefyre.AppVisible:
			if d.stored > 0 {
				d.summary(stdout, time.Since(start))
				return nil
			}
		}
	}
	if err := events.Err(); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	if d.stored > 0 {
		return fmt.Errorf("the update was stored but no bootstrap refresh showed it: %w", context.Cause(ctx))
	}
	return fmt.Errorf("the update did not propagate: %w", context.Cause(ctx))
}

func callHook(ctx context.Context, hookURL, id, name string) error {
	body, _ := json.Marshal(map[string]string{"id": id, "display_name": name})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hookURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("update hook: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("update hook: status %d: %s", resp.StatusCode, msg)
	}
	return nil
}

func describe(ev livefyre.Event) string {
	switch ev.Type {
	case livefyre.PingAccepted:
		return fmt.Sprintf("ping accepted: pull %s queued (coalesced: %v)", ev.PullID, ev.Coalesced)
	case livefyre.PullStarted:
		return fmt.Sprintf("pull %s started: GET the Pull endpoint, attempt %d", ev.PullID, ev.Attempt)
	case livefyre.PullSucceeded:
		return fmt.Sprintf("pull %s answered %d in %.1fms; the profile is valid", ev.PullID, ev.Status, ev.DurationMS)
	case livefyre.PullFailed:
		return fmt.Sprintf("pull %s failed (attempt %d, final %v): %s", ev.PullID, ev.Attempt, ev.Final, ev.Error)
	case livefyre.ProfileUpdated:
		return fmt.Sprintf("remote profile updated, %.1fms after the ping", ev.LatencyMS)
	case livefyre.AppVisible:
		return fmt.Sprintf("app.visible: collection %s's bootstrap refresh shows pull %s, %.1fms after the ping", ev.CollectionID, ev.PullID, ev.LatencyMS)
	}
	return string(ev.Type)
}

func checkStored(ctx context.Context, stdout io.Writer, client *livefyre.Client, id, name string) error {
	rp, err := client.Profile(ctx, id)
	if err != nil {
		return err
	}
	var p struct {
		DisplayName string `json:"display_name"`
	}
	if err := json.Unmarshal(rp.Profile, &p); err != nil {
		return fmt.Errorf("stored profile: %w", err)
	}
	if p.DisplayName != name {
		return fmt.Errorf("stored display_name is %q, want %q", p.DisplayName, name)
	}
	fmt.Fprintf(stdout, "\nGET /profiles/%s: display_name %q, outcome %s, ping-to-update %.1fms\n", id, p.DisplayName, rp.Sync.Outcome, rp.Sync.LatencyMS)
	return nil
}

// summary writes the two moments of the rename.
func (d *demo) summary(stdout io.Writer, visible time.Duration) {
	fmt.Fprintf(stdout, "\nstored (Studio > Users)  %8s after the ping\n", d.stored.Round(time.Millisecond))
	fmt.Fprintf(stdout, "visible (app, bootstrap)  %8s after the ping\n", visible.Round(time.Millisecond))
	fmt.Fprintf(stdout, "a re-login with a fresh token shows the new name as soon as it is stored\n")
}
