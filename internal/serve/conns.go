package serve

import (
	"container/list"
	"net"
	"net/http"
	"sync"
	"time"
)

// maxFreshGrace is how long a connection that has sent no request yet is
// spared at the cap: a client that connects sends its request at once, and
// its connection stays new only until the server reads it. The grace is
// shorter if ReadHeaderTimeout is.
const maxFreshGrace = time.Second

// conns counts a server's open connections against a cap and keeps those
// that carry no request in the order they became so: keep-alive ones
// between requests (idle) and ones accepted that have not sent a request
// yet (fresh), so that the cap can close the longest waiting.
type conns struct {
	max   int
	grace time.Duration // a fresh connection's grace at the cap

	mu      sync.Mutex
	open    int
	idle    list.List // of *conn, the longest idle first
	fresh   list.List // of *conn, the oldest first
	freed   chan struct{}
	evicted uint64
}

func newConns(max int, grace time.Duration) *conns {
	return &conns{max: max, grace: grace, freed: make(chan struct{}, 1)}
}

// conn is an accepted connection that frees its slot when closed.
type conn struct {
	net.Conn
	owner *conns
	// Guarded by owner.mu:
	elem  *list.Element // in owner.idle or owner.fresh, or nil
	in    *list.List    // which one
	since time.Time     // when it joined it
	gone  bool          // released
	once  sync.Once
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.owner.release(c) })
	return err
}

// reserve takes a slot for a connection about to be accepted. At the cap
// it closes the longest idle connection, or else a fresh one past its
// grace, and reports false: the caller waits on freed, or retries after
// retry if that is positive (when a fresh connection's grace runs out).
func (cs *conns) reserve(now time.Time) (ok bool, retry time.Duration) {
	cs.mu.Lock()
	if cs.open < cs.max {
		cs.open++
		cs.mu.Unlock()
		return true, 0
	}
	victim := cs.front(&cs.idle)
	if victim == nil {
		if f := cs.front(&cs.fresh); f != nil {
			if wait := cs.grace - now.Sub(f.since); wait > 0 {
				cs.mu.Unlock()
				return false, wait
			}
			victim = f
		}
	}
	if victim == nil {
		cs.mu.Unlock()
		return false, 0
	}
	cs.leave(victim)
	cs.evicted++
	cs.mu.Unlock()
	victim.Close() // frees its slot, and signals freed
	return false, 0
}

func (cs *conns) front(l *list.List) *conn {
	if e := l.Front(); e != nil {
		return e.Value.(*conn)
	}
	return nil
}

// leave takes c off the list it is on. cs.mu is held.
func (cs *conns) leave(c *conn) {
	if c.elem != nil {
		c.in.Remove(c.elem)
		c.elem, c.in = nil, nil
	}
}

func (cs *conns) release(c *conn) {
	cs.mu.Lock()
	cs.open--
	c.gone = true
	cs.leave(c)
	cs.mu.Unlock()
	cs.signal()
}

func (cs *conns) signal() {
	select {
	case cs.freed <- struct{}{}:
	default:
	}
}

// track is the ConnState hook: a connection is fresh when new, idle
// between requests, and neither once it reads a request or is closed.
func (cs *conns) track(nc net.Conn, state http.ConnState) {
	c, ok := unwrap(nc)
	if !ok {
		return
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.leave(c)
	if c.gone {
		return
	}
	switch state {
	case http.StateNew:
		c.in = &cs.fresh
	case http.StateIdle:
		c.in = &cs.idle
	default:
		return
	}
	c.elem, c.since = c.in.PushBack(c), time.Now()
}

// unwrap finds the conn under a TLS connection.
func unwrap(nc net.Conn) (*conn, bool) {
	for {
		switch c := nc.(type) {
		case *conn:
			return c, true
		case interface{ NetConn() net.Conn }:
			nc = c.NetConn()
		default:
			return nil, false
		}
	}
}

func (cs *conns) stats() Stats {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return Stats{Open: cs.open, Idle: cs.idle.Len(), Evicted: cs.evicted}
}

// listener applies the cap to Accept.
type listener struct {
	net.Listener
	conns     *conns
	closed    chan struct{}
	closeOnce sync.Once
}

// Accept takes the next connection, then a slot for it: at the cap it
// makes room (reserve) or holds the connection until a slot frees, while
// the kernel's backlog holds the clients behind it.
func (l *listener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	for {
		ok, retry := l.conns.reserve(time.Now())
		if ok {
			return &conn{Conn: nc, owner: l.conns}, nil
		}
		if !l.await(retry) {
			nc.Close()
			return nil, net.ErrClosed
		}
	}
}

// await waits for a slot to free, or retry if positive; false if the
// listener closed.
func (l *listener) await(retry time.Duration) bool {
	var later <-chan time.Time
	if retry > 0 {
		t := time.NewTimer(retry)
		defer t.Stop()
		later = t.C
	}
	select {
	case <-l.conns.freed:
	case <-later:
	case <-l.closed:
		return false
	}
	return true
}

func (l *listener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}
