package mockserver

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// A publish to a replicated stream is acknowledged once a quorum of its
// replicas holds the message. While the stream elects a new leader (a
// server stopped, or its leader stepped down) nobody answers for it for a
// few seconds, more than the client's own retries cover; and an answer
// can be lost after the message was stored. So the mock publishes again
// with the same message id until its deadline: the stream stores the
// message at most once within its duplicate window, and answers a repeat
// with the first one's sequence (PubAck.Duplicate).
const (
	// publishAttempt bounds one publish's wait for its acknowledgement.
	publishAttempt = time.Second
	// publishWaitMax is the longest pause between two attempts.
	publishWaitMax = 250 * time.Millisecond
	// duplicateWindow is how long the queue's streams remember message
	// ids; a ping's retries and a move's repeats must fall within it.
	duplicateWindow = 2 * time.Minute
)

// publishOnce publishes m, which carries its message id, until a
// stream's leader answers it or deadline passes (or ctx ends): an answer
// is a PubAck (perhaps Duplicate, with the sequence the message was first
// stored at) or a refusal final says another try cannot change. It
// returns the last error once it gives up. The deadline is given apart
// from ctx so that each attempt makes one context, not one more for the
// whole: the ping path runs it for every ping.
func publishOnce(ctx context.Context, deadline time.Time, js jetstream.JetStream, m *nats.Msg, final func(error) bool) (*jetstream.PubAck, error) {
	wait := 20 * time.Millisecond
	for {
		actx, cancel := context.WithDeadline(ctx, earliest(deadline, time.Now().Add(publishAttempt)))
		ack, err := js.PublishMsg(actx, m)
		cancel()
		if err == nil || final(err) {
			return ack, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, errors.Join(err, context.DeadlineExceeded)
		}
		if !pause(ctx, min(wait, left)) {
			return nil, errors.Join(err, ctx.Err())
		}
		wait = min(2*wait, publishWaitMax)
	}
}

// idMsg is a message to subject carrying data and its message id.
func idMsg(subject, msgID string, data []byte) *nats.Msg {
	m := nats.NewMsg(subject)
	m.Data = data
	m.Header[jetstream.MsgIDHeader] = []string{msgID}
	return m
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// pause waits d, or reports false if ctx ends first.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// refusedForGood tells an answer no repeat can change: a stream limit or
// a want of room. Anything else (no answer, no leader, a stream offline
// while it moves, a conflict with a copy of the same message still in
// flight) may pass with an election.
func refusedForGood(err error) bool {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode == 10077 && strings.HasPrefix(apiErr.Description, "maximum ") {
		return true // a limit: see isLimit
	}
	return isStorageRefusal(err)
}
