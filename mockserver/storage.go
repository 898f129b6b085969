package mockserver

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p"
)

// The store's room is a state the mock reports and recovers from, never a
// loop of failing writes. JetStream's file store keeps a write error for
// good (until the stream is reloaded), so the mock must stop writing before
// the disk fills, not after: it measures the room left, the least of the
// filesystem's free space and JetStream's limit less what the mock's
// streams use, against a reserve kept for the pipeline's own bookkeeping.
type storeState int32

const (
	// storeOK: pings are queued and pulls run.
	storeOK storeState = iota
	// storeFull: under two reserves of room. Pings are refused at once with
	// 507 and Retry-After; pulls under way and queued go on, within the
	// reserve, and as they end they free the queue's space.
	storeFull
	// storeExhausted: under one reserve. Pulls and moves pause too,
	// before any request to the Pull endpoint, until room returns.
	storeExhausted
)

func (s storeState) String() string {
	return [...]string{"ok", "full", "exhausted"}[s]
}

const (
	// DefaultStoreShare is the share of the disk the embedded store may use
	// when Config.MaxStore is 0: of the space free at start plus what the
	// store already holds, so that a restart on the same disk gets the same
	// limit.
	DefaultStoreShare = 0.75
	// storeCheckEvery is how often the room is measured; a refused write
	// measures it at once.
	storeCheckEvery = 200 * time.Millisecond
	// storeRetryAfter is what a ping refused for want of room is told.
	storeRetryAfter = 5 * time.Second
	// storePause is how long a pull or move waits while the store is
	// exhausted before it looks again.
	storePause = time.Second
	minReserve = 1 << 20
	maxReserve = 64 << 20
)

// storage measures the store's room and keeps its state.
type storage struct {
	dir     string // the embedded store's directory; "" for an external NATS
	limit   int64  // bytes JetStream may hold for the mock; 0 if its own
	reserve int64
	js      jetstream.JetStream
	log     *slog.Logger
	kick    chan struct{}
	// reload, if set, reloads the store once room returns after the disk
	// ran out (bottomed): a file store keeps a write error the filesystem
	// gave it until it is reloaded.
	reload   func(context.Context) error
	bottomed bool // only run's goroutine touches it

	state   atomic.Int32 // a storeState
	refused atomic.Int64 // unix nanoseconds until which a refusal counts as full

	mu   sync.Mutex
	last StoreReading
	err  string // the last measuring error, logged once per change
}

// StoreReading is the store's room as /healthz and /metrics report it.
type StoreReading struct {
	State    string `json:"state"`
	Used     int64  `json:"used_bytes"`
	Limit    int64  `json:"limit_bytes,omitempty"` // 0: none known
	Reserve  int64  `json:"reserve_bytes"`
	DiskFree *int64 `json:"disk_free_bytes,omitempty"` // the embedded store's filesystem
	Error    string `json:"error,omitempty"`           // why the room could not be measured
}

// storeLimit is the embedded store's limit: max if set, else
// DefaultStoreShare of what dir's filesystem has free plus what dir holds.
// It returns 0 where free space cannot be measured (JetStream's own
// default then applies).
func storeLimit(max int64, dir string) int64 {
	if max > 0 {
		return max
	}
	free, _, err := diskSpace(dir)
	if err != nil {
		return 0
	}
	return int64(float64(free+dirSize(dir)) * DefaultStoreShare)
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// reserveFor is the room kept for the pipeline's bookkeeping: an eighth of
// the limit, between 1 and 64 MiB.
func reserveFor(limit int64) int64 {
	if limit <= 0 {
		return maxReserve
	}
	return min(max(limit/8, minReserve), maxReserve)
}

func newStorage(js jetstream.JetStream, dir string, limit int64, log *slog.Logger) *storage {
	return &storage{dir: dir, limit: limit, reserve: reserveFor(limit), js: js, log: log,
		kick: make(chan struct{}, 1)}
}

// run measures the room until done is closed.
func (s *storage) run(done <-chan struct{}) {
	tick := time.NewTicker(storeCheckEvery)
	defer tick.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		s.check(ctx)
		cancel()
		select {
		case <-done:
			return
		case <-tick.C:
		case <-s.kick:
		}
	}
}

