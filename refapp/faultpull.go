package refapp

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// refuse answers a pull of id whose token tok is missing or invalid: 403
// with no body at all (spec 1.5), or as the fault says: Express's 403
// "Forbidden", the Financial Times' 400 for a missing token, or a 403 that
// goes on to write the profile.
func (s *Server) refuse(w http.ResponseWriter, id, tok string) {
	switch s.cfg.Fault {
	case FaultForbiddenBody:
		writeTyped(w, http.StatusForbidden, contentText, []byte("Forbidden"))
		return
	case FaultBadRequest:
		if tok == "" {
			writeTyped(w, http.StatusBadRequest, contentText, []byte("Missing required parameter: lftoken"))
			return
		}
	case FaultForbiddenProfile:
		if body, ok := s.lookup(id); ok {
			writeTyped(w, http.StatusForbidden, contentJSON, body)
			return
		}
	}
	w.WriteHeader(http.StatusForbidden)
}

// authorize checks a pull's token; with FaultTrustConnection, a
// connection that brought one valid token is not checked again.
func (s *Server) authorize(r *http.Request, tok string) error {
	trusted, _ := r.Context().Value(trustKey{}).(*atomic.Bool)
	if trusted != nil && trusted.Load() {
		return nil
	}
	_, err := s.tokens.Validate(tok)
	if err == nil && trusted != nil {
		trusted.Store(true)
	}
	return err
}

// trustKey keys a connection's trust in its context, for
// FaultTrustConnection.
type trustKey struct{}

// connContext gives each connection a trust flag under
// FaultTrustConnection.
func (s *Server) connContext(ctx context.Context, _ net.Conn) context.Context {
	if s.cfg.Fault != FaultTrustConnection {
		return ctx
	}
	return context.WithValue(ctx, trustKey{}, new(atomic.Bool))
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
	if s.cfg.VaryBodies {
		body = s.varied(body)
	}
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
