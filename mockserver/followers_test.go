package mockserver_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
)

func livefyreClient(s *mockserver.Server) *livefyre.Client {
	return &livefyre.Client{BaseURL: s.URL, Network: network, Key: key}
}

// emit sends n events numbered from first in their PullID, each with
// pad bytes of error text.
func emit(s *mockserver.Server, first, n, pad int) {
	text := strings.Repeat("x", pad)
	for i := first; i < first+n; i++ {
		s.Emit(livefyre.Event{Type: livefyre.PullFailed, UserID: "u-1", PullID: fmt.Sprint(i), Error: text})
	}
}

// awaitCond polls cond until it holds, failing after a generous bound.
func awaitCond(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 20s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stalledFollower sends GET /events on a raw connection and never reads.
func stalledFollower(t *testing.T, s *mockserver.Server) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, "GET /events HTTP/1.1\r\nHost: mock\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	awaitCond(t, "the follower is connected", func() bool { return s.Followers() == 1 })
	return conn
}

// stallBytes is more than the loopback socket buffers of a reader that
// never reads hold, so the mock's write to it blocks.
const stallEvents, stallPad = 4096, 4 << 10

// TestStalledFollowerDisconnected: a follower that stops reading is
// disconnected once a write to it has waited EventWriteTimeout.
func TestStalledFollowerDisconnected(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) { c.EventWriteTimeout = 200 * time.Millisecond })
	stalled := stalledFollower(t, s)
	emit(s, 1, stallEvents, stallPad)
	awaitCond(t, "the stalled follower is disconnected", func() bool { return s.Followers() == 0 })
	// What the stalled follower was sent ends short of every event.
	stalled.SetReadDeadline(time.Now().Add(20 * time.Second))
	n, _ := io.Copy(io.Discard, stalled)
	if n >= stallEvents*stallPad {
		t.Errorf("the stalled follower read %d bytes after the fact, want it cut off short of %d", n, stallEvents*stallPad)
	}
}

// TestCloseWithStalledFollower: Close does not wait on a follower whose
// write blocks, however long EventWriteTimeout is.
func TestCloseWithStalledFollower(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) { c.EventWriteTimeout = time.Hour })
	stallFollower(t, s)
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Close took %s with a stalled follower, want under 3s", took.Round(time.Millisecond))
	}
}

// stallFollower connects a follower that never reads and sends it more
// than its sockets hold, so that the mock's write to it blocks.
func stallFollower(t *testing.T, s *mockserver.Server) {
	t.Helper()
	stalledFollower(t, s)
	emit(s, 1, stallEvents, stallPad)
	// The handler blocks in a write within milliseconds; were it not yet
	// blocked, Close would only be quicker.
	time.Sleep(time.Second)
}

