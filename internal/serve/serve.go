// Package serve builds the HTTP servers p4p runs (the mock Livefyre, the
// reference endpoint, the console) with their connections bounded: a
// deadline for request headers, a cap on their size, an idle timeout for
// keep-alive connections and a cap on open connections.
//
// At the cap, a Server keeps accepting and makes room by closing the
// keep-alive connection that has been idle longest between requests, or
// else the oldest one accepted that has sent no request for a second (a
// client sends its request at once, and a connection that sends none is
// closed anyway at ReadHeaderTimeout). Only when every open connection is
// carrying a request, or is younger than that second, does it stop
// accepting, and the kernel's listen backlog holds new clients until a
// request ends.
//
// Why not the alternatives: refusing new connections at the cap (accept
// and close) serves none of them while an attacker holds the cap with
// idle connections; only stopping to accept leaves them waiting in the
// backlog, then timing out once it fills, for as long as the idle
// connections last (up to the idle timeout, renewed by a byte now and
// then). Closing an idle keep-alive connection is something HTTP clients
// expect (RFC 9112 9.3: a server may close an idle connection at any time),
// so the ones that held it reconnect. The race HTTP already has remains: a
// request sent on a connection just as it is closed fails, and the client
// retries it (Go's client does for idempotent requests; a ping that got no
// answer was not acknowledged and is sent again).
package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"p4p/internal/drain"
)

// Defaults for the zero values of Limits.
const (
	// DefaultMaxConns is the cap on open connections, lowered to half the
	// process's open-file limit when that is smaller (see MaxConnsFor).
	DefaultMaxConns          = 10_000
	DefaultIdleTimeout       = 60 * time.Second
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
)

// Limits bound a server's connections. The zero value of each field means
// its default.
type Limits struct {
	// MaxConns caps the connections open at once; see the package doc
	// for what happens at the cap.
	MaxConns int
	// IdleTimeout closes a keep-alive connection that has carried no
	// request for this long.
	IdleTimeout time.Duration
	// ReadHeaderTimeout closes a connection that does not send a request's
	// headers within this long.
	ReadHeaderTimeout time.Duration
	// MaxHeaderBytes caps a request's headers; past it, 431.
	MaxHeaderBytes int
}

// ErrLimits is wrapped by every error of Limits.Validate.
var ErrLimits = errors.New("bad connection limits")

// Validate reports a negative limit.
func (l Limits) Validate() error {
	var errs []error
	for _, n := range []struct {
		name string
		v    int64
	}{{"MaxConns", int64(l.MaxConns)}, {"IdleTimeout", int64(l.IdleTimeout)},
		{"ReadHeaderTimeout", int64(l.ReadHeaderTimeout)}, {"MaxHeaderBytes", int64(l.MaxHeaderBytes)}} {
		if n.v < 0 {
			errs = append(errs, fmt.Errorf("%w: %s is negative", ErrLimits, n.name))
		}
	}
	return errors.Join(errs...)
}

// WithDefaults fills in the zero values.
func (l Limits) WithDefaults() Limits {
	l.MaxConns = cmp.Or(l.MaxConns, MaxConnsFor(openFileLimit()))
	l.IdleTimeout = cmp.Or(l.IdleTimeout, DefaultIdleTimeout)
	l.ReadHeaderTimeout = cmp.Or(l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	l.MaxHeaderBytes = cmp.Or(l.MaxHeaderBytes, DefaultMaxHeaderBytes)
	return l
}

// MaxConnsFor is the default connection cap for a process that may open
// fileLimit files (0: unknown): DefaultMaxConns, or half of fileLimit if
// that is smaller, so that the other half stays for the process's own
// outgoing connections (the mock's pulls) and files (its store).
func MaxConnsFor(fileLimit uint64) int {
	if fileLimit == 0 || fileLimit/2 >= DefaultMaxConns {
		return DefaultMaxConns
	}
	return max(1, int(fileLimit/2))
}

// Server is an http.Server whose connections are bounded by Limits.
type Server struct {
	// HTTP is the server; set fields such as ConnContext before serving,
	// but not ConnState, which the Server uses.
	HTTP   *http.Server
	limits Limits
	conns  *conns
	fresh  drain.Conns
}

// New returns a Server for h with limits (zero fields: defaults) that
// logs to errorLog (nil: the log package's logger).
func New(h http.Handler, limits Limits, errorLog *log.Logger) *Server {
	limits = limits.WithDefaults()
	s := &Server{limits: limits, conns: newConns(limits.MaxConns, min(maxFreshGrace, limits.ReadHeaderTimeout))}
	s.HTTP = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: limits.ReadHeaderTimeout,
		IdleTimeout:       limits.IdleTimeout,
		MaxHeaderBytes:    limits.MaxHeaderBytes,
		ErrorLog:          errorLog,
		ConnState:         s.track,
	}
	return s
}

// Limits returns the limits in force, defaults filled in.
func (s *Server) Limits() Limits { return s.limits }

// Listener returns ln with the connection cap applied. Wrap a TLS
// listener around it, not it around a TLS listener, so that the server
// still sees *tls.Conn.
func (s *Server) Listener(ln net.Listener) net.Listener {
	return &listener{Listener: ln, conns: s.conns, closed: make(chan struct{})}
}

// Serve serves on ln, which must come from Listener (possibly wrapped in
// TLS), until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.HTTP.Serve(ln) }

// Shutdown stops accepting, closes idle connections and those that never
// carried a request, and waits within ctx for requests in flight (see
// package drain).
func (s *Server) Shutdown(ctx context.Context) error {
	return drain.Shutdown(ctx, s.HTTP, &s.fresh)
}

// Stats are counts of a Server's connections.
type Stats struct {
	Open    int    // open now
	Idle    int    // of those, keep-alive connections between requests
	Evicted uint64 // idle connections closed to make room at the cap
}

// Stats returns the counts now.
func (s *Server) Stats() Stats { return s.conns.stats() }

func (s *Server) track(c net.Conn, state http.ConnState) {
	s.fresh.Track(c, state)
	s.conns.track(c, state)
}