// check measures the room and moves to the state it calls for, logging
// each change once.
func (s *storage) check(ctx context.Context) {
	r, room := s.measure(ctx)
	cur := s.current()
	next := nextState(cur, room, s.reserve)
	if next == storeOK && time.Now().UnixNano() < s.refused.Load() {
		next = storeFull // a write was refused for want of room, and nothing measured says why
	}
	if r.DiskFree != nil && *r.DiskFree < minReserve {
		s.bottomed = true
	}
	if cur == storeExhausted && next != storeExhausted && s.bottomed && s.reload != nil {
		rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := s.reload(rctx)
		cancel()
		if err != nil {
			r.Error = "reloading the store after the disk ran out: " + err.Error()
			next = storeExhausted
		} else {
			s.bottomed = false
			s.log.Info("store reloaded after the disk ran out, to clear the write errors it keeps")
		}
	}
	r.State = next.String()
	s.mu.Lock()
	s.last = r
	errChanged := r.Error != s.err
	s.err = r.Error
	s.mu.Unlock()
	if errChanged && r.Error != "" {
		s.log.Warn("cannot measure the store's room", "err", r.Error)
	}
	if next != cur {
		s.state.Store(int32(next))
		s.logChange(cur, next, r)
	}
}

func (s *storage) measure(ctx context.Context) (StoreReading, int64) {
	r := StoreReading{Limit: s.limit, Reserve: s.reserve}
	room := int64(math.MaxInt64)
	if info, err := s.js.AccountInfo(ctx); err != nil {
		r.Error = "JetStream account information: " + err.Error()
	} else {
		r.Used = int64(info.Store)
		if r.Limit <= 0 && info.Limits.MaxStore > 0 {
			r.Limit = info.Limits.MaxStore
		}
		if r.Limit > 0 {
			room = r.Limit - r.Used
		}
	}
	if s.dir != "" {
		if free, _, err := diskSpace(s.dir); err == nil {
			r.DiskFree = &free
			room = min(room, free)
		}
	}
	return r, room
}

// nextState applies the thresholds, with half a reserve of hysteresis on
// the way back so that a store at the edge does not flap.
func nextState(cur storeState, room, reserve int64) storeState {
	switch {
	case room < reserve:
		return storeExhausted
	case cur == storeExhausted && room < reserve+reserve/2:
		return storeExhausted
	case room < 2*reserve:
		return storeFull
	case cur != storeOK && room < 2*reserve+reserve/2:
		return storeFull
	}
	return storeOK
}

func (s *storage) logChange(from, to storeState, r StoreReading) {
	args := []any{"from", from.String(), "to", to.String(), "used", p4p.FormatSize(r.Used),
		"limit", p4p.FormatSize(r.Limit), "reserve", p4p.FormatSize(r.Reserve)}
	if r.DiskFree != nil {
		args = append(args, "disk_free", p4p.FormatSize(*r.DiskFree), "dir", s.dir)
	}
	switch to {
	case storeFull:
		s.log.Warn("store full: pings are refused with 507 until room returns; pulls go on", args...)
	case storeExhausted:
		s.log.Warn("store exhausted: pings refused, pulls paused until room returns", args...)
	default:
		s.log.Info("store has room again: pings and pulls resume", args...)
	}
}

func (s *storage) current() storeState { return storeState(s.state.Load()) }

// reading is the last measurement.
func (s *storage) reading() StoreReading {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// noRoom is the error a ping gets while the store is full, or nil.
func (s *storage) noRoom() error {
	if st := s.current(); st != storeOK {
		r := s.reading()
		return errorf(EStorage, "the mock's store is %s (%s used of %s, %s kept for pulls under way); retry later",
			st, p4p.FormatSize(r.Used), p4p.FormatSize(r.Limit), p4p.FormatSize(r.Reserve))
	}
	return nil
}

// refusal tells a write JetStream refused for want of room: it has the
// store counted full for a moment, measured at once, and returns the
// error for the ping (never nil, whatever the state meanwhile); it returns
// nil for any other error.
func (s *storage) refusal(err error) *Error {
	if !isStorageRefusal(err) {
		return nil
	}
	// check, woken at once, moves to full and logs it: one place changes
	// the state.
	s.refused.Store(time.Now().Add(storeRetryAfter).UnixNano())
	select {
	case s.kick <- struct{}{}:
	default:
	}
	return errorf(EStorage, "the mock's store refused the write for want of room; retry later")
}

// isStorageRefusal tells JetStream's refusals for want of room: its
// resource limits (codes 10023 and 10047), a stream's byte limit, and the
// filesystem's own.
func isStorageRefusal(err error) bool {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case 10023, 10047: // insufficient resources; storage resources exceeded
			return true
		case 10077:
			return apiErr.Description == "maximum bytes exceeded"
		}
	}
	return err != nil && strings.Contains(err.Error(), "no space left")
}
