package main

import (
	"flag"
	"time"

	"p4p/internal/serve"
)

// connFlags bound a server's inbound connections; every server p4p runs
// takes them.
type connFlags struct {
	maxConns                       int
	idleTimeout, readHeaderTimeout time.Duration
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&c.maxConns, "max-conns", 0, "connections open at once; at the cap the one idle longest is closed to serve a new client "+
		"(0: 10000, or half the open-file limit if lower)")
	fs.DurationVar(&c.idleTimeout, "idle-timeout", serve.DefaultIdleTimeout, "close a keep-alive connection idle this long")
	fs.DurationVar(&c.readHeaderTimeout, "read-header-timeout", serve.DefaultReadHeaderTimeout, "close a connection that has not sent a request's headers within this long")
}

func (c connFlags) check() error {
	if c.maxConns < 0 {
		return usagef("--max-conns must be 0 (the default) or positive")
	}
	if c.idleTimeout <= 0 || c.readHeaderTimeout <= 0 {
		return usagef("--idle-timeout and --read-header-timeout must be positive")
	}
	return nil
}
