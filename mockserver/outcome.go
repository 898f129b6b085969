package mockserver

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

var errNoPullURL = errors.New("no Pull URL registered: POST / with actor_token and pull_profile_url first (spec 1.3)")

// pullRun is one attempt of a started pull: its message, its job, its
// attempt number and the user's sync record as it was before.
type pullRun struct {
	msg      jetstream.Msg
	job      job
	attempt  int
	record   livefyre.RemoteProfile
	revision uint64 // the record's, in the profiles bucket; 0 if none
}

// Each pull ends in exactly one of succeed or finish; retry hands it back
// to the queue for a later attempt. The message is acked only once the
// outcome is stored, so a crash in between delivers the pull again rather
// than losing it (and runPull, finding the outcome recorded, only acks
// it); the events that announce the end follow the ack, so that a
// client told of it finds the pull neither queued nor running (GET
// /profiles/{id} shows it ended, not pending).

func (s *Server) succeed(ctx context.Context, p *pullRun, a attempt) {
	m, j := p.msg, p.job
	now := time.Now()
	latency := now.Sub(j.PingedAt)
	rp, err := s.keepRecord(ctx, p, now, func(rp *livefyre.RemoteProfile) {
		s.keepPrevious(rp)
		rp.Profile = a.doc.Raw
		rp.Sync.Outcome = livefyre.OutcomeSucceeded
		rp.Sync.LastError = ""
		rp.Sync.LastUpdateAt = &now
		rp.Sync.LatencyMS = ms(latency)
		rp.Sync.Pulls++
	})
	if errors.Is(err, errStale) {
		s.dropStale(ctx, p, rp)
		return
	}
	if err != nil { // shutting down: the pull is made again after a restart
		m.Nak()
		return
	}
	s.metrics.attempts.WithLabelValues("ok").Inc()
	s.metrics.pulls.WithLabelValues(string(livefyre.OutcomeSucceeded)).Inc()
	s.metrics.propagation.Observe(latency.Seconds())
	s.ack(ctx, m, j)
	s.appview.stored(rp.ID, j.PullID, j.PingedAt, now)
	base := s.pullEvent(p, a)
	base.Type = livefyre.PullSucceeded
	s.announce(base, &a)
	s.announce(livefyre.Event{Type: livefyre.ProfileUpdated, Time: now, UserID: rp.ID,
		PullID: j.PullID, PingedAt: &j.PingedAt, LatencyMS: ms(latency)}, nil)
}

func (s *Server) retry(ctx context.Context, p *pullRun, a attempt) {
	m, j := p.msg, p.job
	wait := s.cfg.scale(max(backoff(p.attempt, s.cfg.BackoffBase, s.cfg.BackoffMax), a.retryAfter))
	rp, err := s.record(ctx, p, time.Now(), func(rp *livefyre.RemoteProfile) {
		rp.Sync.Outcome = livefyre.OutcomePending
		rp.Sync.LastError = a.err.Error()
	})
	if errors.Is(err, errStale) {
		s.dropStale(ctx, p, rp)
		return
	}
	if err != nil {
		s.storage.refusal(err)
		s.alarms.raise("recording pull outcomes", err, "user_id", j.UserID, "pull_id", j.PullID)
	}
	s.metrics.attempts.WithLabelValues("retry").Inc()
	ev := s.pullEvent(p, a)
	ev.Type, ev.RetryInMS = livefyre.PullFailed, ms(wait)
	s.announce(ev, &a)
	m.NakWithDelay(wait)
}

func (s *Server) finish(ctx context.Context, p *pullRun, a attempt) {
	m, j := p.msg, p.job
	if a.retryable { // the attempts ran out
		a.err = fmt.Errorf("%w; gave up after %d attempts", a.err, p.attempt)
	}
	rp, err := s.keepRecord(ctx, p, time.Now(), func(rp *livefyre.RemoteProfile) {
		rp.Sync.Outcome = livefyre.OutcomeFailed
		rp.Sync.LastError = a.err.Error()
		rp.Sync.Pulls++
	})
	if errors.Is(err, errStale) {
		s.dropStale(ctx, p, rp)
		return
	}
	if err != nil { // shutting down: the pull is made again after a restart
		m.Nak()
		return
	}
	dead, err := s.queue.deadLetter(ctx, j, a.err.Error())
	if err != nil {
		s.alarms.raise("keeping failed pulls in "+deadStream, err, "user_id", j.UserID)
	} else {
		s.alarms.clear("keeping failed pulls in " + deadStream)
		s.users.deadLettered(j.UserID, 1)
	}
	s.metrics.attempts.WithLabelValues("fail").Inc()
	s.metrics.pulls.WithLabelValues(string(livefyre.OutcomeFailed)).Inc()
	s.ack(ctx, m, j)
	ev := s.pullEvent(p, a)
	ev.Type, ev.Final, ev.DeadLetter = livefyre.PullFailed, true, dead
	s.announce(ev, &a)
	s.log.Info("pull failed", "user_id", j.UserID, "pull_id", j.PullID, "attempts", p.attempt, "err", a.err)
}

