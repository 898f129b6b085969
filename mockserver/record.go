package mockserver

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"p4p/livefyre"
	"p4p/profile"
)

// announce emits an event to the /events followers and keeps it in the
// user's history, with what the attempt a sent and received, if any.
func (s *Server) announce(ev livefyre.Event, a *attempt) {
	s.events.emit(ev)
	r := livefyre.Record{Event: ev}
	if a != nil {
		r.Request, r.Headers, r.Body, r.BodyTruncated, r.Problems = a.request, a.headers, a.body, a.truncated, a.problems
	}
	s.history.add(r)
}

// userOrder keeps each user's events in the order they happened. A ping
// or a replay is announced once its enqueue returns, but a worker may take
// the pull it queued before that. So the enqueuer marks the user busy
// from before its publish until its announcement is handed on, and a
// worker waits, briefly, for the user to be free before its attempt and
// the announcements that follow. No lock is held across the publish, and
// the wait is bounded: during an election a publish can take seconds,
// and a pull is not held that long for the order of its events.
type userOrder struct {
	mu      sync.Mutex
	busy    map[string]int
	changed chan struct{} // closed, and replaced, when a user is freed
}

// maxOrderWait bounds a worker's wait for a user's announcement.
const maxOrderWait = 500 * time.Millisecond

func newUserOrder() *userOrder {
	return &userOrder{busy: map[string]int{}, changed: make(chan struct{})}
}

// begin marks userID busy until the returned end is called.
func (o *userOrder) begin(userID string) (end func()) {
	o.mu.Lock()
	o.busy[userID]++
	o.mu.Unlock()
	return sync.OnceFunc(func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.busy[userID]--; o.busy[userID] == 0 {
			delete(o.busy, userID)
		}
		close(o.changed)
		o.changed = make(chan struct{})
	})
}

// await waits until no announcement of userID is under way, at most
// maxOrderWait or until ctx ends.
func (o *userOrder) await(ctx context.Context, userID string) {
	timeout := time.NewTimer(maxOrderWait)
	defer timeout.Stop()
	for {
		o.mu.Lock()
		busy, changed := o.busy[userID] > 0, o.changed
		o.mu.Unlock()
		if !busy {
			return
		}
		select {
		case <-changed:
		case <-timeout.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// keepResponse notes in a what a record shows of a response: a few
// headers and the start of the body, cut on a rune boundary, with the
// attempt's secrets redacted.
func (a *attempt) keepResponse(h http.Header, body []byte, g guard) {
	for _, k := range recordedHeaders {
		if v := h.Get(k); v != "" {
			if a.headers == nil {
				a.headers = map[string]string{}
			}
			a.headers[k] = cut(g.text(v), maxHeaderValue)
		}
	}
	// Redacted whole, then cut, so that no part of a secret survives at
	// the cut.
	text := g.text(strings.ToValidUTF8(string(body), "\uFFFD"))
	a.truncated = len(text) > maxRecordBody
	a.body = strings.TrimSuffix(cut(text, maxRecordBody), "…")
}

// keepProblems notes the validation errors of an invalid profile.
func (a *attempt) keepProblems(err error) {
	var pe *profile.Error
	if !errors.As(err, &pe) {
		return
	}
	for _, p := range pe.Problems {
		a.problems = append(a.problems, p.String())
	}
}

// cut shortens s to at most n bytes on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
