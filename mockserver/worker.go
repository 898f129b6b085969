package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptrace"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// Consumer names, shared by every mock on one NATS.
const (
	moverConsumer  = "p4p-mover"
	pullerConsumer = "p4p-puller"
	// movers start due pulls; each move is a publish and an ack.
	movers = 16
	// moverPrefetch is how many pending messages the movers buffer.
	moverPrefetch = 256
	// moveRetry is how soon a started pull whose pending message is not
	// yet gone is tried again, and a due pull whose user has a pull
	// running once the mover stops (waiting.go).
	moveRetry = 50 * time.Millisecond
	// consumeExpiry bounds each pull request the workers send their
	// consumer (see startPool).
	consumeExpiry = 5 * time.Second
)

// pool runs handle on the messages of one consumer with n goroutines.
// Once stopping is closed, messages still buffered are naked back to the
// queue (for another mock, or this one after a restart) while attempts
// under way finish; stop returns when all are done.
type pool struct {
	consume jetstream.ConsumeContext
	msgs    chan jetstream.Msg
	wg      sync.WaitGroup
}

func startPool(ctx context.Context, stopping <-chan struct{}, cons jetstream.Consumer, n, prefetch int, handle func(context.Context, jetstream.Msg), deleted func()) (*pool, error) {
	p := &pool{msgs: make(chan jetstream.Msg, prefetch)}
	for range n {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for m := range p.msgs {
				select {
				case <-stopping:
					m.Nak()
					continue
				default:
				}
				handle(ctx, m)
			}
		}()
	}
	// Short pull requests, their heartbeats watched: a pull request waits
	// at the consumer's leader, and one a leader took with it when it
	// stopped is found missing within a few seconds and sent again to the
	// new one, instead of after the 30 s default.
	// A consumer deleted under the pool (another mock made it anew with
	// other replicas, or an operator) ends the consumption for good:
	// deleted joins the new one rather than leave the mock idle.
	onErr := jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		if errors.Is(err, jetstream.ErrConsumerDeleted) {
			deleted()
		}
	})
	cc, err := cons.Consume(func(m jetstream.Msg) { p.msgs <- m }, jetstream.PullMaxMessages(prefetch),
		jetstream.PullExpiry(consumeExpiry), jetstream.PullHeartbeat(consumeExpiry/5), onErr)
	if err != nil {
		close(p.msgs)
		p.wg.Wait()
		return nil, err
	}
	p.consume = cc
	return p, nil
}

func (p *pool) stop() {
	p.consume.Stop()
	<-p.consume.Closed()
	close(p.msgs)
	p.wg.Wait()
}

func (s *Server) consumers(ctx context.Context) (mover, puller jetstream.Consumer, err error) {
	mover, err = s.consumer(ctx, pendingStream, jetstream.ConsumerConfig{
		Durable:       moverConsumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       5 * time.Second,
		MaxDeliver:    -1,
		MaxAckPending: s.cfg.MaxQueued, // delayed pulls wait naked, unacked
		// Its state is every delayed pull, naked, which a file consumer
		// writes out whole ten times a second, a cost that grows with the
		// queue. Nothing in it needs to outlive the embedded server: the
		// pending pulls are in the work-queue stream, each with its due
		// time, and a mover made anew delivers them all again. A shared
		// NATS keeps it on file, where it outlives a restart of the
		// cluster.
		MemoryStorage: s.broker.dir != "",
	})
	if err != nil {
		return nil, nil, err
	}
	puller, err = s.consumer(ctx, pullsStream, jetstream.ConsumerConfig{
		Durable:       pullerConsumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       s.pullAckWait(),
		MaxDeliver:    -1,
		MaxAckPending: -1,
	})
	return mover, puller, err
}

// pullAckWait is how long a started pull may go unacked: a pull abandoned
// by a crashed mock is taken up again once its attempt could no longer be
// running. The users' leases last as long (lease.go).
func (s *Server) pullAckWait() time.Duration {
	return s.cfg.PullTimeout + s.startWindow()
}

