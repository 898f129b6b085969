package refapp

import "net/http"

// handleUsers lists the users' ids and display names, sorted by id. It is
// a test fixture, so it needs no token.
func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	writeJSON(w, http.StatusOK, s.users.list())
}

// handleHealth answers "ok" while the server runs.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	w.Header().Set("Content-Type", contentText)
	w.Write([]byte("ok"))
}
