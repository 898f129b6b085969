package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"p4p/livefyre"
)

const eventsSubject = "p4p.events"

// events publishes pipeline events on a NATS subject and fans out what
// arrives there, from this mock or any other on the same NATS, to the
// /events followers.
//
// Each event that arrives is numbered (eventID), encoded once as a
// Server-Sent Events frame, and kept in a ring of the last
// Config.EventBacklog frames. A follower is a cursor into the ring: woken
// by a new event, it writes every frame it has not sent yet in one write,
// then lets more gather (coalesce). One that
// falls off the ring is disconnected, told why; one that reconnects with
// the id it saw last resumes from the ring.
//
// The mock subscribes while it has followers and for Config.EventLinger
// after the last one leaves, so a follower that reconnects resumes without
// a gap, and a mock nobody watches does not receive its own events back.
type events struct {
	conn   *nats.Conn
	log    *slog.Logger
	origin string
	cfg    Config

	mu        sync.Mutex
	sub       *nats.Subscription // nil while nobody follows
	ring      []*frame           // ring[seq % len(ring)]
	arena     []byte             // where the latest frames are encoded, one after another
	next      uint64             // the seq the next event gets
	first     uint64             // the first seq since the subscription began
	wake      chan struct{}      // closed, and replaced, at each event
	followers map[*follower]struct{}
	lingering uint64 // counts the times the last follower left
	closed    bool
}

// frame is one event, encoded once for every follower.
type frame struct {
	userID string
	// bytes is "event: …\nid: …\ndata: …\n\n", in the arena right after
	// the frame before unless a new arena began, and never changed.
	bytes []byte
}

// arenaSize is the size of the arenas frames are encoded in, one after
// another, so that a follower writes a run of them as one slice.
const arenaSize = 1 << 20

// follower is one /events client: a cursor into the ring.
type follower struct {
	userID string // only this user's events, if set
	cursor uint64 // the seq of the last event this follower has passed
	stop   chan struct{}
	// arm sets the write deadline for the next write, or now to interrupt
	// one in progress.
	arm func(time.Time)
	// stopped is set at close, before close arms the deadline now; the
	// writer checks it after arming its own, so one of the two sees the
	// other.
	stopped atomic.Bool
}

// Why a follower is disconnected.
var (
	errBehind  = errors.New("fell behind")
	errClosing = errors.New("closing")
)

func openEvents(conn *nats.Conn, cfg Config) *events {
	return &events{conn: conn, log: cfg.Logger, origin: newOrigin(), cfg: cfg, next: 1, first: 1,
		wake: make(chan struct{}), followers: map[*follower]struct{}{}}
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

// listenLocked subscribes if the mock is not subscribed; the caller
// holds mu.
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
	// The subscription is in place once the server has seen it, so a
	// follower misses nothing published after it is answered. The lock is
	// held meanwhile, so the wait is short: a NATS out of reach fails the
	// follow (503) rather than stalling every follower and Close.
	if err := e.conn.FlushTimeout(time.Second); err != nil {
		sub.Unsubscribe()
		return err
	}
	e.sub = sub
	if e.ring == nil {
		e.ring = make([]*frame, e.cfg.EventBacklog)
	}
	return nil
}

// quietLocked unsubscribes and forgets the ring; the caller holds mu. The
// events published until the next subscription are never seen, so the
// next one starts a seq later: no id held before resumes across the gap.
func (e *events) quietLocked() {
	if e.sub == nil {
		return
	}
	e.sub.Unsubscribe()
	e.sub = nil
	clear(e.ring)
	e.next++
	e.first = e.next
}

// oldestLocked is the seq of the oldest event held.
func (e *events) oldestLocked() uint64 {
	return max(e.first, e.next-min(e.next, uint64(len(e.ring))))
}

