package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"p4p/livefyre"
)

// The history: a durable record of every ping, pull attempt, dead letter
// and replay, one subject per user, read back as the user's timeline by
// the admin API. It is bounded per user (Config.HistoryPerUser) and in
// total (a share of the store's limit), the oldest records dropped first,
// so that it never blocks the pipeline; and it never makes a ping or a
// pull fail: records go through a bounded buffer to one writer, and a
// record that cannot be kept (buffer full, store short of room, a refused
// write) is counted and dropped, the failure logged once per change.
const (
	historyStream = "P4P_HISTORY"
	historyPrefix = "p4p.history."
	// DefaultHistoryPerUser is Config.HistoryPerUser's default.
	DefaultHistoryPerUser = 200
	// historyShare is the history's share of the store's limit.
	historyShare = 0.10
	// historyMaxBytes bounds the history when the store's limit is not
	// known (an external NATS).
	historyMaxBytes = 256 << 20
	// historyBuffer is how many records wait for the writer; past it they
	// are dropped.
	historyBuffer = 4096
	// historyBatch is how many records the writer publishes before it
	// waits for their acks.
	historyBatch = 256
	// maxTimeline bounds the records read for one timeline.
	maxTimeline = 2000
	// historyTimeout bounds each store call of the history.
	historyTimeout = 5 * time.Second
	// The cut of a response kept in a record.
	maxRecordBody   = 2 << 10
	maxHeaderValue  = 200
	historyStepName = "keeping history in " + historyStream
)

// recordedHeaders are the response headers a record keeps.
var recordedHeaders = []string{"Content-Type", "Content-Length", "Content-Encoding", "Retry-After", "Location", "Server", "WWW-Authenticate"}

// history writes records to P4P_HISTORY and reads timelines back.
type history struct {
	js      jetstream.JetStream
	stream  jetstream.Stream
	log     *slog.Logger
	alarms  *alarms
	room    func() bool // whether the store has room for records
	in      chan livefyre.Record
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
	dropped *prometheus.CounterVec // reason: buffer, room, write
}

// historyLimit is the history's total bound for a store limit (0: not
// known).
func historyLimit(storeLimit int64) int64 {
	if storeLimit <= 0 {
		return historyMaxBytes
	}
	return max(int64(float64(storeLimit)*historyShare), minReserve)
}

func openHistory(ctx context.Context, js jetstream.JetStream, t *topology, perUser int, maxBytes int64, log *slog.Logger, a *alarms, room func() bool) (*history, error) {
	stream, err := t.stream(ctx, js, jetstream.StreamConfig{
		Name:              historyStream,
		Subjects:          []string{historyPrefix + "*"},
		Storage:           jetstream.FileStorage,
		MaxMsgsPerSubject: int64(perUser),
		MaxBytes:          maxBytes,
		Discard:           jetstream.DiscardOld,
		AllowDirect:       true,
	})
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", historyStream, err)
	}
	h := &history{js: js, stream: stream, log: log, alarms: a, room: room,
		in: make(chan livefyre.Record, historyBuffer), done: make(chan struct{}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "p4p_history_dropped_total", Help: "Timeline records not kept, by reason: buffer (the writer fell behind), room (the store is short of room), write (the store refused it).",
		}, []string{"reason"})}
	h.wg.Add(1)
	go h.run()
	return h, nil
}

// add hands a record to the writer, or drops it.
func (h *history) add(r livefyre.Record) {
	if h == nil {
		return
	}
	select {
	case <-h.done:
		return
	default:
	}
	select {
	case h.in <- r:
	default:
		h.drop("buffer", 1, errors.New("the writer fell behind"))
	}
}

func (h *history) drop(reason string, n int, err error) {
	h.dropped.WithLabelValues(reason).Add(float64(n))
	h.alarms.raise(historyStepName, err, "reason", reason)
}

// run writes records in batches until close, then what is left.
func (h *history) run() {
	defer h.wg.Done()
	batch := make([]livefyre.Record, 0, historyBatch)
	for {
		select {
		case r := <-h.in:
			batch = h.gather(append(batch[:0], r))
			h.write(batch)
		case <-h.done:
			for {
				batch = h.gather(batch[:0])
				if len(batch) == 0 {
					return
				}
				h.write(batch)
			}
		}
	}
}

