package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// floors are the least CPU the JetStream operations of the mock's
// pipeline cost on its embedded default, each measured alone in this
// process against a nats-server of its own set up as the mock sets up
// its own (file storage, an in-process connection), from as many
// goroutines at once as wrk has connections. They bound what the mock
// can reach, whatever else it does:
//   - publish: a pending pull stored before a ping's 200, with its
//     message id and due header, to a per-user work-queue subject
//     (P4P_PENDING); a ping cannot cost less than the bare handler plus
//     this (pingCeiling);
//   - record: a sync record of about 2 KB read and written back with its
//     revision (the profiles bucket), as a pull's outcome is;
//   - deliver: a message delivered from a work-queue stream to a
//     consumer and double-acked by one of n workers, as a pull is.
type floors struct {
	publish, record, deliver time.Duration
}

// floorOps is how many operations of each kind make bench measures.
const floorOps = 40_000

// measureFloors measures r.floors once, for the pings or the pulls step,
// whichever runs first; not where this process's CPU cannot be read.
func (r *report) measureFloors(ctx context.Context, c config) error {
	if r.floors != nil {
		return nil
	}
	f, err := measureFloorsOnce(ctx, c.connections, floorOps)
	if errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	if err != nil {
		return err
	}
	r.floors = &f
	return nil
}

// measureFloorsOnce measures ops operations of each kind from n
// goroutines.
func measureFloorsOnce(ctx context.Context, n, ops int) (floors, error) {
	var f floors
	dir, err := os.MkdirTemp("", "p4p-bench-floor-*")
	if err != nil {
		return f, err
	}
	defer os.RemoveAll(dir)
	ns, err := server.NewServer(&server.Options{JetStream: true, StoreDir: dir, DontListen: true, NoLog: true, NoSigs: true})
	if err != nil {
		return f, err
	}
	go ns.Start()
	defer ns.Shutdown()
	if !ns.ReadyForConnections(30 * time.Second) {
		return f, errors.New("floor: nats-server not ready")
	}
	nc, err := nats.Connect(ns.ClientURL(), nats.InProcessServer(ns))
	if err != nil {
		return f, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return f, err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	stream, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name: "FLOOR", Subjects: []string{"floor.*"}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, MaxMsgsPerSubject: 1, Discard: jetstream.DiscardNew,
		DiscardNewPerSubject: true, Duplicates: 2 * time.Minute,
	})
	if err != nil {
		return f, err
	}
	due := strconv.FormatInt(time.Now().Add(time.Hour).UnixNano(), 10)
	data := []byte(`{"user_id":"u-00000000","pinged_at":"2026-12-06T13:30:29.123456789Z","due":"2026-12-06T14:30:29.123456789Z"}`)
	f.publish, err = floorCPU(n, ops, func(i int) error {
		m := nats.NewMsg("floor.u" + strconv.Itoa(i))
		m.Data = data
		m.Header[jetstream.MsgIDHeader] = []string{"ping-" + nuid.Next()}
		m.Header["P4P-Due"] = []string{due}
		_, err := js.PublishMsg(ctx, m)
		return err
	})
	if err != nil {
		return f, fmt.Errorf("floor, publish: %w", err)
	}
	cons, err := stream.CreateConsumer(ctx, jetstream.ConsumerConfig{Durable: "floor",
		AckPolicy: jetstream.AckExplicitPolicy, MaxAckPending: -1})
	if err != nil {
		return f, err
	}
	// n workers take the deliveries from a buffer, as the mock's pool
	// does, and each double-acks its own.
	msgs := make(chan jetstream.Msg, n)
	var acked atomic.Int64
	var failed atomic.Pointer[error]
	all := make(chan struct{})
	var workers sync.WaitGroup
	for range n {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for m := range msgs {
				if err := m.DoubleAck(ctx); err != nil {
					failed.CompareAndSwap(nil, &err)
				}
				if acked.Add(1) == int64(ops) {
					close(all)
				}
			}
		}()
	}
	before, err := selfCPU()
	if err != nil {
		return f, err
	}
	cc, err := cons.Consume(func(m jetstream.Msg) { msgs <- m }, jetstream.PullMaxMessages(n))
	if err != nil {
		return f, err
	}
	select {
	case <-all:
	case <-ctx.Done():
	}
	cc.Stop()
	<-cc.Closed()
	close(msgs)
	workers.Wait()
	if acked.Load() < int64(ops) {
		return f, fmt.Errorf("floor, deliver: %d of %d messages published were delivered: %w", acked.Load(), ops, ctx.Err())
	}
	after, err := selfCPU()
	if err != nil {
		return f, err
	}
	if p := failed.Load(); p != nil {
		return f, fmt.Errorf("floor, deliver: %w", *p)
	}
	f.deliver = (after - before) / time.Duration(ops)
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "floor", Storage: jetstream.FileStorage})
	if err != nil {
		return f, err
	}
	// A user's record as a later pull finds it: the profile, the one
	// before it (keepPrevious) and the sync state, about 2 KB. Each key
	// is written once untimed, so that the timed reads find a record.
	record := bytes.Repeat([]byte("p4p "), 512)
	key := func(i int) string { return "u" + strconv.Itoa(i) }
	if _, err := floorCPU(n, ops, func(i int) error { _, err := kv.Put(ctx, key(i), record); return err }); err != nil {
		return f, fmt.Errorf("floor, record: %w", err)
	}
	f.record, err = floorCPU(n, ops, func(i int) error {
		e, err := kv.Get(ctx, key(i))
		if err != nil {
			return err
		}
		_, err = kv.Update(ctx, key(i), record, e.Revision())
		return err
	})
	if err != nil {
		return f, fmt.Errorf("floor, record: %w", err)
	}
	return f, nil
}

// floorCPU runs op for 0..ops-1 from n goroutines and returns this
// process's CPU per op.
func floorCPU(n, ops int, op func(int) error) (time.Duration, error) {
	before, err := selfCPU()
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for g := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < ops; i += n {
				if err := op(i); err != nil {
					errs[g] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	after, err := selfCPU()
	if err != nil {
		return 0, err
	}
	return (after - before) / time.Duration(ops), nil
}

// pingCeiling is the highest ping ratio (acknowledged pings a second
// over the bare handler's answers, wrk sending both on the same CPUs) a
// mock can reach that stores each ping with one publish before its 200:
// with the CPUs saturated, each rate is the CPUs over the CPU a request
// takes, the server's and wrk's (w).
func pingCeiling(bare, publish, w time.Duration) float64 {
	return float64(bare+w) / float64(bare+publish+w)
}

// pingBudget is the CPU a ping may take, beyond the bare handler's work
// and the publish, for the ping ratio to reach 0.5×: from
// (bare+w)/(ping+w) = 1/2, ping = 2·bare + w.
func pingBudget(bare, publish, w time.Duration) time.Duration {
	return bare + w - publish
}

// pullsCeiling is the most pulls a second a mock can make whose pulls
// cost JetStream least each, sharing ncpu CPUs with an endpoint that
// spends endpoint on each, and that as a ratio to wrk's rate.
func pullsCeiling(ncpu int, endpoint, least time.Duration, wrk float64) (perSec, ratio float64) {
	perSec = float64(ncpu) * float64(time.Second) / float64(endpoint+least)
	return perSec, perSec / wrk
}
