package main

import (
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
//     this, so the ping ratio cannot pass bare / (bare + publish);
//   - record: a sync record read and written back with its revision
//     (the profiles bucket), as a pull's outcome is;
//   - deliver: a message delivered from a work-queue stream to a
//     consumer and double-acked, as a pull is.
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
	var left sync.WaitGroup
	left.Add(ops)
	var failed atomic.Pointer[error]
	before, err := selfCPU()
	if err != nil {
		return f, err
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		go func() {
			defer left.Done()
			if err := m.DoubleAck(ctx); err != nil {
				failed.CompareAndSwap(nil, &err)
			}
		}()
	}, jetstream.PullMaxMessages(n))
	if err != nil {
		return f, err
	}
	all := make(chan struct{})
	go func() { left.Wait(); close(all) }()
	select {
	case <-all:
	case <-ctx.Done():
		cc.Stop()
		return f, fmt.Errorf("floor, deliver: not every message published was delivered: %w", ctx.Err())
	}
	cc.Stop()
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
	record := make([]byte, 900) // about a synthetic user's profile and its sync state
	f.record, err = floorCPU(n, ops, func(i int) error {
		key := "u" + strconv.Itoa(i)
		var rev uint64
		e, err := kv.Get(ctx, key)
		switch {
		case err == nil:
			rev = e.Revision()
		case !errors.Is(err, jetstream.ErrKeyNotFound):
			return err
		}
		_, err = kv.Update(ctx, key, record, rev)
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

// pingCeiling is the highest ping ratio a mock can reach that stores each
// ping with one publish before its 200: the bare handler's CPU per
// response over the handler's plus the publish's.
func pingCeiling(bare, publish time.Duration) float64 {
	return float64(bare) / float64(bare+publish)
}

// pullsCeiling is the most pulls a second a mock can make whose pulls
// cost JetStream least each, sharing ncpu CPUs with an endpoint that
// spends endpoint on each, and that as a ratio to wrk's rate.
func pullsCeiling(ncpu int, endpoint, least time.Duration, wrk float64) (perSec, ratio float64) {
	perSec = float64(ncpu) * float64(time.Second) / float64(endpoint+least)
	return perSec, perSec / wrk
}
