package mockserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"p4p"
	"p4p/internal/natstest"
	"p4p/livefyre"
	"p4p/mockserver"
)

// TestPendingDue: a pending pull carries its due time in a header, the
// job's own, which the mover reads to nak a pull not yet due without
// decoding it; and it does nak it, rather than move it.
func TestPendingDue(t *testing.T) {
	url := natsServer(t)
	s := startMock(t, func(c *mockserver.Config) {
		c.NATSURL, c.DataDir, c.Delay = url, "", p4p.Delay{Min: time.Hour, Max: time.Hour}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	client := &livefyre.Client{BaseURL: s.URL, Network: network, Key: key}
	if _, err := client.Ping(ctx, "due-1"); err != nil {
		t.Fatal(err)
	}
	js := natstest.JetStream(t, url)
	pending, err := js.Stream(ctx, "P4P_PENDING")
	if err != nil {
		t.Fatal(err)
	}
	m, err := pending.GetLastMsgForSubject(ctx, "p4p.pending."+mockserver.LeaseKey("due-1"))
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Due time.Time `json:"due"`
	}
	if err := json.Unmarshal(m.Data, &j); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Header.Get("P4P-Due"), strconv.FormatInt(j.Due.UnixNano(), 10); got != want {
		t.Errorf("P4P-Due header %q, want the job's due %s (%s)", got, want, j.Due)
	}
	mover, err := js.Consumer(ctx, "P4P_PENDING", "p4p-mover")
	if err != nil {
		t.Fatal(err)
	}
	for {
		info, err := mover.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.NumPending == 0 && info.NumAckPending == 1 {
			break // delivered to the mover, and not acked
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the mover never took the pending pull: %+v", info)
		case <-time.After(20 * time.Millisecond):
		}
	}
	pulls, err := js.Stream(ctx, "P4P_PULLS")
	if err != nil {
		t.Fatal(err)
	}
	if info, err := pulls.Info(ctx); err != nil || info.State.Msgs != 0 {
		t.Errorf("P4P_PULLS holds %+v (err %v), want nothing: the pull is due in an hour", info.State, err)
	}
}

// TestMoverKeptOnFile: the embedded server keeps the mover's state in
// memory (a mover made anew delivers the pending pulls again); a data
// directory whose mover was kept on file, as before, still starts, its
// pending pull still queued.
func TestMoverKeptOnFile(t *testing.T) {
	dir := t.TempDir()
	later := p4p.Delay{Min: time.Hour, Max: time.Hour}
	s := startMock(t, func(c *mockserver.Config) { c.DataDir, c.Delay = dir, later })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	client := &livefyre.Client{BaseURL: s.URL, Network: network, Key: key}
	if _, err := client.Ping(ctx, "kept-1"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// The same store under a server of its own, its mover put on file.
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	js := natstest.JetStream(t, ns.ClientURL())
	if err := js.DeleteConsumer(ctx, "P4P_PENDING", "p4p-mover"); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		t.Fatal(err)
	}
	_, err = js.CreateConsumer(ctx, "P4P_PENDING", jetstream.ConsumerConfig{Durable: "p4p-mover",
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: 5 * time.Second, MaxDeliver: -1, MaxAckPending: 1000})
	js.Conn().Close()
	ns.Shutdown()
	ns.WaitForShutdown()
	if err != nil {
		t.Fatal(err)
	}

	s = startMock(t, func(c *mockserver.Config) { c.DataDir, c.Delay = dir, later })
	pending, _, err := (&livefyre.Client{BaseURL: s.URL, Network: network, Key: key}).QueueDepth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pending != 1 {
		t.Errorf("%d pulls pending after the restart, want 1", pending)
	}
}
