package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"p4p"
)

// networkFlags are the flags every command that speaks for a network takes.
// The key may come from the environment so that it stays out of shell
// history and process listings.
type networkFlags struct {
	network, key string
}

func (n *networkFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&n.network, "network", os.Getenv("P4P_NETWORK"), "full network name, e.g. example.fyre.co (env P4P_NETWORK)")
	fs.StringVar(&n.key, "key", os.Getenv("P4P_NETWORK_KEY"), "network key (env P4P_NETWORK_KEY)")
}

func (n networkFlags) check() error {
	if n.network == "" {
		return usagef("--network is required (or set P4P_NETWORK)")
	}
	if err := p4p.Network(n.network).Validate(); err != nil {
		return usagef("--network: %v", err)
	}
	if n.key == "" {
		return usagef("--key is required (or set P4P_NETWORK_KEY)")
	}
	return nil
}

// logFlags choose the log level; logs go to stderr.
type logFlags struct{ level string }

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.level, "log-level", "info", "log level: debug, info, warn, error")
}

func (l logFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(l.level)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", l.level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), nil
}

// warnIfExposed says so when a server is asked to listen beyond loopback:
// these are test servers with no protection for the open internet.
func warnIfExposed(w io.Writer, what, addr string) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return
	}
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return
	}
	fmt.Fprintf(w, "warning: %s listens on %s, beyond loopback: anyone who can reach it can use it\n", what, addr)
}
