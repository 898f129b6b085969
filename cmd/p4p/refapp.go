package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"p4p/profile"
	"p4p/refapp"
)

// refappFlags maps p4p refapp's flags onto a refapp.Config.
func refappFlags(args []string, stderr io.Writer) (refapp.Config, error) {
	var (
		cfg       refapp.Config
		net       networkFlags
		logs      logFlags
		users     int
		usersFile string
		fault     string
		conns     connFlags
	)
	fs := flag.NewFlagSet("p4p refapp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	net.register(fs)
	logs.register(fs)
	conns.register(fs)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8081", "listen address")
	fs.IntVar(&users, "users", refapp.DefaultUsers, "number of synthetic users")
	fs.StringVar(&usersFile, "users-file", "", "users file to serve instead of synthetic users: a JSON array of user ids or of profiles (as p4p load --users)")
	fs.StringVar(&cfg.Livefyre, "livefyre", "", "Livefyre (mock) base URL to ping after each update; empty: no pings")
	fs.BoolVar(&cfg.Register, "register", true, "register the Pull URL with --livefyre on start")
	fs.StringVar(&cfg.PullPath, "pull-path", "/pull", "path of the Pull endpoint")
	fs.StringVar(&fault, "fault", "", "break the endpoint on purpose, to see the conformance suite fail; one of:\n"+faultList())
	fs.DurationVar(&cfg.FaultDelay, "fault-delay", refapp.DefaultFaultDelay, "how long --fault slow waits before answering")
	fs.BoolVar(&cfg.VaryBodies, "vary-bodies", false, "serve every pull a body never served before (a new number in the extra field "+refapp.VaryField+"), for load benchmarks")
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
	if fault != "" {
		if cfg.Fault, err = refapp.ParseFault(fault); err != nil {
			return cfg, usageError{err}
		}
	}
	if cfg.Livefyre == "" {
		cfg.Register = false
	}
	switch {
	case usersFile != "":
		if cfg.Users, err = profile.ReadUsers(usersFile); err != nil {
			return cfg, usageError{err}
		}
	case users < 1 || users > 10_000_000:
		return cfg, usagef("--users must be between 1 and 10000000")
	default:
		cfg.Users = refapp.SyntheticUsers(users)
	}
	if len(cfg.PullPath) == 0 || cfg.PullPath[0] != '/' {
		return cfg, usagef("--pull-path must start with /")
	}
	cfg.Logger, err = logs.logger(stderr)
	return cfg, err
}

func runRefapp(args []string, stdout, stderr io.Writer) error {
	cfg, err := refappFlags(args, stderr)
	if err != nil {
		return err
	}
	warnIfExposed(stderr, "the reference integrator", cfg.Addr)
	s, err := refapp.Start(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "p4p refapp listening on %s (pull URL %s, %d users)\n", s.URL, s.PullTemplate(), len(cfg.Users))
	return serveUntilSignal(s.Close)
}

// faultList is the fault modes, one per line, for the flag's help.
func faultList() string {
	var b strings.Builder
	for _, f := range refapp.Faults() {
		fmt.Fprintf(&b, "  %s: %s\n", f.Fault, f.Description)
	}
	return b.String()
}
