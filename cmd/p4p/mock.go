package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"p4p"
	"p4p/mockserver"
)

// mockFlags maps p4p mock's flags onto a mockserver.Config.
func mockFlags(args []string, stderr io.Writer) (mockserver.Config, error) {
	var (
		cfg       mockserver.Config
		net       networkFlags
		logs      logFlags
		owners    string
		delay     string
		bsRefresh string
		allow     string
		store     string
		syncFlag  string
		conns     connFlags
	)
	fs := flag.NewFlagSet("p4p mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	net.register(fs)
	logs.register(fs)
	conns.register(fs)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address (loopback unless you mean otherwise)")
	fs.StringVar(&cfg.DataDir, "data", "", "directory for the embedded JetStream store; a temporary one if empty")
	fs.StringVar(&store, "max-store", "0", "bytes the embedded store may use (512MiB, 2GiB); 0 is 3/4 of the disk's free space plus what the store holds")
	fs.StringVar(&cfg.NATSURL, "nats", "", "use this NATS server (JetStream enabled), or a cluster's servers comma-separated, instead of an embedded one")
	fs.IntVar(&cfg.Replicas, "replicas", 0, "copies JetStream keeps of each stream and bucket (created, or updated to it); 0: 1 on the embedded server, 3 on a cluster of 3 or more servers, else the cluster's size")
	fs.DurationVar(&cfg.StoreTimeout, "store-timeout", mockserver.DefaultStoreTimeout,
		"how long a ping may wait for its pull to be stored, across NATS leader elections, before it is answered 503")
	fs.StringVar(&syncFlag, "sync", "", `how often the embedded store is flushed to disk: "always" (before each write is acknowledged) or a duration; nats-server's 2m if empty`)
	fs.StringVar(&owners, "owners", "", "comma-separated user ids, besides system, whose tokens may ping and register")
	fs.StringVar(&delay, "delay", "0", `time from ping to pull: a duration ("90s") or a uniform range ("1m-10m")`)
	fs.StringVar(&bsRefresh, "bootstrap-refresh", mockserver.DefaultBootstrapRefresh.String(),
		`how often each collection's bootstrap is regenerated from the remote profiles (the app's view): a duration or a range ("5m-10m"), scaled`)
	fs.Float64Var(&cfg.TimeScale, "time-scale", 1, "divide every delay and backoff by this")
	fs.IntVar(&cfg.Workers, "workers", mockserver.DefaultWorkers, "concurrent pulls")
	fs.IntVar(&cfg.MaxAttempts, "max-attempts", mockserver.DefaultMaxAttempts, "attempts per pull, the first included")
	fs.DurationVar(&cfg.PullTimeout, "pull-timeout", mockserver.DefaultPullTimeout, "timeout of one pull request (not scaled)")
	fs.DurationVar(&cfg.BackoffBase, "backoff", mockserver.DefaultBackoffBase, "first retry backoff (scaled)")
	fs.DurationVar(&cfg.BackoffMax, "backoff-max", mockserver.DefaultBackoffMax, "longest retry backoff (scaled)")
	fs.IntVar(&cfg.MaxQueued, "max-queued", mockserver.DefaultMaxQueued, "pending pulls before pings are refused with 429")
	fs.IntVar(&cfg.MaxInflight, "max-inflight", mockserver.DefaultMaxInflight, "pings handled at once before more are refused with 429")
	fs.IntVar(&cfg.MaxFollowers, "max-followers", mockserver.DefaultMaxFollowers, "/events followers at once before more are refused with 429")
	fs.IntVar(&cfg.EventBacklog, "event-backlog", mockserver.DefaultEventBacklog,
		"latest events held for /events followers: how far one may fall behind, or resume from (Last-Event-ID)")
	fs.DurationVar(&cfg.EventWriteTimeout, "event-write-timeout", mockserver.DefaultEventWriteTimeout,
		"an /events follower that does not take a write within this is disconnected")
	fs.StringVar(&allow, "allow-hosts", "", "comma-separated hosts (or host:port) a Pull URL may name, at registration and at every pull; any if empty")
	if err := parse(fs, args); err != nil {
		return cfg, err
	}
	if err := net.check(); err != nil {
		return cfg, err
	}
	if err := conns.check(); err != nil {
		return cfg, err
	}
	cfg.Network, cfg.Key = net.network, net.key
	cfg.MaxConns, cfg.IdleTimeout, cfg.ReadHeaderTimeout = conns.maxConns, conns.idleTimeout, conns.readHeaderTimeout
	var err error
	if cfg.Delay, err = p4p.ParseDelay(delay); err != nil {
		return cfg, usageError{err}
	}
	if cfg.BootstrapRefresh, err = p4p.ParseDelay(bsRefresh); err != nil {
		return cfg, usagef("--bootstrap-refresh: %v", err)
	}
	if cfg.BootstrapRefresh.Max <= 0 {
		return cfg, usagef("--bootstrap-refresh must be positive")
	}
	if cfg.MaxStore, err = p4p.ParseSize(store); err != nil {
		return cfg, usagef("--max-store: %v", err)
	}
	if err := parseSync(syncFlag, &cfg); err != nil {
		return cfg, err
	}
	if cfg.Replicas < 0 {
		return cfg, usagef("--replicas must be 0 (automatic) or more")
	}
	if cfg.StoreTimeout <= 0 || cfg.StoreTimeout > mockserver.MaxStoreTimeout {
		return cfg, usagef("--store-timeout must be positive and at most %s", mockserver.MaxStoreTimeout)
	}
	if cfg.TimeScale <= 0 {
		return cfg, usagef("--time-scale must be positive")
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"--workers", cfg.Workers}, {"--max-attempts", cfg.MaxAttempts}, {"--max-queued", cfg.MaxQueued}, {"--max-inflight", cfg.MaxInflight},
		{"--max-followers", cfg.MaxFollowers}, {"--event-backlog", cfg.EventBacklog}} {
		if n.v < 1 {
			return cfg, usagef("%s must be at least 1", n.name)
		}
	}
	if cfg.EventWriteTimeout <= 0 {
		return cfg, usagef("--event-write-timeout must be positive")
	}
	if cfg.PullTimeout <= 0 || cfg.BackoffBase <= 0 || cfg.BackoffMax < cfg.BackoffBase {
		return cfg, usagef("--pull-timeout and --backoff must be positive, and --backoff-max at least --backoff")
	}
	if owners != "" {
		cfg.Owners = strings.Split(owners, ",")
	}
	for _, h := range strings.Split(allow, ",") {
		if h = strings.TrimSpace(h); h != "" {
			cfg.AllowHosts = append(cfg.AllowHosts, h)
		}
	}
	if allow != "" && len(cfg.AllowHosts) == 0 {
		return cfg, usagef("--allow-hosts %q names no host", allow)
	}
	cfg.Logger, err = logs.logger(stderr)
	return cfg, err
}

// parseSync maps --sync onto cfg: "always", or a positive duration.
func parseSync(v string, cfg *mockserver.Config) error {
	switch v {
	case "":
		return nil
	case "always":
		cfg.SyncAlways = true
	default:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return usagef(`--sync %q: want "always" or a positive duration`, v)
		}
		cfg.SyncInterval = d
	}
	if cfg.NATSURL != "" {
		return usagef("--sync applies to the embedded NATS; set an external server's sync_interval in its own configuration")
	}
	return nil
}

func runMock(args []string, stdout, stderr io.Writer) error {
	cfg, err := mockFlags(args, stderr)
	if err != nil {
		return err
	}
	warnIfExposed(stderr, "the mock Livefyre", cfg.Addr)
	s, err := mockserver.Start(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "p4p mock listening on %s (network %s, delay %s, time scale %g)\n", s.URL, cfg.Network, cfg.Delay, cfg.TimeScale)
	return serveUntilSignal(s.Close)
}

// serveUntilSignal waits for SIGINT or SIGTERM, then closes.
func serveUntilSignal(close func() error) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	<-ctx.Done()
	stop()
	done := make(chan error, 1)
	go func() { done <- close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		return fmt.Errorf("shutdown took over 30s")
	}
}