// consumer creates or updates a durable consumer with the mock's
// replicas. A stream just updated to more replicas takes a moment to grow
// them, and refuses a consumer with more than it has until then. A
// consumer kept with other replicas, or on other storage, is made anew, as JetStream does not
// move a consumer's state to new replicas: its messages not yet acked
// stay in the work-queue stream and are delivered again, and a pull
// delivered again that had ended is only acked (runPull).
func (s *Server) consumer(ctx context.Context, stream string, cfg jetstream.ConsumerConfig) (jetstream.Consumer, error) {
	cfg.Replicas = s.topology.replicas
	if old, err := s.js.Consumer(ctx, stream, cfg.Durable); err == nil {
		// Neither its replicas nor its storage can be updated.
		was := old.CachedInfo().Config
		if r := max(1, was.Replicas); r != cfg.Replicas || was.MemoryStorage != cfg.MemoryStorage {
			if err := s.js.DeleteConsumer(ctx, stream, cfg.Durable); err != nil {
				return nil, fmt.Errorf("consumer %s with %d replicas, in memory %v: %w", cfg.Durable, r, was.MemoryStorage, err)
			}
			s.topology.note("consumer "+cfg.Durable, fmt.Sprintf("made anew, from %d replicas, in memory %v", r, was.MemoryStorage))
		}
	}
	var c jetstream.Consumer
	err := whileSettling(ctx, func() (err error) {
		c, err = s.js.CreateOrUpdateConsumer(ctx, stream, cfg)
		return err
	}, codeReplicasLacked, codeNoResources)
	return c, err
}

// movePending starts a pending pull once it is due.
func (s *Server) movePending(ctx context.Context, m jetstream.Msg) {
	if wait, ok := dueIn(m); ok && wait > 0 {
		m.NakWithDelay(wait)
		return
	}
	var j job
	meta, err := m.Metadata()
	if err != nil || json.Unmarshal(m.Data(), &j) != nil {
		s.log.Error("dropping unreadable pending pull", "subject", m.Subject())
		m.Term()
		return
	}
	if wait := time.Until(j.Due); wait > 0 {
		m.NakWithDelay(wait)
		return
	}
	if s.storage.current() == storeExhausted {
		m.NakWithDelay(storePause)
		return
	}
	j.PullID = strconv.FormatUint(meta.Sequence.Stream, 10)
	tried := time.Now()
	moved, err := s.queue.move(ctx, j)
	switch {
	case err != nil:
		s.storage.refusal(err)
		s.alarms.raise("moving due pulls", err, "pull_id", j.PullID)
		m.NakWithDelay(time.Second)
	case !moved:
		// The user has a pull queued or running: wait for it to end.
		s.waiting.wait(j.UserID, m, tried)
	default:
		s.alarms.clear("moving due pulls")
		// No need to wait for the ack's confirmation: the pull waits
		// for the pending message to be gone (awaitMoved), and a lost ack
		// only repeats the move, which the message id makes a no-op.
		if err := m.Ack(); err != nil {
			s.log.Warn("ack moved pull", "pull_id", j.PullID, "err", err)
		}
	}
}

