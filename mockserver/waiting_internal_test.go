package mockserver

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// heldMsg is a delivery that counts what the waiting room does with it.
type heldMsg struct {
	jetstream.Msg // only the methods below are called
	naks          atomic.Int32
	delayedNaks   atomic.Int32
	inProgress    atomic.Int32
	nakked        chan struct{}
}

func newHeldMsg() *heldMsg { return &heldMsg{nakked: make(chan struct{}, 8)} }

func (m *heldMsg) Nak() error { m.naks.Add(1); m.nakked <- struct{}{}; return nil }
func (m *heldMsg) NakWithDelay(time.Duration) error {
	m.delayedNaks.Add(1)
	m.nakked <- struct{}{}
	return nil
}
func (m *heldMsg) InProgress() error { m.inProgress.Add(1); return nil }
func (m *heldMsg) handedBack() int32 { return m.naks.Load() + m.delayedNaks.Load() }
func (m *heldMsg) awaitHandedBack(t *testing.T) {
	t.Helper()
	select {
	case <-m.nakked:
	case <-time.After(10 * time.Second):
		t.Fatal("never handed back")
	}
}

// TestWaitingRoom: a held pull is marked in progress and tried again when
// its user's pull is acked, whether the ack comes before it is held or
// after; handed back when no retry slot is free, after the fallback, and
// at stop.
func TestWaitingRoom(t *testing.T) {
	retried := make(chan jetstream.Msg, 8)
	block := make(chan struct{})
	w := newWaiting(context.Background(), 1, func(_ context.Context, m jetstream.Msg) {
		retried <- m
		<-block
	})
	w.fallback = time.Hour

	// Woken after it waits: retried, in the one slot, which it keeps.
	a := newHeldMsg()
	w.wait("a", a, time.Now())
	if a.inProgress.Load() != 1 {
		t.Errorf("held without being marked in progress")
	}
	w.wake("a")
	select {
	case got := <-retried:
		if got != a {
			t.Fatalf("retried %v, want the held pull", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the woken pull was never tried again")
	}
	// Its pull acked just before it waits (the move was refused before
	// the ack): not held, but tried again; no slot is free, so handed
	// back to the consumer.
	tried := time.Now()
	w.wake("b")
	b := newHeldMsg()
	w.wait("b", b, tried)
	b.awaitHandedBack(t)
	if b.naks.Load() != 1 || b.inProgress.Load() != 0 {
		t.Errorf("b: %d naks, %d in progress; want handed back at once, not held", b.naks.Load(), b.inProgress.Load())
	}
	close(block) // the slot is free again
	// An ack long before the refused move does not count.
	w.wake("c")
	c := newHeldMsg()
	w.wait("c", c, time.Now().Add(time.Second))
	if c.inProgress.Load() != 1 || c.handedBack() != 0 {
		t.Errorf("c: refused after its user's last ack, yet not held")
	}
	// Stopping hands back what is held, and a pull refused after.
	w.stop()
	c.awaitHandedBack(t)
	d := newHeldMsg()
	w.wait("d", d, time.Now())
	d.awaitHandedBack(t)
	if a.handedBack() != 0 {
		t.Errorf("a, retried, was also handed back")
	}
}

// TestWaitingFallback: a pull nobody wakes is handed back to the
// consumer after the fallback.
func TestWaitingFallback(t *testing.T) {
	w := newWaiting(context.Background(), 1, func(context.Context, jetstream.Msg) { t.Error("retried unwoken") })
	w.fallback = 10 * time.Millisecond
	m := newHeldMsg()
	w.wait("u", m, time.Now())
	m.awaitHandedBack(t)
	if m.naks.Load() != 1 {
		t.Errorf("%d naks, want 1", m.naks.Load())
	}
	w.stop()
}
