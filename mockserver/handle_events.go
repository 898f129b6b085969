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

var keepAliveComment = []byte(": keep-alive\n\n")

// A follower waits after each write before the next, so that the events
// of a busy spell go out together: an event after a quiet spell goes out
// at once. The wait grows with the followers, coalescePerFollower for
// each, up to maxCoalesce: together they cost the mock about one write
// per coalescePerFollower however many they are (until the cap), and a
// lone follower, such as p4p load's, which times what it sees, gets each
// event within a fraction of a millisecond.
const (
	coalescePerFollower = 200 * time.Microsecond
	maxCoalesce         = 100 * time.Millisecond
)

// coalesce is the wait after a write with n followers.
func coalesce(n int) time.Duration {
	return min(maxCoalesce, time.Duration(n)*coalescePerFollower)
}

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
	pause := time.NewTimer(maxCoalesce)
	defer pause.Stop()
	var (
		batch [][]byte
		wake  <-chan struct{}
		more  bool
		err   error
	)
	for {
		if batch, wake, more, err = s.events.pending(f, batch[:0]); err != nil {
			return err
		}
		if len(batch) > 0 {
			if err := s.sendBatch(w, rc, f, batch); err != nil {
				return err
			}
			if more {
				continue
			}
			// Let the next events gather: one write for many, not one
			// per event per follower.
			pause.Reset(coalesce(s.events.following()))
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
			if err := s.sendBatch(w, rc, f, [][]byte{keepAliveComment}); err != nil {
				return err
			}
		case <-f.stop:
			return errClosing
		case <-r.Context().Done():
			return r.Context().Err()
		}
	}
}

// sendBatch writes a batch's runs of frames to f and flushes them,
// within one write deadline: a run of 4 KB or more passes straight to
// the connection, one write each, rather than one write per 4 KB of the
// response's buffers.
func (s *Server) sendBatch(w io.Writer, rc *http.ResponseController, f *follower, batch [][]byte) error {
	if err := f.armWrite(s.cfg.EventWriteTimeout); err != nil {
		return err
	}
	for _, b := range batch {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return rc.Flush()
}
