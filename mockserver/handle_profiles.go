package mockserver

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// handleProfiles lists every stored remote profile, like V2's
// GET /profiles/?actor_token= (spec 4), as a JSON array of RemoteProfile.
// It streams, so a large network costs no more memory than one profile.
func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	if err := s.authorize(params{query: r.URL.Query()}, "actor_token", "lftoken"); err != nil {
		respondError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	sep := "["
	err := s.store.each(r.Context(), func(rp livefyre.RemoteProfile) error {
		if _, err := w.Write([]byte(sep)); err != nil {
			return err
		}
		sep = ","
		return enc.Encode(rp)
	})
	if err != nil {
		s.log.Warn("list profiles", "err", err)
		return // the truncated array tells the client
	}
	if sep == "[" {
		w.Write([]byte("["))
	}
	w.Write([]byte("]\n"))
}

// handleProfile returns one user's remote profile and sync record; a pull
// queued or under way shows as outcome "pending".
func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	if err := s.authorize(params{query: r.URL.Query()}, "actor_token", "lftoken"); err != nil {
		respondError(w, err)
		return
	}
	id := r.PathValue("id")
	if err := checkUserID(id); err != nil {
		respondError(w, err)
		return
	}
	rp, stored, err := s.store.get(r.Context(), id)
	if err != nil {
		s.log.Error("get profile", "user_id", id, "err", err)
		respondError(w, errorf(EUnavailable, "could not read the profile; try again"))
		return
	}
	queued, err := s.queued(r, id)
	if err != nil {
		s.log.Warn("queue look-up", "user_id", id, "err", err)
	}
	if queued != nil {
		rp.Sync.Outcome = livefyre.OutcomePending
		if rp.Sync.LastPingAt == nil || queued.PingedAt.After(*rp.Sync.LastPingAt) {
			rp.Sync.LastPingAt = &queued.PingedAt
		}
	} else if !stored {
		respondError(w, errorf(ENotFound, "no remote profile for user %q: it has not been pinged and pulled", id))
		return
	}
	writeJSON(w, http.StatusOK, rp)
}

// queued returns the user's latest queued pull, pending or running.
func (s *Server) queued(r *http.Request, id string) (*job, error) {
	for _, q := range []struct {
		stream jetstream.Stream
		prefix string
	}{{s.queue.pending, pendingPrefix}, {s.queue.pulls, pullPrefix}} {
		m, err := q.stream.GetLastMsgForSubject(r.Context(), q.prefix+userToken(id))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var j job
		if err := json.Unmarshal(m.Data, &j); err != nil {
			return nil, err
		}
		return &j, nil
	}
	return nil, nil
}
