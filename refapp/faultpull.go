package refapp

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"
)

// refuse answers a pull without a valid token: 403 with no body at all
// (spec 1.5), or, with FaultForbiddenBody, Express's 403 "Forbidden".
func (s *Server) refuse(w http.ResponseWriter) {
	if s.cfg.Fault == FaultForbiddenBody {
		w.Header().Set("Content-Type", contentText)
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("Forbidden"))
		return
	}
	w.WriteHeader(http.StatusForbidden)
}

// lookup is the body a pull of id serves, and whether the user is known.
func (s *Server) lookup(id string) ([]byte, bool) {
	switch {
	case s.cfg.Fault == FaultDottedIDs && strings.Contains(id, "."):
		return nil, false
	case s.stale != nil:
		return s.stale.body(id, s.users.body)
	}
	return s.users.body(id)
}

// guest is FaultUnknown200's made-up profile.
type guest struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

// unknown answers a pull of a user the site does not have: 404, as the
// Financial Times' endpoint does (spec 5.1), unless a fault says otherwise.
func (s *Server) unknown(w http.ResponseWriter, id string) {
	switch s.cfg.Fault {
	case FaultUnknown200:
		writeJSON(w, http.StatusOK, guest{ID: id, DisplayName: "Guest"})
	case FaultUnknown503:
		writeError(w, http.StatusServiceUnavailable, errors.New("user service unavailable"))
	default:
		writeError(w, http.StatusNotFound, ErrUnknownUser)
	}
}

// serveProfile answers a successful pull with body as application/json,
// shaped by the fault if it changes the profile or the response.
func (s *Server) serveProfile(w http.ResponseWriter, r *http.Request, body []byte) {
	body = s.reshape(body)
	contentType := contentJSON
	switch s.cfg.Fault {
	case FaultTextHTML:
		contentType = contentHTML
	case FaultJSONP:
		body = append(append([]byte("callback("), body...), ");"...)
	case FaultEchoToken:
		w.Header().Set("X-Request-Uri", r.RequestURI)
	case FaultEchoTokenEncoded:
		http.SetCookie(w, &http.Cookie{Name: "p4p_debug", Value: base64.URLEncoding.EncodeToString([]byte(r.RequestURI))})
	}
	writeTyped(w, http.StatusOK, contentType, body)
}

// slowed is FaultSlow: h, after Config.FaultDelay, unless the caller
// gives up first.
func (s *Server) slowed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := time.NewTimer(s.cfg.FaultDelay)
		defer t.Stop()
		select {
		case <-t.C:
			h(w, r)
		case <-r.Context().Done():
		}
	}
}
