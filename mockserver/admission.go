package mockserver

import (
	"net/http"
	"time"
)

// admit takes one of the Config.MaxInflight slots for a ping, or refuses
// at once when none is free: an overloaded mock answers 429 with
// Retry-After in microseconds instead of letting requests pile up in
// memory and every client's latency grow. A ping refused here was never
// acknowledged, so nothing is lost; the client retries.
func (s *Server) admit() error {
	select {
	case s.inflight <- struct{}{}:
		return nil
	default:
		return errorf(EBusy, "the mock is at capacity (%d pings in flight); retry after a second", cap(s.inflight))
	}
}

// leave frees the slot admit took.
func (s *Server) leave() { <-s.inflight }

// readParams reads a request's parameters (see readParams) within
// Config.BodyTimeout and Config.MaxBodyBytes.
func (s *Server) readParams(w http.ResponseWriter, r *http.Request) (params, error) {
	// Not every ResponseWriter supports deadlines (a test's recorder does
	// not); the size limit holds regardless.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
	return readParams(w, r, s.cfg.MaxBodyBytes)
}