// keepRecord stores the pull's outcome, waiting for room rather than asking
// the endpoint again: while the store refuses, the attempt's result is held
// here, the message is kept in progress, and the failure is logged once. It
// gives up only when the mock shuts down.
func (s *Server) keepRecord(ctx context.Context, p *pullRun, now time.Time, change func(*livefyre.RemoteProfile)) (livefyre.RemoteProfile, error) {
	const step = "recording pull outcomes"
	wait := 50 * time.Millisecond
	for {
		// Each try within a fresh AckWait, bounded as the steps before
		// the attempt are (startWindow): a store that does not answer
		// while its stream elects a leader must not outlast the AckWait,
		// or the pull is delivered again and this outcome stored over
		// a later pull's.
		p.msg.InProgress()
		rctx, cancel := context.WithTimeout(ctx, s.startWindow())
		rp, err := s.record(rctx, p, now, change)
		cancel()
		if err == nil || errors.Is(err, errStale) {
			s.alarms.clear(step)
			return rp, err
		}
		s.storage.refusal(err)
		s.alarms.raise(step, err, "user_id", p.job.UserID, "pull_id", p.job.PullID)
		select {
		case <-ctx.Done():
			return rp, err
		case <-s.done:
			return rp, err
		case <-time.After(wait):
		}
		wait = min(2*wait, storePause)
	}
}

// record stores the user's sync record for this attempt, plus change, if
// the record is still as the attempt read it (p.revision). A user's pulls
// take turns (one message per user in P4P_PULLS, and a lease per user when
// mocks share a NATS), but JetStream delivers at least once: a delivery
// held up past its AckWait (a stream electing a leader, say) may end
// after the pull was delivered again, ended, and a later pull of the user
// recorded. Its outcome must not overwrite theirs; record returns
// errStale, and the record as it is, for it.
func (s *Server) record(ctx context.Context, p *pullRun, now time.Time, change func(*livefyre.RemoteProfile)) (livefyre.RemoteProfile, error) {
	for {
		rp := p.record
		rp.ID = p.job.UserID
		rp.Sync.PullID = p.job.PullID
		rp.Sync.LastPingAt = &p.job.PingedAt
		rp.Sync.LastPullAt = &now
		rp.Sync.Attempts = p.attempt
		change(&rp)
		err := s.store.putRevision(ctx, rp, p.revision)
		if !errors.Is(err, errChanged) {
			return rp, err
		}
		cur, revision, err := s.store.getRevision(ctx, p.job.UserID)
		if err != nil {
			return rp, err
		}
		switch {
		case cur.Sync.PullID == rp.Sync.PullID && cur.Sync.LastPullAt != nil && cur.Sync.LastPullAt.Equal(now):
			// This very write, stored though its answer was lost: each
			// write of an outcome has a time of its own.
			return rp, nil
		case laterPull(cur.Sync.PullID, p.job.PullID), cur.Sync.PullID == p.job.PullID && final(cur.Sync.Outcome):
			return cur, errStale
		}
		p.record, p.revision = cur, revision
		// The record read may lag the one that refused the write (a
		// replica's direct get): give it a moment.
		if !pause(ctx, 5*time.Millisecond) {
			return rp, ctx.Err()
		}
	}
}

// errStale says an attempt's outcome was not stored because the sync
// record holds a later pull's, or this pull's end.
var errStale = errors.New("a later pull, or another delivery of this one, has been recorded")

// laterPull reports whether pull id a was queued after pull id b. Pull ids
// are sequences of P4P_PENDING; "" (no pull yet) is before any.
func laterPull(a, b string) bool {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	return errA == nil && (errB != nil || x > y)
}

// dropStale ends a delivery whose outcome came too late to be recorded
// (errStale): the pull it is a delivery of has ended, so it is acked and
// nothing is announced.
func (s *Server) dropStale(ctx context.Context, p *pullRun, current livefyre.RemoteProfile) {
	s.log.Info("a late delivery of a pull ended after its user's record moved on; its outcome is dropped",
		"user_id", p.job.UserID, "pull_id", p.job.PullID, "recorded_pull_id", current.Sync.PullID)
	s.metrics.stale.Inc()
	s.ack(ctx, p.msg, p.job)
}

func (s *Server) pullEvent(p *pullRun, a attempt) livefyre.Event {
	j := p.job
	ev := livefyre.Event{Time: time.Now(), UserID: j.UserID, PullID: j.PullID, Attempt: p.attempt,
		Status: a.status, DurationMS: ms(a.duration), PingedAt: &j.PingedAt}
	if a.err != nil {
		ev.Error = a.err.Error()
	}
	return ev
}

// ack acks a pull that has ended and, once JetStream has removed it,
// wakes the user's next pull if it waits to be moved in (waiting.go).
func (s *Server) ack(ctx context.Context, m jetstream.Msg, j job) {
	if err := m.DoubleAck(ctx); err != nil {
		s.log.Warn("ack pull", "pull_id", j.PullID, "err", err)
		return
	}
	s.waiting.wake(j.UserID)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
