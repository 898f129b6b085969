package mockserver

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// The admin API, /admin/v1/ (docs/STUDIO.md): the users list, one user
// with their timeline, the dead letters and their replay, and the session
// a page logs in with. Every answer is a v3 envelope, never cached, and
// needs a system or network owner token (session.go says how it may come).

func (s *Server) adminRoutes(mux *http.ServeMux) {
	for path, h := range map[string]http.HandlerFunc{
		"/admin/v1/session":                s.handleSession,
		"/admin/v1/users":                  s.adminOnly(s.handleUsers, http.MethodGet, http.MethodHead),
		"/admin/v1/users/{id}":             s.adminOnly(s.handleUser, http.MethodGet, http.MethodHead),
		"/admin/v1/users/{id}/timeline":    s.adminOnly(s.handleTimeline, http.MethodGet, http.MethodHead),
		"/admin/v1/users/{id}/app":         s.adminOnly(s.handleUserApp, http.MethodGet, http.MethodHead),
		"/admin/v1/dead":                   s.adminOnly(s.handleDead, http.MethodGet, http.MethodHead),
		"/admin/v1/dead/replay":            s.adminOnly(s.handleReplayAll, http.MethodPost),
		"/admin/v1/dead/{id}/replay":       s.adminOnly(s.handleReplay, http.MethodPost),
		"/admin/v1/users/{id}/dead/replay": s.adminOnly(s.handleReplayUser, http.MethodPost),
	} {
		mux.HandleFunc(path, h)
	}
}

// openAdmin opens the history and the users index.
func (s *Server) openAdmin(ctx context.Context) error {
	var err error
	room := func() bool { return s.storage.current() == storeOK }
	s.history, err = openHistory(ctx, s.js, s.topology, s.cfg.HistoryPerUser, historyLimit(s.broker.limit), s.log, s.alarms, room)
	if err != nil {
		return err
	}
	s.metrics.registry.MustRegister(s.history.dropped)
	var epoch [4]byte
	rand.Read(epoch[:])
	s.users = newUserIndex(binary.BigEndian.Uint32(epoch[:]))
	if err := s.countDead(ctx); err != nil {
		return err
	}
	if err := s.users.watch(context.Background(), s.store.profiles); err != nil {
		return err
	}
	s.session = newSessions(s.cfg.Key, s.cfg.Now)
	return nil
}

// countDead tells the users index which users have dead letters.
func (s *Server) countDead(ctx context.Context) error {
	stream, err := s.js.Stream(ctx, deadStream)
	if err != nil {
		return fmt.Errorf("stream %s: %w", deadStream, err)
	}
	info, err := stream.Info(ctx, jetstream.WithSubjectFilter(deadPrefix+"*"))
	if err != nil {
		return fmt.Errorf("stream %s: %w", deadStream, err)
	}
	for subject, n := range info.State.Subjects {
		if id, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(subject, deadPrefix)); err == nil {
			s.users.deadLettered(string(id), int(n))
		}
	}
	return nil
}

func (s *Server) closeAdmin() {
	if s.users != nil {
		s.users.stop()
	}
	s.history.close()
}

// adminOnly allows methods and checks the credential before h.
func (s *Server) adminOnly(h func(http.ResponseWriter, *http.Request, admin), methods ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if !allow(w, r, methods...) {
			return
		}
		a, err := s.authorizeAdmin(r)
		if err != nil {
			respondError(w, err)
			return
		}
		h(w, r, a)
	}
}

