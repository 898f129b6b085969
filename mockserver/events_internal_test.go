package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/nats-io/nats.go"

	"p4p/livefyre"
)

// TestPendingRuns: the frames a follower has not sent come back as few
// slices, one per run of frames encoded one after another, with every
// frame once and in order, for all events and for one user's, across
// arenas.
func TestPendingRuns(t *testing.T) {
	const n = 6000 // about 1.2 MB of frames: more than one arena
	e := openEvents(nil, Config{Logger: slog.Default(), EventBacklog: 2 * n})
	e.sub = &nats.Subscription{}
	e.ring = make([]*frame, e.cfg.EventBacklog)
	var all, mine bytes.Buffer
	for i := 1; i <= n; i++ {
		ev := livefyre.Event{Type: livefyre.PullFailed, UserID: fmt.Sprint("u-", i%3), PullID: fmt.Sprint(i), Error: "the endpoint answered 503"}
		data, _ := json.Marshal(ev)
		e.deliver(&nats.Msg{Sub: e.sub, Data: data})
		fr := e.ring[uint64(i)%uint64(len(e.ring))]
		all.Write(fr.bytes)
		if ev.UserID == "u-1" {
			mine.Write(fr.bytes)
		}
	}
	for _, c := range []struct {
		userID   string
		want     []byte
		maxRuns  int
		maxCalls int
	}{
		{"", all.Bytes(), 2 * (all.Len()/maxBatch + 2), all.Len()/maxBatch + 2},
		{"u-1", mine.Bytes(), n, mine.Len()/maxBatch + 2},
	} {
		f := &follower{userID: c.userID}
		var got bytes.Buffer
		runs, calls := 0, 0
		for more := true; more; calls++ {
			var batch [][]byte
			var err error
			if batch, _, more, err = e.pending(f, nil); err != nil {
				t.Fatal(err)
			}
			runs += len(batch)
			for _, b := range batch {
				got.Write(b)
			}
		}
		if !bytes.Equal(got.Bytes(), c.want) {
			t.Errorf("user %q: the batches differ from the frames, in order (%d bytes, want %d)", c.userID, got.Len(), len(c.want))
		}
		if runs > c.maxRuns || calls > c.maxCalls {
			t.Errorf("user %q: %d bytes in %d slices over %d calls, want at most %d slices over %d calls", c.userID, got.Len(), runs, calls, c.maxRuns, c.maxCalls)
		}
	}
}
