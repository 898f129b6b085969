package refapp

import (
	"errors"
	"net/http"
)

// handlePull is the Pull endpoint (spec 1.5, 1.6). Livefyre calls the
// registered template with {id} replaced and lftoken appended:
//
//   - a missing or invalid lftoken is 403 with no body at all, checked
//     first so that nothing is revealed to an unauthenticated caller;
//   - a missing id is 400;
//   - an unknown user is 404, as the Financial Times' endpoint did (spec
//     5.1), since the docs leave it open;
//   - otherwise 200 with the full profile as application/json.
//
// Config.Fault may change any one of these steps (see faultpull.go).
func (s *Server) handlePull(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	q := r.URL.Query()
	if err := s.authorize(r, q.Get("lftoken")); err != nil {
		s.log.Debug("pull refused", "id", q.Get("id"), "reason", err)
		s.refuse(w, q.Get("id"), q.Get("lftoken"))
		return
	}
	id := q.Get("id")
	if id == "" {
		writeError(w, http.StatusBadRequest, errors.New("id missing"))
		return
	}
	body, ok := s.lookup(id)
	if !ok {
		s.log.Debug("pull of an unknown user", "id", id)
		s.unknown(w, id)
		return
	}
	s.log.Debug("pull", "id", id)
	s.serveProfile(w, r, body)
}
