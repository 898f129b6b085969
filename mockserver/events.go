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
// /events clients.
type events struct {
	conn *nats.Conn
	sub  *nats.Subscription
	log  *slog.Logger

	mu      sync.Mutex
	clients map[*eventClient]struct{}
}

// eventClient is one /events follower.
type eventClient struct {
	c       chan []byte
	userID  string // only this user's events, if set
	dropped chan struct{}
}

func openEvents(conn *nats.Conn, log *slog.Logger) (*events, error) {
	e := &events{conn: conn, log: log, clients: map[*eventClient]struct{}{}}
	sub, err := conn.Subscribe(eventsSubject, e.deliver)
	if err != nil {
		return nil, fmt.Errorf("subscribe %s: %w", eventsSubject, err)
	}
	// Events are measurements: let the subscription buffer far more than
	// the default before NATS calls it slow.
	if err := sub.SetPendingLimits(1<<20, 256<<20); err != nil {
		return nil, err
	}
	e.sub = sub
	return e, conn.Flush()
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

func (e *events) subscribe(userID string) *eventClient {
	c := &eventClient{c: make(chan []byte, eventBuffer), userID: userID, dropped: make(chan struct{})}
	e.mu.Lock()
	e.clients[c] = struct{}{}
	e.mu.Unlock()
	return c
}

func (e *events) unsubscribe(c *eventClient) {
	e.mu.Lock()
	delete(e.clients, c)
	e.mu.Unlock()
}

func (e *events) dropLocked(c *eventClient) {
	delete(e.clients, c)
	close(c.dropped)
}

func (e *events) close() {
	if e.sub != nil {
		e.sub.Unsubscribe()
	}
}
