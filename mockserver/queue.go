package mockserver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// Stream and subject names. A subject's last token is the user id in
// unpadded base64url, which is always a valid NATS token.
const (
	pendingStream = "P4P_PENDING"
	pullsStream   = "P4P_PULLS"
	deadStream    = "P4P_DEAD"
	pendingPrefix = "p4p.pending."
	pullPrefix    = "p4p.pull."
	deadPrefix    = "p4p.dead."
)

// job is a queued pull, as stored in P4P_PENDING and then P4P_PULLS.
type job struct {
	UserID   string    `json:"user_id"`
	PingedAt time.Time `json:"pinged_at"` // the ping that queued it
	Due      time.Time `json:"due"`       // when the delay model lets it start
	PullID   string    `json:"pull_id,omitempty"`
}

func userToken(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

// queue owns the streams.
type queue struct {
	js      jetstream.JetStream
	pending jetstream.Stream
	pulls   jetstream.Stream
	// timeout bounds a ping's publish, retries across elections included
	// (Config.StoreTimeout), and a move's or a dead letter's.
	timeout time.Duration
}

func openQueue(ctx context.Context, js jetstream.JetStream, cfg Config, t *topology) (*queue, error) {
	perUser := func(name, prefix string, max int64) jetstream.StreamConfig {
		return jetstream.StreamConfig{
			Name:                 name,
			Subjects:             []string{prefix + "*"},
			Retention:            jetstream.WorkQueuePolicy,
			Storage:              jetstream.FileStorage,
			MaxMsgs:              max,
			MaxMsgsPerSubject:    1,
			Discard:              jetstream.DiscardNew,
			DiscardNewPerSubject: true,
			Duplicates:           duplicateWindow,
			// A replica that answers a direct get may lag its leader: the
			// pending pull a ping joins, and whether a pull has left
			// P4P_PENDING, are read from the leader on a cluster.
			AllowDirect: t.replicas == 1,
		}
	}
	q := &queue{js: js, timeout: cfg.StoreTimeout}
	var err error
	if q.pending, err = t.stream(ctx, js, perUser(pendingStream, pendingPrefix, int64(cfg.MaxQueued))); err != nil {
		return nil, fmt.Errorf("stream %s: %w", pendingStream, err)
	}
	if q.pulls, err = t.stream(ctx, js, perUser(pullsStream, pullPrefix, -1)); err != nil {
		return nil, fmt.Errorf("stream %s: %w", pullsStream, err)
	}
	_, err = t.stream(ctx, js, jetstream.StreamConfig{
		Name:     deadStream,
		Subjects: []string{deadPrefix + "*"},
		Storage:  jetstream.FileStorage,
		MaxMsgs:  100_000,
		MaxAge:   7 * 24 * time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", deadStream, err)
	}
	return q, nil
}

// enqueue queues a pull for the user, or joins the one already pending. It
// returns only once JetStream has stored the message (a quorum of its
// replicas has it) or the pending one it joined is known, so an
// acknowledged ping survives a crash, and on a cluster the loss of a
// minority of its servers. The publish carries a message id of its own and
// is repeated with it across leader elections until q.timeout, so that a
// ping stored whose answer was lost is one pull, not two: the repeat is
// answered with the first one's sequence.
func (q *queue) enqueue(ctx context.Context, j job) (pullID string, coalesced bool, err error) {
	data, err := encodeJob(j)
	if err != nil {
		return "", false, err
	}
	deadline := time.Now().Add(q.timeout)
	subject := pendingPrefix + userToken(j.UserID)
	m := pendingMsg(subject, "ping-"+nuid.Next(), data, j.Due)
	// A pending pull can be moved between a refused publish and the
	// look-up; then there is room again, so try a few times.
	for range 3 {
		ack, err := publishOnce(ctx, deadline, q.js, m, refusedForGood)
		switch {
		case err == nil:
			return strconv.FormatUint(ack.Sequence, 10), false, nil
		case isLimit(err, "maximum messages per subject exceeded"):
			seq, err := q.lastPendingUntil(ctx, deadline, subject)
			if errors.Is(err, jetstream.ErrMsgNotFound) {
				continue
			}
			if err != nil {
				return "", false, fmt.Errorf("find pending pull: %w", err)
			}
			return strconv.FormatUint(seq, 10), true, nil
		case isLimit(err, "maximum messages exceeded"):
			return "", false, errorf(EFull, "queue full: %d pulls pending", q.cap(ctx))
		default:
			return "", false, fmt.Errorf("enqueue: %w", err)
		}
	}
	return "", false, errors.New("enqueue: pending pull kept changing")
}

func (q *queue) lastPendingUntil(ctx context.Context, deadline time.Time, subject string) (uint64, error) {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	return q.lastPending(ctx, subject)
}

// lastPending is the sequence of the user's pending pull, looked up again
// across an election until ctx ends; ErrMsgNotFound if there is none.
func (q *queue) lastPending(ctx context.Context, subject string) (uint64, error) {
	wait := 20 * time.Millisecond
	for {
		actx, cancel := context.WithTimeout(ctx, publishAttempt)
		m, err := q.pending.GetLastMsgForSubject(actx, subject)
		cancel()
		if err == nil {
			return m.Sequence, nil
		}
		if errors.Is(err, jetstream.ErrMsgNotFound) || !pause(ctx, wait) {
			return 0, err
		}
		wait = min(2*wait, publishWaitMax)
	}
}

// move starts a due pending pull: publish it to P4P_PULLS, then ack it in
// P4P_PENDING. The message id makes a publish repeated after a crash a
// no-op. It reports false when the user already has a pull running.
func (q *queue) move(ctx context.Context, j job) (bool, error) {
	data, err := encodeJob(j)
	if err != nil {
		return false, err
	}
	m := idMsg(pullPrefix+userToken(j.UserID), "pull-"+j.PullID, data)
	_, err = publishOnce(ctx, time.Now().Add(q.timeout), q.js, m, refusedForGood)
	if isLimit(err, "maximum messages per subject exceeded") {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("move pull %s: %w", j.PullID, err)
	}
	return true, nil
}

// stillPending reports whether the pending message a pull came from is still
// in P4P_PENDING, that is, the mover has not acked it yet. Until it has,
// pings are joining it, so the pull must not read the profile yet.
func (q *queue) stillPending(ctx context.Context, pullID string) (bool, error) {
	seq, err := strconv.ParseUint(pullID, 10, 64)
	if err != nil {
		return false, fmt.Errorf("pull id %q: %w", pullID, err)
	}
	_, err = q.pending.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return false, nil
	}
	return err == nil, err
}

// deadJob is a pull that failed for good, as kept in P4P_DEAD.
type deadJob struct {
	job
	Reason string `json:"reason"`
}

// deadLetter keeps a pull that failed for good, with its reason, and
// returns the dead letter's id (its sequence in P4P_DEAD). It is kept
// once, across elections, within q.timeout.
func (q *queue) deadLetter(ctx context.Context, j job, reason string) (uint64, error) {
	data, err := json.Marshal(deadJob{j, reason})
	if err != nil {
		return 0, err
	}
	m := idMsg(deadPrefix+userToken(j.UserID), "dead-"+j.PullID, data)
	ack, err := publishOnce(ctx, time.Now().Add(q.timeout), q.js, m, refusedForGood)
	if err != nil {
		return 0, err
	}
	return ack.Sequence, nil
}

// depth reports the pulls waiting to start and those started, or why it
// cannot.
func (q *queue) depth(ctx context.Context) (pending, running uint64, err error) {
	info, err := q.pending.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("stream %s: %w", pendingStream, err)
	}
	pending = info.State.Msgs
	if info, err = q.pulls.Info(ctx); err != nil {
		return 0, 0, fmt.Errorf("stream %s: %w", pullsStream, err)
	}
	return pending, info.State.Msgs, nil
}

func (q *queue) cap(ctx context.Context) int64 {
	if info, err := q.pending.Info(ctx); err == nil {
		return info.Config.MaxMsgs
	}
	return -1
}

// isLimit tells a stream limit refusal, which JetStream reports as a store
// failure (error code 10077) whose description names the limit.
func isLimit(err error, description string) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == 10077 && apiErr.Description == description
}