// gather adds the records waiting, up to a batch.
func (h *history) gather(batch []livefyre.Record) []livefyre.Record {
	for len(batch) < historyBatch {
		select {
		case r := <-h.in:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// write publishes a batch and waits for the acks.
func (h *history) write(batch []livefyre.Record) {
	if !h.room() {
		h.drop("room", len(batch), errors.New("the store is short of room"))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), historyTimeout)
	defer cancel()
	var acks []jetstream.PubAckFuture
	var failed int
	var last error
	for _, r := range batch {
		data, err := json.Marshal(r)
		if err == nil {
			var f jetstream.PubAckFuture
			if f, err = h.js.PublishAsync(historyPrefix+userToken(r.UserID), data); err == nil {
				acks = append(acks, f)
				continue
			}
		}
		failed, last = failed+1, err
	}
	for _, f := range acks {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			failed, last = failed+1, err
		case <-ctx.Done():
			failed, last = failed+1, ctx.Err()
		}
	}
	if failed > 0 {
		h.drop("write", failed, last)
		return
	}
	h.alarms.clear(historyStepName)
}

// close writes what is buffered and stops the writer. It is safe to call
// more than once.
func (h *history) close() {
	if h == nil {
		return
	}
	h.once.Do(func() { close(h.done) })
	h.wg.Wait()
}

// timeline reads a page of the user's records, newest first: at most
// limit records older than before (0: from the newest).
func (h *history) timeline(ctx context.Context, userID string, before uint64, limit int) (livefyre.Timeline, error) {
	all, err := h.read(ctx, userID)
	if err != nil {
		return livefyre.Timeline{}, err
	}
	slices.Reverse(all)
	i := 0
	for before > 0 && i < len(all) && all[i].ID >= before {
		i++
	}
	t := livefyre.Timeline{Records: all[i:min(len(all), i+limit)]}
	if i+limit < len(all) {
		t.NextCursor = encodeCursor(t.Records[len(t.Records)-1].ID)
	}
	if t.Records == nil {
		t.Records = []livefyre.Record{}
	}
	return t, nil
}

// read returns the user's records, oldest first, at most maxTimeline.
func (h *history) read(ctx context.Context, userID string) ([]livefyre.Record, error) {
	msgs, err := readSubject(ctx, h.js, historyStream, historyPrefix+userToken(userID), maxTimeline)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	out := make([]livefyre.Record, 0, len(msgs))
	for _, m := range msgs {
		var r livefyre.Record
		if json.Unmarshal(m.data, &r) != nil {
			continue // not one of ours; skipped, not fatal
		}
		r.ID = m.seq
		out = append(out, r)
	}
	return out, nil
}

// storedMsg is a message read back from a stream.
type storedMsg struct {
	seq  uint64
	at   time.Time
	data []byte
}

// readSubject reads up to max messages of one subject, oldest first, with
// an ephemeral consumer, as listing.go reads a page.
func readSubject(ctx context.Context, js jetstream.JetStream, stream, subject string, max int) ([]storedMsg, error) {
	if err := natsConnected(js.Conn()); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, historyTimeout)
	defer cancel()
	c, err := js.CreateConsumer(ctx, stream, jetstream.ConsumerConfig{
		FilterSubject:     subject,
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		AckPolicy:         jetstream.AckNonePolicy,
		MemoryStorage:     true,
		Replicas:          1,
		InactiveThreshold: time.Minute, // in case the deletion below is lost
	})
	if err != nil {
		return nil, err
	}
	name := c.CachedInfo().Name
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), historyTimeout)
		defer cancel()
		js.DeleteConsumer(ctx, stream, name)
	}()
	pending := int(min(c.CachedInfo().NumPending, uint64(max)))
	var out []storedMsg
	for len(out) < pending {
		batch, err := c.FetchNoWait(pending - len(out))
		if err != nil {
			return nil, err
		}
		n := len(out)
		for m := range batch.Messages() {
			md, err := m.Metadata()
			if err != nil {
				return nil, err
			}
			out = append(out, storedMsg{seq: md.Sequence.Stream, at: md.Timestamp, data: m.Data()})
		}
		if err := batch.Error(); err != nil {
			return nil, err
		}
		if len(out) == n {
			break
		}
	}
	return out, nil
}
