package refapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"p4p/livefyre"
	"p4p/profile"
)

// hookAnswer is the body of POST /hook's answers.
type hookAnswer struct {
	ID        string `json:"id"`
	Pinged    bool   `json:"pinged"`
	PullID    string `json:"pull_id,omitempty"`
	Coalesced bool   `json:"coalesced,omitempty"`
	Error     string `json:"error,omitempty"`
}

// handleHook is what a site does when a user edits their profile: store
// the change, then ping Livefyre (spec 1.1). It answers 200 when both
// happened, 502 when the change was stored but the ping failed, and 400,
// 404 or 413 when nothing changed.
func (s *Server) handleHook(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodPost) {
		return
	}
	u, err := decodeUpdate(http.MaxBytesReader(w, r.Body, maxHookBody))
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	// A caller hanging up must not stop the ping of a stored change.
	_, res, err := s.update(context.WithoutCancel(r.Context()), u)
	switch {
	case errors.Is(err, ErrPing):
		s.log.Warn("update hook", "id", u.ID, "err", err)
		writeJSON(w, statusOf(err), hookAnswer{ID: u.ID, Error: err.Error()})
	case err != nil:
		writeError(w, statusOf(err), err)
	case res == nil:
		writeJSON(w, http.StatusOK, hookAnswer{ID: u.ID})
	default:
		writeJSON(w, http.StatusOK, hookAnswer{ID: u.ID, Pinged: true, PullID: res.PullID, Coalesced: res.Coalesced})
	}
}

// Update does what POST /hook does: it applies u to the user's profile if
// the result is a valid profile, then, if Livefyre is configured, pings
// it (unless FaultHookNoPing; FaultFirstChangeOnly and FaultSharedUpdate
// apply it wrongly, faulthook.go). It returns the new profile; an error
// matching ErrPing means the change was applied but Livefyre was not told.
func (s *Server) Update(ctx context.Context, u Update) (profile.Profile, error) {
	p, _, err := s.update(ctx, u)
	return p, err
}

func (s *Server) update(ctx context.Context, u Update) (profile.Profile, *livefyre.PingResult, error) {
	if err := u.check(); err != nil {
		return profile.Profile{}, nil, err
	}
	p, err := s.apply(u)
	if err != nil {
		return profile.Profile{}, nil, fmt.Errorf("update %q: %w", u.ID, err)
	}
	s.log.Info("user updated", "id", u.ID)
	if s.livefyre == nil || s.cfg.Fault == FaultHookNoPing {
		return p, nil, nil
	}
	res, err := s.livefyre.Ping(ctx, u.ID)
	if err != nil {
		return p, nil, fmt.Errorf("update %q: %w: %w", u.ID, ErrPing, err)
	}
	s.log.Info("pinged Livefyre", "id", u.ID, "pull_id", res.PullID, "coalesced", res.Coalesced)
	return p, &res, nil
}

// render is a profile's JSON once the schema accepts it.
func (s *Server) render(p *profile.Profile) ([]byte, error) {
	body, err := p.JSON()
	if err == nil {
		_, err = s.profiles.Check(body, p.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return body, nil
}
