package mockserver

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// handleProfiles lists the stored remote profiles, like V2's
// GET /profiles/?actor_token= (spec 4): a JSON array of RemoteProfile, in
// the store's order (listing.go says which, and what a walk sees while
// profiles change).
//
// With limit or cursor it answers one page of at most limit profiles
// (DefaultPageSize if only a cursor is given, MaxPageSize at most) and,
// unless the page is the last, a Link header to the next one (RFC 8288:
// rel="next", a relative URL without the token, which the client adds).
//
// Without either, the V2 form: every profile as one streamed array. Spec 4
// knows no paging, so a V2 client reads the array and nothing else; past
// MaxUnpaged profiles the answer is therefore 400 with a Link to the first
// page, not a shorter array that such a client would take for the whole
// network. A failure before the first byte is 503; one while the array
// streams aborts the connection, so the client sees an error, never a
// complete-looking short list.
func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	q := r.URL.Query()
	if err := s.authorize(params{query: q}, "actor_token", "lftoken"); err != nil {
		respondError(w, err)
		return
	}
	l, err := parseListing(q)
	if err != nil {
		respondError(w, err)
		return
	}
	if l.paged {
		s.servePage(w, r, l)
		return
	}
	s.serveAll(w, r)
}

// servePage answers one page, read whole before the first byte.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, l listing) {
	p, err := s.store.page(r.Context(), l.from, l.limit)
	if err != nil {
		s.listFailed(w, err)
		return
	}
	if p.next != 0 {
		w.Header().Set("Link", nextLink(l.limit, encodeCursor(p.next)))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	list := newArray(w)
	for _, rp := range p.profiles {
		list.add(rp)
	}
	list.end()
}

// serveAll streams every profile, up to MaxUnpaged, a page at a time.
func (s *Server) serveAll(w http.ResponseWriter, r *http.Request) {
	n, err := s.store.count(r.Context())
	if err != nil {
		s.listFailed(w, err)
		return
	}
	if n > MaxUnpaged {
		w.Header().Set("Link", nextLink(MaxPageSize, ""))
		respondError(w, errorf(EInvalid, "%d profiles, more than the %d the unpaged listing serves: ask for pages with limit (at most %d) and follow the Link header's cursor", n, MaxUnpaged, MaxPageSize))
		return
	}
	p, err := s.store.page(r.Context(), 0, MaxPageSize)
	if err != nil {
		s.listFailed(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	list := newArray(w)
	for {
		for _, rp := range p.profiles {
			list.add(rp)
		}
		if p.next == 0 || list.err != nil {
			break
		}
		if list.n >= MaxUnpaged {
			s.log.Warn("list profiles: the store grew past the unpaged cap while streaming", "profiles", list.n)
			panic(http.ErrAbortHandler)
		}
		if p, err = s.store.page(r.Context(), p.next, MaxPageSize); err != nil {
			s.log.Warn("list profiles", "err", err, "sent", list.n)
			panic(http.ErrAbortHandler) // the client sees the body cut off, not a short list
		}
	}
	list.end()
}

func (s *Server) listFailed(w http.ResponseWriter, err error) {
	s.log.Error("list profiles", "err", err)
	respondError(w, errorf(EUnavailable, "could not read the profiles; try again"))
}

// array writes a JSON array one element at a time. A write error (the
// client gone) is kept and ends the writing.
type array struct {
	w   http.ResponseWriter
	n   int
	err error
}

func newArray(w http.ResponseWriter) *array { return &array{w: w} }

func (a *array) add(v json.RawMessage) {
	if a.err != nil {
		return
	}
	sep := ","
	if a.n == 0 {
		sep = "["
	}
	if _, a.err = io.WriteString(a.w, sep); a.err == nil {
		_, a.err = a.w.Write(v)
	}
	a.n++
}

func (a *array) end() {
	if a.n == 0 {
		io.WriteString(a.w, "[")
	}
	io.WriteString(a.w, "]\n")
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
