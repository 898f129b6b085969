// Package drain shuts an http.Server down without waiting on connections
// that never carried a request.
//
// http.Server.Shutdown closes idle connections at once, but a connection
// still in StateNew (accepted, no request read yet) only once it is five
// seconds old: a client that dialled a second connection for a request
// another connection then served leaves one such behind, and every graceful
// close waits for it. httptest.Server closes them; so does Shutdown here.
package drain

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// Conns tracks a server's connections that have not yet read a request.
// Set the server's ConnState to Track. The zero value is ready to use.
type Conns struct {
	mu    sync.Mutex
	fresh map[net.Conn]struct{}
}

// Track is an http.Server.ConnState hook.
func (c *Conns) Track(conn net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if state == http.StateNew {
		if c.fresh == nil {
			c.fresh = make(map[net.Conn]struct{})
		}
		c.fresh[conn] = struct{}{}
		return
	}
	delete(c.fresh, conn)
}

// closeFresh closes every connection that has not read a request.
func (c *Conns) closeFresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for conn := range c.fresh {
		conn.Close()
		delete(c.fresh, conn)
	}
}

// pollInterval is how often Shutdown closes fresh connections while the
// server drains: one accepted just before the listener closed is caught
// on the next tick.
const pollInterval = 20 * time.Millisecond

// Shutdown shuts srv down as http.Server.Shutdown does, letting requests
// in flight finish within ctx, and closes the connections conns tracks
// that never carried a request instead of waiting for them.
func Shutdown(ctx context.Context, srv *http.Server, conns *Conns) error {
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(ctx) }()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		conns.closeFresh()
		select {
		case err := <-done:
			return err
		case <-tick.C:
		}
	}
}
