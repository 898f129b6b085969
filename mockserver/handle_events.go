package mockserver

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"p4p/livefyre"
)

// keepAlive is how often an idle /events stream gets a comment line, so
// proxies and clients can tell a quiet pipeline from a dead connection.
const keepAlive = 15 * time.Second

// coalesce is how long a follower waits after a write before the next:
// an event after a quiet spell goes out at once, and the events of a busy
// one go out together, so that many followers cost the mock a write each
// per coalesce rather than one per event.
const coalesce = 20 * time.Millisecond

// farewellTimeout bounds the write of the comment that tells a follower
// why it is disconnected.
const farewellTimeout = 100 * time.Millisecond

// handleEvents streams pipeline events as Server-Sent Events: "event:" the
// type, "id:" the event's id in this mock (eventID), "data:" the
// livefyre.Event JSON. ?user_id= limits the stream to one user. A
// Last-Event-ID header (or ?last_event_id=) resumes after that event: the
// answer's livefyre.ResumedHeader says whether every event since is
// replayed, and a comment says so either way.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet) {
		return
	}
	rc := http.NewResponseController(w)
	lastID := r.Header.Get("Last-Event-ID")
	if lastID == "" {
		lastID = r.URL.Query().Get("last_event_id")
	}
	f, st, err := s.events.follow(r.URL.Query().Get("user_id"), lastID, func(t time.Time) { rc.SetWriteDeadline(t) })
	if err != nil {
		if e, _ := errorStatus(err); e.Code != EFollowers && e.Code != EUnavailable {
			s.log.Error("events", "err", err)
			err = errorf(EUnavailable, "cannot follow events now; try again")
		}
		respondError(w, err)
		return
	}
	defer s.events.leave(f)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	if st.resumed {
		h.Set(livefyre.ResumedHeader, "true")
	}
	if f.armWrite(s.cfg.EventWriteTimeout) != nil {
		return
	}
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, greeting(st))
	if rc.Flush() != nil {
		return
	}
	err = s.stream(w, rc, r, f)
	var why string
	switch {
	case errors.Is(err, errBehind):
		why = fmt.Sprintf(": dropped: this follower fell more than %d events behind; reconnect with Last-Event-ID to learn what was missed\n\n", s.cfg.EventBacklog)
	case errors.Is(err, errClosing):
		why = ": closing: the mock is shutting down\n\n"
	default:
		return // the client left, or a write failed: nobody to tell
	}
	rc.SetWriteDeadline(time.Now().Add(farewellTimeout))
	io.WriteString(w, why)
	rc.Flush()
}

// greeting opens a stream: what it follows, and its position as an
// "id:" with no data, so that a client that sees no event still knows
// where to resume from.
func greeting(st start) string {
	g := ": p4p mock Livefyre events\n"
	switch {
	case st.resumed:
		g += fmt.Sprintf(": resumed after %s: no event missed\n", st.from)
	case st.asked != "":
		g += fmt.Sprintf(": gap: the events after %.*q are not held; following from %s\n", maxEventIDLen, st.asked, st.from)
	}
	return g + "id: " + st.from.String() + "\n\n"
}

// stream writes f's events until it ends: errBehind, errClosing, or the
// client's or a write's error.
func (s *Server) stream(w io.Writer, rc *http.ResponseController, r *http.Request, f *follower) error {
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	pause := time.NewTimer(coalesce)
	defer pause.Stop()
	var (
		batch [][]byte
		wake  <-chan struct{}
		err   error
	)
	for {
		if batch, wake, err = s.events.pending(f, batch[:0]); err != nil {
			return err
		}
		if len(batch) > 0 {
			for _, b := range batch {
				if err := f.armWrite(s.cfg.EventWriteTimeout); err != nil {
					return err
				}
				if _, err := w.Write(b); err != nil {
					return err
				}
			}
			if err := f.armWrite(s.cfg.EventWriteTimeout); err != nil {
				return err
			}
			if err := rc.Flush(); err != nil {
				return err
			}
			// Let the next events gather: one write for many, not one
			// per event per follower.
			pause.Reset(coalesce)
			select {
			case <-pause.C:
			case <-f.stop:
				return errClosing
			case <-r.Context().Done():
				return r.Context().Err()
			}
			continue
		}
		select {
		case <-wake:
		case <-tick.C:
			if err := f.armWrite(s.cfg.EventWriteTimeout); err != nil {
				return err
			}
			io.WriteString(w, ": keep-alive\n\n")
			if err := rc.Flush(); err != nil {
				return err
			}
		case <-f.stop:
			return errClosing
		case <-r.Context().Done():
			return r.Context().Err()
		}
	}
}
