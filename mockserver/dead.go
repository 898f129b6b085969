package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// Dead letters as the admin API lists and replays them. A dead letter's id
// is its sequence in P4P_DEAD. A replay queues the pull again as a new
// pending pull, due at once, and deletes the dead letter: a pull that
// fails again leaves a new one.
const (
	// maxDeadScan bounds the dead letters one listing request looks at;
	// a page cut short by it carries a cursor to go on.
	maxDeadScan = 5000
	// maxDeadPerUser bounds the dead letters read for one user.
	maxDeadPerUser = 1000
	// MaxReplay is the most dead letters one replay request queues.
	MaxReplay = 500
)

// deadLetters lists dead letters newest first, matching dq.
func (s *Server) deadLetters(ctx context.Context, dq deadQuery) (livefyre.DeadLetterList, error) {
	out := livefyre.DeadLetterList{DeadLetters: []livefyre.DeadLetter{}}
	if dq.user != "" {
		all, err := s.deadFor(ctx, dq.user)
		if err != nil {
			return out, err
		}
		for _, d := range all {
			if (dq.before == 0 || d.ID < dq.before) && matchDead(d, dq.search) {
				if len(out.DeadLetters) == dq.limit {
					out.NextCursor = encodeCursor(out.DeadLetters[dq.limit-1].ID)
					break
				}
				out.DeadLetters = append(out.DeadLetters, d)
			}
		}
		return out, nil
	}
	stream, err := s.js.Stream(ctx, deadStream)
	if err != nil {
		return out, fmt.Errorf("stream %s: %w", deadStream, err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return out, fmt.Errorf("stream %s: %w", deadStream, err)
	}
	seq := info.State.LastSeq
	if dq.before > 0 {
		seq = min(seq, dq.before-1)
	}
	for scanned := 0; seq >= max(info.State.FirstSeq, 1) && seq > 0; seq-- {
		if scanned++; scanned > maxDeadScan || len(out.DeadLetters) == dq.limit {
			out.NextCursor = encodeCursor(seq + 1)
			break
		}
		d, err := s.deadLetter(ctx, stream, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // replayed
		}
		if err != nil {
			return out, err
		}
		if matchDead(d, dq.search) {
			out.DeadLetters = append(out.DeadLetters, d)
		}
	}
	return out, nil
}

func matchDead(d livefyre.DeadLetter, search string) bool {
	return search == "" || containsFold(d.UserID+"\x00"+d.Reason, search)
}

// deadFor returns the user's dead letters, newest first.
func (s *Server) deadFor(ctx context.Context, userID string) ([]livefyre.DeadLetter, error) {
	msgs, err := readSubject(ctx, s.js, deadStream, deadPrefix+userToken(userID), maxDeadPerUser)
	if err != nil {
		return nil, fmt.Errorf("read dead letters: %w", err)
	}
	out := make([]livefyre.DeadLetter, 0, len(msgs))
	for _, m := range msgs {
		if d, ok := decodeDead(m); ok {
			out = append(out, d)
		}
	}
	slices.Reverse(out)
	return out, nil
}

// deadLetter reads one dead letter; ErrMsgNotFound if there is none.
func (s *Server) deadLetter(ctx context.Context, stream jetstream.Stream, id uint64) (livefyre.DeadLetter, error) {
	m, err := stream.GetMsg(ctx, id)
	if err != nil {
		return livefyre.DeadLetter{}, err
	}
	d, ok := decodeDead(storedMsg{seq: m.Sequence, at: m.Time, data: m.Data})
	if !ok || !strings.HasPrefix(m.Subject, deadPrefix) {
		return d, jetstream.ErrMsgNotFound
	}
	return d, nil
}

func decodeDead(m storedMsg) (livefyre.DeadLetter, bool) {
	var dj deadJob
	if json.Unmarshal(m.data, &dj) != nil || dj.UserID == "" {
		return livefyre.DeadLetter{}, false
	}
	return livefyre.DeadLetter{ID: m.seq, UserID: dj.UserID, PullID: dj.PullID, PingedAt: dj.PingedAt,
		At: m.at.UTC(), Reason: dj.Reason}, true
}

// replay queues dead letter id again as a new pull, due now, and deletes
// it; the replay is announced (pull.replayed) and kept in the timeline.
func (s *Server) replay(ctx context.Context, id uint64) (livefyre.Replay, error) {
	r := livefyre.Replay{DeadLetter: id}
	stream, err := s.js.Stream(ctx, deadStream)
	if err != nil {
		return r, fmt.Errorf("stream %s: %w", deadStream, err)
	}
	d, err := s.deadLetter(ctx, stream, id)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return r, errorf(ENotFound, "no dead letter %d: it was replayed, expired, or never was", id)
	}
	if err != nil {
		return r, err
	}
	r.UserID = d.UserID
	if err := s.canQueue(ctx); err != nil {
		return r, err
	}
	defer s.order.begin(d.UserID)()
	now := time.Now()
	r.PullID, r.Coalesced, err = s.queue.enqueue(ctx, job{UserID: d.UserID, PingedAt: now, Due: now})
	if refused := s.storage.refusal(err); refused != nil {
		err = refused
	}
	if err != nil {
		return r, err
	}
	if err := stream.DeleteMsg(ctx, id); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		s.log.Warn("delete replayed dead letter", "dead_letter", id, "err", err)
	} else {
		s.users.deadLettered(d.UserID, -1)
	}
	s.users.pinged(d.UserID, now)
	s.announce(livefyre.Event{Type: livefyre.PullReplayed, Time: now, UserID: d.UserID, PullID: r.PullID,
		Coalesced: r.Coalesced, DeadLetter: id, PingedAt: &now}, nil)
	return r, nil
}

// replayAll replays the dead letters matching dq, newest first, at most
// MaxReplay.
func (s *Server) replayAll(ctx context.Context, dq deadQuery) (livefyre.ReplayResult, error) {
	res := livefyre.ReplayResult{Replayed: []livefyre.Replay{}}
	dq.limit, dq.before = min(MaxReplay, MaxAdminPage), 0
	for {
		page, err := s.deadLetters(ctx, dq)
		if err != nil {
			return res, err
		}
		for _, d := range page.DeadLetters {
			if len(res.Replayed) == MaxReplay {
				res.More = true
				return res, nil
			}
			r, err := s.replay(ctx, d.ID)
			if err != nil {
				e, _ := errorStatus(err)
				r.Error = e.Msg
			}
			res.Replayed = append(res.Replayed, r)
		}
		if page.NextCursor == "" {
			return res, nil
		}
		if dq.before, err = decodeCursor(page.NextCursor); err != nil {
			return res, err
		}
	}
}