// runPull makes one attempt of a started pull and records what came of it.
func (s *Server) runPull(ctx context.Context, m jetstream.Msg) {
	var j job
	if json.Unmarshal(m.Data(), &j) != nil {
		s.log.Error("dropping unreadable pull", "subject", m.Subject())
		m.Term()
		return
	}
	// The steps before the attempt ask JetStream, which may not answer
	// while a stream elects a leader (a request without a deadline waits
	// 5 s). Past startWindow the puller's AckWait runs out before the
	// attempt can, JetStream delivers the pull again, and this stale
	// delivery would make an attempt beside the new one and store its
	// outcome over a later pull's.
	start, cancel := context.WithTimeout(ctx, s.startWindow())
	defer cancel()
	if !s.awaitMoved(start, j.PullID) {
		m.NakWithDelay(moveRetry)
		return
	}
	// With no room to record an outcome, an attempt would only be made
	// again: pause before asking the endpoint anything.
	if s.storage.current() == storeExhausted {
		m.NakWithDelay(storePause)
		return
	}
	le, err := s.leases.take(start, j.UserID, j.PullID)
	if errors.Is(err, errLeased) {
		m.NakWithDelay(leaseRetry)
		return
	}
	if err != nil {
		s.alarms.raise("leasing users", err, "user_id", j.UserID)
		m.NakWithDelay(time.Second)
		return
	}
	s.alarms.clear("leasing users")
	defer func() {
		if err := s.leases.release(context.WithoutCancel(ctx), le); err != nil {
			s.log.Warn("the user's lease expires by itself", "user_id", j.UserID, "err", err)
		}
	}()
	rp, revision, err := s.store.getRevision(start, j.UserID)
	if err != nil {
		s.alarms.raise("reading sync records", err, "user_id", j.UserID)
		m.NakWithDelay(time.Second)
		return
	}
	s.alarms.clear("reading sync records")
	// Attempts are counted in the sync record, not by JetStream's
	// deliveries, which also count the waits above.
	if rp.Sync.PullID == j.PullID && final(rp.Sync.Outcome) || laterPull(rp.Sync.PullID, j.PullID) {
		// The outcome was stored but the ack was lost (a crash, or the
		// store restarting in between), or this is a late delivery of a
		// pull that ended before a later one of the user's was moved in:
		// the pull has ended, once.
		s.ack(ctx, m, j)
		return
	}
	n := 1
	if rp.Sync.PullID == j.PullID {
		n = rp.Sync.Attempts + 1
	}
	p := &pullRun{msg: m, job: j, attempt: n, record: rp, revision: revision}
	// The ping or replay that queued this pull is announced first.
	s.order.await(ctx, j.UserID)
	template := s.store.Template()
	if template == "" {
		s.finish(ctx, p, attempt{err: errNoPullURL})
		return
	}
	// pull.started says a GET went out: it is announced once a connection
	// is had, or once the attempt has failed as one, but not for a dial
	// that failed for local reasons, which is no attempt and is retried.
	started := sync.OnceFunc(func() {
		s.events.emit(livefyre.Event{Type: livefyre.PullStarted, Time: time.Now(), UserID: j.UserID, PullID: j.PullID, Attempt: n})
	})
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { started() }}
	a := s.puller.do(httptrace.WithClientTrace(ctx, trace), template, j.UserID)
	if s.dialHealth.local(a, j.PullID) {
		m.NakWithDelay(max(s.cfg.scale(localRetry), minLocalRetry))
		return
	}
	if !a.canceled {
		started()
	}
	s.metrics.pullSeconds.Observe(a.duration.Seconds())
	switch {
	case a.canceled:
		m.Nak()
	case a.err == nil:
		s.succeed(ctx, p, a)
	case a.retryable && n < s.cfg.MaxAttempts:
		s.retry(ctx, p, a)
	default:
		s.finish(ctx, p, a)
	}
}

// startWindow is how long a pull a worker has taken may take to start
// its attempt: the puller's AckWait beyond the attempt's own timeout.
func (s *Server) startWindow() time.Duration {
	return max(time.Second, s.cfg.scale(10*time.Second))
}

func final(o livefyre.Outcome) bool {
	return o == livefyre.OutcomeSucceeded || o == livefyre.OutcomeFailed
}

// awaitMoved waits, briefly, for the mover to ack the pending message the
// pull came from; see queue.stillPending.
func (s *Server) awaitMoved(ctx context.Context, pullID string) bool {
	wait := 500 * time.Microsecond
	for range 10 { // about half a second in all
		pending, err := s.queue.stillPending(ctx, pullID)
		if err == nil && !pending {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		wait *= 2
	}
	return false
}