// deliver numbers, encodes and keeps an event from NATS, and wakes the
// followers.
func (e *events) deliver(m *nats.Msg) {
	var head struct {
		Type   string `json:"type"`
		UserID string `json:"user_id"`
	}
	data := m.Data
	if err := json.Unmarshal(data, &head); err != nil {
		e.log.Warn("event not JSON; not followed", "err", err)
		return
	}
	if bytes.ContainsAny(data, "\r\n") { // one data: line per event
		var b bytes.Buffer
		json.Compact(&b, data)
		data = b.Bytes()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sub == nil || m.Sub != e.sub {
		return
	}
	seq := e.next
	e.next++
	e.ring[seq%uint64(len(e.ring))] = &frame{userID: head.UserID, bytes: e.encodeLocked(head.Type, eventID{e.origin, seq}, data)}
	close(e.wake)
	e.wake = make(chan struct{})
}

// encodeLocked encodes a frame at the end of the arena, or of a new one
// when it does not fit; the caller holds mu. Appending within the
// arena's capacity never moves it, and writes only bytes no follower
// reads.
func (e *events) encodeLocked(typ string, id eventID, data []byte) []byte {
	if !safeEventType(typ) {
		typ = "message"
	}
	size := len("event: \nid: \ndata: \n\n") + len(typ) + maxEventIDLen + len(data)
	if cap(e.arena)-len(e.arena) < size {
		e.arena = make([]byte, 0, max(arenaSize, size))
	}
	start := len(e.arena)
	b := append(e.arena, "event: "...)
	b = append(b, typ...)
	b = append(b, "\nid: "...)
	b = append(b, id.String()...)
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	e.arena = append(b, "\n\n"...)
	return e.arena[start:]
}

// safeEventType allows event types of letters, digits, dots, dashes and
// underscores, as livefyre.EventType values are.
func safeEventType(t string) bool {
	if t == "" || len(t) > 64 {
		return false
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// start is where a new follower begins.
type start struct {
	resumed bool    // after the Last-Event-ID given, with nothing missed
	asked   string  // the Last-Event-ID given, if any
	from    eventID // the last event before the follower's first
}

// follow adds a follower of userID's events ("" for all) after lastID
// ("" for from now on). arm sets its write deadline.
func (e *events) follow(userID, lastID string, arm func(time.Time)) (*follower, start, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, start{}, errorf(EUnavailable, "the mock is shutting down")
	}
	if len(e.followers) >= e.cfg.MaxFollowers {
		return nil, start{}, errorf(EFollowers, "the mock has %d /events followers, its limit; retry later", len(e.followers))
	}
	if err := e.listenLocked(); err != nil {
		return nil, start{}, err
	}
	e.lingering++ // a pending linger no longer applies
	f := &follower{userID: userID, cursor: e.next - 1, stop: make(chan struct{}), arm: arm}
	st := start{asked: lastID}
	if id, ok := parseEventID(lastID); ok && id.origin == e.origin && id.seq < e.next && id.seq+1 >= e.oldestLocked() {
		f.cursor, st.resumed = id.seq, true
	}
	st.from = eventID{e.origin, f.cursor}
	e.followers[f] = struct{}{}
	return f, st, nil
}

// leave removes a follower; the last one to leave starts the linger.
func (e *events) leave(f *follower) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.followers, f)
	if len(e.followers) > 0 || e.closed {
		return
	}
	e.lingering++
	n := e.lingering
	time.AfterFunc(e.cfg.EventLinger, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.lingering == n && len(e.followers) == 0 {
			e.quietLocked()
		}
	})
}

// maxBatch bounds the bytes a follower takes from the ring at once.
const maxBatch = 256 << 10

// pending appends to batch the frames f has not sent, at most about
// maxBatch bytes, and moves its cursor past them; more says whether it
// left some behind. Frames that follow one another in an arena are
// appended as one slice. It also returns the channel the next event
// closes. It fails with errBehind once f's next event is no longer held.
//
// Frames are never changed once in the ring, so the caller may read
// them after mu is released.
func (e *events) pending(f *follower, batch [][]byte) (_ [][]byte, wake <-chan struct{}, more bool, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f.cursor+1 < e.oldestLocked() {
		return batch, nil, false, errBehind
	}
	n := 0
	for f.cursor+1 < e.next && n < maxBatch {
		f.cursor++
		fr := e.ring[f.cursor%uint64(len(e.ring))]
		if f.userID != "" && fr.userID != f.userID {
			continue
		}
		if last := len(batch) - 1; last >= 0 && adjacent(batch[last], fr.bytes) {
			batch[last] = batch[last][:len(batch[last])+len(fr.bytes)]
		} else {
			batch = append(batch, fr.bytes)
		}
		n += len(fr.bytes)
	}
	return batch, e.wake, f.cursor+1 < e.next, nil
}

// adjacent reports whether b begins where a ends, in a's array.
func adjacent(a, b []byte) bool {
	return len(a) < cap(a) && len(b) > 0 && &a[:len(a)+1][len(a)] == &b[0]
}

// following is how many followers there are.
func (e *events) following() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.followers)
}

// armWrite sets f's write deadline for one write, or fails with
// errClosing once the mock closes.
func (f *follower) armWrite(timeout time.Duration) error {
	f.arm(time.Now().Add(timeout))
	if f.stopped.Load() {
		return errClosing
	}
	return nil
}

// close disconnects every follower, interrupting writes in progress, and
// unsubscribes. It is safe to call more than once.
func (e *events) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	for f := range e.followers {
		if !f.stopped.Swap(true) {
			close(f.stop)
			f.arm(time.Now())
		}
	}
	e.quietLocked()
}
