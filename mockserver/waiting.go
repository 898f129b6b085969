package mockserver

import (
	"context"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// waitFallback is how long a due pending pull waits for its user's pull
// to end before it is handed back to the mover unwoken: the pull may end
// in another mock, which cannot wake it.
const waitFallback = time.Second

// waiting holds the due pending pulls whose move was refused because
// their user already has a pull queued or running in P4P_PULLS, each
// until that pull ends. Tried again every 50 ms instead, as they once
// were, they kept the mover and the server busy with refused moves once
// pulls fell behind pings (with 10,000 users waiting, some 200,000 a
// second), which slowed the pulls they waited for: a pipeline that falls
// behind fell further. Held here, marked in progress so that JetStream
// does not deliver it again meanwhile, a pending pull is tried again as
// soon as a worker of this mock has acked its user's pull (wake), in a
// goroutine of its own when one of n is free; otherwise, and after
// waitFallback, it is handed back to the mover's consumer, whose
// bounded buffer paces it.
type waiting struct {
	retry    func(context.Context, jetstream.Msg) // movePending
	ctx      context.Context
	fallback time.Duration
	slots    chan struct{} // retries under way, at most its capacity

	mu     sync.Mutex
	held   map[string]*waiter   // by user id
	ended  map[string]time.Time // users whose pull ended lately, when
	pruned time.Time
	closed bool
	wg     sync.WaitGroup
}

type waiter struct {
	msg   jetstream.Msg
	timer *time.Timer
}

func newWaiting(ctx context.Context, n int, retry func(context.Context, jetstream.Msg)) *waiting {
	return &waiting{retry: retry, ctx: ctx, fallback: waitFallback, slots: make(chan struct{}, n),
		held: make(map[string]*waiter), ended: make(map[string]time.Time)}
}

// wait holds m, a due pending pull of userID whose move, tried at tried,
// was refused. A pull of the user that ended since tried means the move
// may pass now: it is tried again at once.
func (w *waiting) wait(userID string, m jetstream.Msg, tried time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		m.NakWithDelay(moveRetry)
		return
	}
	if at, ok := w.ended[userID]; ok && !at.Before(tried) {
		delete(w.ended, userID)
		w.retryLocked(m)
		return
	}
	if old, ok := w.held[userID]; ok && old.timer.Stop() {
		// The same pending pull (one per user) delivered again: the
		// delivery held before is dropped for this one.
		w.wg.Done()
	}
	m.InProgress()
	wt := &waiter{msg: m}
	w.wg.Add(1)
	wt.timer = time.AfterFunc(w.fallback, func() {
		defer w.wg.Done()
		w.mu.Lock()
		defer w.mu.Unlock()
		switch {
		case w.held[userID] == wt:
			delete(w.held, userID)
			m.Nak()
		case w.closed:
			m.Nak() // stop found this timer firing: handed back here
		}
		// Otherwise a later delivery of the pull is held instead.
	})
	w.held[userID] = wt
}

// wake tries the user's held pending pull again, now that a pull of the
// user has been acked.
func (w *waiting) wake(userID string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pruneLocked()
	wt, ok := w.held[userID]
	if !ok || !wt.timer.Stop() {
		// None held yet: one refused before this may come to wait.
		w.ended[userID] = time.Now()
		return
	}
	delete(w.held, userID)
	w.wg.Done()
	w.retryLocked(wt.msg)
}

// retryLocked tries m again in a goroutine of its own if one is free, or
// hands it back to the mover's consumer; the caller holds mu.
func (w *waiting) retryLocked(m jetstream.Msg) {
	if w.closed {
		m.NakWithDelay(moveRetry)
		return
	}
	select {
	case w.slots <- struct{}{}:
	default:
		m.Nak()
		return
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer func() { <-w.slots }()
		w.retry(w.ctx, m)
	}()
}

// pruneLocked forgets the ended pulls no refused move can still be
// waiting on: a move is tried and held within moments.
func (w *waiting) pruneLocked() {
	now := time.Now()
	if now.Sub(w.pruned) < w.fallback {
		return
	}
	for u, at := range w.ended {
		if now.Sub(at) > w.fallback {
			delete(w.ended, u)
		}
	}
	w.pruned = now
}

// stop hands the held pulls back to the queue and waits for the retries
// under way.
func (w *waiting) stop() {
	w.mu.Lock()
	w.closed = true
	for u, wt := range w.held {
		if wt.timer.Stop() {
			w.wg.Done()
			wt.msg.NakWithDelay(moveRetry)
		}
		delete(w.held, u)
	}
	w.mu.Unlock()
	w.wg.Wait()
}
