package mockserver

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"p4p/livefyre"
)

// handlePing queues a pull of one user (spec 1.4, 3.3):
// POST /api/v3_0/user/{user_id}/refresh (or v3.0) with lftoken in the query
// or the body. It answers 200 only once the pull is durably queued, or
// joined to one already pending.
func (s *Server) handlePing(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodPost) {
		return
	}
	id := r.PathValue("user_id")
	err := s.admit()
	if err == nil {
		defer s.leave()
		err = s.ping(w, r, id)
	}
	if err != nil {
		e, _ := errorStatus(err)
		s.metrics.rejected.WithLabelValues(e.Code).Inc()
		if e.Code == EInternal {
			s.log.Error("ping", "user_id", id, "err", err)
		}
		respondError(w, err)
	}
}

// canQueue refuses a ping at once, rather than after a publish times out,
// when the mock knows it cannot queue it: no connection to NATS, or no
// room in the store. A connection on its way to another of a cluster's
// servers is waited for, within the ping's store timeout.
func (s *Server) canQueue(ctx context.Context) error {
	if s.broker.connected() == nil {
		return s.storage.noRoom()
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.StoreTimeout)
	defer cancel()
	if err := s.broker.awaitConnected(ctx); err != nil {
		return errorf(EUnavailable, "the mock has lost its connection to NATS; retry later")
	}
	return s.storage.noRoom()
}

func (s *Server) ping(w http.ResponseWriter, r *http.Request, id string) error {
	p, err := s.readParams(w, r)
	if err != nil {
		return err
	}
	if err := s.authorize(p, "lftoken"); err != nil {
		return err
	}
	if err := checkUserID(id); err != nil {
		return err
	}
	if err := s.canQueue(r.Context()); err != nil {
		return err
	}
	announced := s.order.begin(id)
	defer announced() // on the error paths
	now := time.Now()
	pullID, coalesced, err := s.queue.enqueue(r.Context(), job{
		UserID: id, PingedAt: now, Due: now.Add(s.cfg.scale(s.cfg.Delay.Draw())),
	})
	if refused := s.storage.refusal(err); refused != nil {
		err = refused
	}
	if err != nil {
		if _, ok := err.(*Error); !ok {
			if r.Context().Err() == nil { // not a client that hung up
				s.log.Error("enqueue", "user_id", id, "err", err)
			}
			err = errorf(EUnavailable, "the ping could not be queued; try again")
		}
		return err
	}
	result := "queued"
	if coalesced {
		result = "coalesced"
	}
	s.metrics.pings.WithLabelValues(result).Inc()
	s.announce(livefyre.Event{Type: livefyre.PingAccepted, Time: now, UserID: id, PullID: pullID, Coalesced: coalesced}, nil)
	announced()
	s.users.pinged(id, now)
	respondPing(w, livefyre.PingResult{UserID: id, PullID: pullID, Coalesced: coalesced})
	return nil
}

// respondPing writes what respond writes for a ping's answer, without
// reflection or a second pass over the JSON: it runs for every ping. The
// user id is checked (p4p.UserID) and the pull id is a sequence, so
// neither needs escaping; should one, respond writes it.
func respondPing(w http.ResponseWriter, res livefyre.PingResult) {
	if !plainJSON(res.UserID) || !plainJSON(res.PullID) {
		respond(w, http.StatusOK, res)
		return
	}
	b := make([]byte, 0, 96+len(res.UserID)+len(res.PullID))
	b = append(b, `{"status":"ok","code":200,"data":{"user_id":"`...)
	b = append(b, res.UserID...)
	b = append(b, `","pull_id":"`...)
	b = append(b, res.PullID...)
	b = append(b, `","coalesced":`...)
	b = strconv.AppendBool(b, res.Coalesced)
	b = append(b, "}}\n"...)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
