package mockserver

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/nats-io/nats.go"

	"p4p/livefyre"
)

const (
	eventsSubject = "p4p.events"
	// eventBuffer is how many events a slow /events client may fall behind
	// before it is cut off (told so, never silently skipped).
	eventBuffer = 1 << 16
)

// events publishes pipeline events on a NATS subject and fans out what
// arrives there, from this mock or any other on the same NATS, to the
// /events clients. It subscribes only while it has clients, so a mock
// nobody watches does not receive its own events back.
type events struct {
	conn *nats.Conn
	log  *slog.Logger

	mu      sync.Mutex
	sub     *nats.Subscription // nil while there are no clients
	clients map[*eventClient]struct{}
}

// eventClient is one /events follower.
type eventClient struct {
	c       chan []byte
	userID  string // only this user's events, if set
	dropped chan struct{}
}

func openEvents(conn *nats.Conn, log *slog.Logger) *events {
	return &events{conn: conn, log: log, clients: map[*eventClient]struct{}{}}
}

// listen subscribes for the first client; the caller holds mu.
func (e *events) listenLocked() error {
	if e.sub != nil {
		return nil
	}
	sub, err := e.conn.Subscribe(eventsSubject, e.deliver)
	if err != nil {
		return fmt.Errorf("subscribe %s: %w", eventsSubject, err)
	}
	// Events are measurements: let the subscription buffer far more than
	// the default before NATS calls it slow.
	if err := sub.SetPendingLimits(1<<20, 256<<20); err != nil {
		sub.Unsubscribe()
		return err
	}
	e.sub = sub
	// The subscription is in place once the server has seen it, so the
	// client misses nothing published after subscribe returns.
	return e.conn.Flush()
}

// quietLocked unsubscribes once the last client has gone; the caller
// holds mu.
func (e *events) quietLocked() {
	if len(e.clients) == 0 && e.sub != nil {
		e.sub.Unsubscribe()
		e.sub = nil
	}
}

func (e *events) emit(ev livefyre.Event) {
	data, err := json.Marshal(ev)
	if err != nil {
		e.log.Error("encode event", "err", err)
		return
	}
	if err := e.conn.Publish(eventsSubject, data); err != nil {
		e.log.Error("publish event", "type", ev.Type, "err", err)
	}
}

func (e *events) deliver(m *nats.Msg) {
	var head struct {
		UserID string `json:"user_id"`
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.clients) == 0 {
		return
	}
	parsed := false
	for c := range e.clients {
		if c.userID != "" {
			if !parsed {
				json.Unmarshal(m.Data, &head)
				parsed = true
			}
			if head.UserID != c.userID {
				continue
			}
		}
		select {
		case c.c <- m.Data:
		default:
			e.dropLocked(c)
		}
	}
}

func (e *events) subscribe(userID string) (*eventClient, error) {
	c := &eventClient{c: make(chan []byte, eventBuffer), userID: userID, dropped: make(chan struct{})}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.listenLocked(); err != nil {
		return nil, err
	}
	e.clients[c] = struct{}{}
	return c, nil
}

func (e *events) unsubscribe(c *eventClient) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.clients, c)
	e.quietLocked()
}

// dropLocked cuts off a client that fell too far behind.
func (e *events) dropLocked(c *eventClient) {
	delete(e.clients, c)
	close(c.dropped)
}

func (e *events) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.clients)
	e.quietLocked()
}
