package mockserver

import (
	"errors"
	"hash/maphash"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"p4p/livefyre"
	"p4p/profile"
)

// announce emits an event to the /events followers and keeps it in the
// user's history, with what the attempt a sent and received, if any.
func (s *Server) announce(ev livefyre.Event, a *attempt) {
	defer s.order.lock(ev.UserID)()
	s.announceHeld(ev, a)
}

// announceHeld is announce for a caller that holds the user's stripe of
// s.order.
func (s *Server) announceHeld(ev livefyre.Event, a *attempt) {
	s.events.emit(ev)
	r := livefyre.Record{Event: ev}
	if a != nil {
		r.Request, r.Headers, r.Body, r.BodyTruncated, r.Problems = a.request, a.headers, a.body, a.truncated, a.problems
	}
	s.history.add(r)
}

// userOrder keeps each user's events in the order they happened. A ping
// or a replay is announced once its enqueue returns, but a worker may take
// the pull it queued and announce its end before that; so the enqueuer
// holds the user's stripe from before its publish until its announcement
// is handed on, and every other announcement of the user takes the
// stripe first. Followers and the timeline then never see a pull end
// before the ping that queued it.
type userOrder struct {
	seed    maphash.Seed
	stripes [64]sync.Mutex
}

func newUserOrder() *userOrder { return &userOrder{seed: maphash.MakeSeed()} }

// lock takes userID's stripe and returns its unlock.
func (o *userOrder) lock(userID string) func() {
	m := &o.stripes[maphash.String(o.seed, userID)%uint64(len(o.stripes))]
	m.Lock()
	return m.Unlock
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