// TestMaxFollowers: past MaxFollowers, /events answers 429 with
// Retry-After and the error envelope; a place freed is taken again.
func TestMaxFollowers(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) { c.MaxFollowers = 2 })
	client := livefyreClient(s)
	var streams []*livefyre.Stream
	for range 2 {
		st, err := client.Events(context.Background())
		if err != nil {
			t.Fatalf("follower %d: %v", len(streams)+1, err)
		}
		streams = append(streams, st)
	}
	defer func() {
		for _, st := range streams {
			st.Close()
		}
	}()
	resp, err := http.Get(s.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	var body []byte
	if resp.StatusCode != http.StatusOK { // a stream would never end
		body, _ = io.ReadAll(resp.Body)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(body), `"status":"error"`) {
		t.Errorf("the third follower got %d, Retry-After %q, %s; want 429 with Retry-After and an error envelope",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	streams[0].Close()
	streams = streams[1:]
	awaitCond(t, "the closed follower has left", func() bool { return s.Followers() == 1 })
	st, err := client.Events(context.Background())
	if err != nil {
		t.Fatalf("a follower in the freed place: %v", err)
	}
	streams = append(streams, st)
}

// next reads one event from st within a bound.
func next(t *testing.T, st *livefyre.Stream) (livefyre.Event, bool) {
	t.Helper()
	select {
	case ev, ok := <-st.C:
		return ev, ok
	case <-time.After(20 * time.Second):
		t.Fatalf("no event within 20s")
		return livefyre.Event{}, false
	}
}

// TestResume: a follower that reconnects with the id it saw last gets
// exactly the events it missed, in order, once each, and is told so; one
// whose id the mock no longer holds is told of the gap.
func TestResume(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) { c.EventBacklog = 8 })
	client := livefyreClient(s)
	first, err := client.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	emit(s, 1, 3, 0)
	for i := 1; i <= 3; i++ {
		if ev, _ := next(t, first); ev.PullID != fmt.Sprint(i) {
			t.Fatalf("event %q, want %d", ev.PullID, i)
		}
	}
	first.Close()
	last := first.LastID()
	awaitCond(t, "the follower has left", func() bool { return s.Followers() == 0 })
	emit(s, 4, 5, 0) // missed: 4 to 8

	resumed, err := client.EventsAfter(context.Background(), last)
	if err != nil {
		t.Fatal(err)
	}
	defer resumed.Close()
	if !resumed.Resumed() {
		t.Errorf("resuming after %q: Resumed false, want true", last)
	}
	emit(s, 9, 1, 0) // after the reconnection
	for i := 4; i <= 9; i++ {
		if ev, _ := next(t, resumed); ev.PullID != fmt.Sprint(i) {
			t.Fatalf("resumed stream: event %q, want %d", ev.PullID, i)
		}
	}
	resumed.Close()
	// Events reach the ring through NATS: watch them arrive.
	watch, err := client.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := 10; i <= 19; i++ {
		emit(s, i, 1, 0)
		if ev, _ := next(t, watch); ev.PullID != fmt.Sprint(i) {
			t.Fatalf("watching: event %q, want %d", ev.PullID, i)
		}
	}
	watch.Close()

	// The first id again, with 16 events since and 8 held: a gap, said so.
	resp := get(t, s.URL+"/events?last_event_id="+last)
	defer resp.Body.Close()
	if resp.Header.Get(livefyre.ResumedHeader) != "" {
		t.Errorf("resuming after %q, 16 events back of 8 held: %s %q, want none", last, livefyre.ResumedHeader, resp.Header.Get(livefyre.ResumedHeader))
	}
	if head := readSome(resp.Body, "\n\n", 1); !strings.Contains(head, ": gap:") {
		t.Errorf("resuming after %q, 16 events back of 8 held, the stream opens %q, want a gap comment", last, head)
	}
	for _, id := range []string{"000000000000-1", "garbage", strings.Repeat("9", 100)} {
		st, err := client.EventsAfter(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Resumed() {
			t.Errorf("resuming after %q, an id this mock never gave: Resumed true", id)
		}
		st.Close()
	}
}

// TestResumeAfterLinger: once the last follower left EventLinger ago the
// mock stops receiving events, and a follower that comes back is told it
// may have missed some.
func TestResumeAfterLinger(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) { c.EventLinger = 50 * time.Millisecond })
	client := livefyreClient(s)
	st, err := client.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	emit(s, 1, 1, 0)
	next(t, st)
	st.Close()
	awaitCond(t, "the mock stops listening after the linger", func() bool { return !s.Listening() })
	again, err := client.EventsAfter(context.Background(), st.LastID())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Resumed() {
		t.Errorf("resuming after the linger: Resumed true, want false (events were not received meanwhile)")
	}
}

func get(t *testing.T, url string) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// readSome reads r until it has seen sep n times.
func readSome(r io.Reader, sep string, n int) string {
	var b strings.Builder
	buf := make([]byte, 1)
	for strings.Count(b.String(), sep) < n && b.Len() < 4096 {
		if _, err := r.Read(buf); err != nil {
			break
		}
		b.Write(buf)
	}
	return b.String()
}

// TestFollowersMemoryBounded: 500 followers reading every event cost the
// mock a bounded heap, not a buffer each.
func TestFollowersMemoryBounded(t *testing.T) {
	const followers, events, limit = 500, 1000, 48 << 20
	s := startMock(t, nil)
	tr := &http.Transport{MaxIdleConnsPerHost: -1}
	defer tr.CloseIdleConnections()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	before := heap()
	var (
		wg       sync.WaitGroup
		complete atomic.Int64
	)
	want := fmt.Sprintf(`"pull_id":"%d"`, events)
	for range followers {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/events", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer resp.Body.Close()
			if readUntil(resp.Body, want) {
				complete.Add(1)
			}
			<-ctx.Done() // connected while the heap is measured
		}()
	}
	emit(s, 1, events, 100)
	awaitCond(t, "every follower has every event", func() bool { return complete.Load() == followers })
	grown := heap() - before
	if n := s.Followers(); n != followers {
		t.Fatalf("%d followers connected when the heap was measured, want %d", n, followers)
	}
	cancel()
	wg.Wait()
	if grown > limit {
		t.Errorf("the heap grew %d MB with %d followers, want under %d MB", grown>>20, followers, limit>>20)
	}
	t.Logf("the heap grew %.1f MB with %d followers of %d events", float64(grown)/(1<<20), followers, events)
}

// readUntil reads r until it has seen s, in small reads.
func readUntil(r io.Reader, s string) bool {
	buf := make([]byte, 512)
	var tail []byte
	for {
		n, err := r.Read(buf)
		tail = append(tail, buf[:n]...)
		if strings.Contains(string(tail), s) {
			return true
		}
		tail = tail[max(0, len(tail)-len(s)):]
		if err != nil {
			return false
		}
	}
}

// heap is the bytes of live heap after a collection.
func heap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