// handleSession: GET says who is logged in; POST logs in with the form
// field token; DELETE logs out.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete) {
		return
	}
	if err := sameOrigin(r, false); err != nil {
		respondError(w, err)
		return
	}
	switch r.Method {
	case http.MethodPost:
		s.login(w, r)
		return
	case http.MethodDelete:
		if ck, err := r.Cookie(SessionCookie); err == nil {
			if sess, nonce, err := s.session.check(ck.Value); err == nil {
				s.session.revoke(nonce, sess.ExpiresAt)
			}
		}
		setCookie(w, r, "", time.Time{})
		respond(w, http.StatusOK, struct{}{})
		return
	}
	a, err := s.authorizeAdmin(r)
	if err != nil {
		respondError(w, err)
		return
	}
	respond(w, http.StatusOK, a.session)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		respondError(w, err)
		return
	}
	c, err := s.tokens.Validate(p.body.Get("token"))
	if err != nil {
		respondError(w, errorf(EForbidden, "token invalid: %s", tokenReason(err)))
		return
	}
	value, sess := s.session.issue(c)
	setCookie(w, r, value, sess.ExpiresAt)
	respond(w, http.StatusOK, sess)
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request, _ admin) {
	q, err := parseUsersQuery(r.URL.Query(), s.users.epoch)
	if err != nil {
		respondError(w, err)
		return
	}
	respond(w, http.StatusOK, s.users.list(q))
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request, _ admin) {
	id := r.PathValue("id")
	page, err := s.userPage(r, id)
	if err != nil {
		respondError(w, err)
		return
	}
	d := livefyre.UserDetail{ID: id}
	rp, stored, err := s.store.get(r.Context(), id)
	if err != nil {
		respondError(w, s.adminReadFailed("profile", err))
		return
	}
	if stored {
		d.Remote = &rp
	}
	if queued, err := s.queued(r, id); err == nil && queued != nil {
		d.Queued = true
	}
	if d.DeadLetters, err = s.deadFor(r.Context(), id); err != nil {
		respondError(w, s.adminReadFailed("dead letters", err))
		return
	}
	if d.Timeline, err = s.history.timeline(r.Context(), id, page.before, page.limit); err != nil {
		respondError(w, s.adminReadFailed("timeline", err))
		return
	}
	if !stored && !d.Queued && len(d.Timeline.Records) == 0 && len(d.DeadLetters) == 0 {
		respondError(w, errorf(ENotFound, "nothing known of user %q", id))
		return
	}
	respond(w, http.StatusOK, d)
}

func (s *Server) handleTimeline(w http.ResponseWriter, r *http.Request, _ admin) {
	id := r.PathValue("id")
	page, err := s.userPage(r, id)
	if err != nil {
		respondError(w, err)
		return
	}
	t, err := s.history.timeline(r.Context(), id, page.before, page.limit)
	if err != nil {
		respondError(w, s.adminReadFailed("timeline", err))
		return
	}
	respond(w, http.StatusOK, t)
}

// userPage checks the user id and reads the timeline's limit and cursor.
func (s *Server) userPage(r *http.Request, id string) (adminPage, error) {
	if err := checkUserID(id); err != nil {
		return adminPage{}, err
	}
	return parseAdminPage(r.URL.Query())
}

func (s *Server) handleDead(w http.ResponseWriter, r *http.Request, _ admin) {
	dq, err := parseDeadQuery(r.URL.Query())
	if err != nil {
		respondError(w, err)
		return
	}
	list, err := s.deadLetters(r.Context(), dq)
	if err != nil {
		respondError(w, s.adminReadFailed("dead letters", err))
		return
	}
	respond(w, http.StatusOK, list)
}

func (s *Server) handleReplay(w http.ResponseWriter, r *http.Request, a admin) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil || id == 0 {
		respondError(w, errorf(EInvalid, "a dead letter id is a positive integer"))
		return
	}
	rep, err := s.replay(r.Context(), id)
	if err != nil {
		respondError(w, s.replayFailed(err))
		return
	}
	s.log.Info("dead letter replayed", "dead_letter", id, "user_id", rep.UserID, "pull_id", rep.PullID, "by", a.session.UserID)
	respond(w, http.StatusOK, livefyre.ReplayResult{Replayed: []livefyre.Replay{rep}})
}

// handleReplayAll replays every dead letter matching the filter in the
// query (user, q), at most MaxReplay per request.
func (s *Server) handleReplayAll(w http.ResponseWriter, r *http.Request, a admin) {
	dq, err := parseDeadQuery(r.URL.Query())
	if err != nil {
		respondError(w, err)
		return
	}
	s.replayMatching(w, r, a, dq)
}

func (s *Server) handleReplayUser(w http.ResponseWriter, r *http.Request, a admin) {
	dq, err := parseDeadQuery(r.URL.Query())
	if err == nil {
		dq.user = r.PathValue("id")
		err = checkUserID(dq.user)
	}
	if err != nil {
		respondError(w, err)
		return
	}
	s.replayMatching(w, r, a, dq)
}

func (s *Server) replayMatching(w http.ResponseWriter, r *http.Request, a admin, dq deadQuery) {
	res, err := s.replayAll(r.Context(), dq)
	if err != nil {
		respondError(w, s.replayFailed(err))
		return
	}
	s.log.Info("dead letters replayed", "count", len(res.Replayed), "more", res.More, "by", a.session.UserID)
	respond(w, http.StatusOK, res)
}

func (s *Server) replayFailed(err error) error {
	if _, ok := err.(*Error); ok {
		return err
	}
	return s.adminReadFailed("dead letters", err)
}

func (s *Server) adminReadFailed(what string, err error) error {
	s.log.Error("admin: read "+what, "err", err)
	return errorf(EUnavailable, "could not read the %s; try again", what)
}
