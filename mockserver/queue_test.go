package mockserver_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"p4p"
	"p4p/livefyre"
	"p4p/mockserver"
)

// TestCoalesce: pings for a user whose pull is still pending join it.
func TestCoalesce(t *testing.T) {
	e := newEndpoint(t, serveProfile("Ada"))
	// The delay holds the pull pending while the pings arrive; it is long
	// so that a slow machine still pings within it.
	const delay = 3 * time.Second
	s := startMock(t, func(c *mockserver.Config) { c.Delay = p4p.Delay{Min: delay, Max: delay} })
	register(t, s, e.template())
	start := time.Now()
	first := ping(t, s, "u-1")
	if first.Coalesced {
		t.Fatalf("first ping coalesced, want queued")
	}
	for range 4 {
		if time.Since(start) > delay/2 {
			t.Fatalf("pinging took over %s: the machine is too slow for this test's delay", delay/2)
		}
		if r := ping(t, s, "u-1"); !r.Coalesced || r.PullID != first.PullID {
			t.Fatalf("ping %+v, want coalesced into pull %s", r, first.PullID)
		}
	}
	if rp := awaitOutcome(t, s, "u-1"); rp.Sync.Outcome != livefyre.OutcomeSucceeded || rp.Sync.Pulls != 1 {
		t.Fatalf("sync %+v, want one successful pull", rp.Sync)
	}
	if n := e.requests.Load(); n != 1 {
		t.Errorf("endpoint saw %d pulls, want 1", n)
	}
}

// TestPingDuringPull: a ping that arrives while the user's pull is reading
// the profile queues another pull, so the later change is not lost.
func TestPingDuringPull(t *testing.T) {
	release := make(chan struct{})
	var name atomic.Value
	name.Store("old")
	e := newEndpoint(t, func(n int64, r *http.Request, w http.ResponseWriter) {
		current := name.Load().(string)
		if n == 1 {
			<-release // the profile changes while the first pull is under way
		}
		serveProfile(current)(n, r, w)
	})
	s := startMock(t, nil)
	register(t, s, e.template())
	events := follow(t, s, "u-1")
	first := ping(t, s, "u-1")
	events.await(t, livefyre.PullStarted)
	name.Store("new")
	second := ping(t, s, "u-1")
	close(release)
	if second.Coalesced || second.PullID == first.PullID {
		t.Fatalf("second ping %+v joined the running pull %s, want a new pull", second, first.PullID)
	}
	events.await(t, livefyre.ProfileUpdated)
	events.await(t, livefyre.ProfileUpdated)
	rp, _ := getProfile(t, s, "u-1")
	if got := displayName(t, rp); got != "new" || rp.Sync.Pulls != 2 {
		t.Errorf("stored %q after %d pulls, want \"new\" after 2", got, rp.Sync.Pulls)
	}
}

// TestRestart: pings acknowledged by a mock that closes before pulling are
// pulled by the next mock on the same data directory, and the registered
// URL and stored profiles survive.
func TestRestart(t *testing.T) {
	e := newEndpoint(t, serveProfile("Ada"))
	dir := t.TempDir()
	// The delay keeps the pulls queued until after the restart.
	delayed := func(c *mockserver.Config) {
		c.DataDir = dir
		c.Delay = p4p.Delay{Min: 2 * time.Second, Max: 2 * time.Second}
	}
	s := startMock(t, delayed)
	register(t, s, e.template())
	ids := []string{"u-1", "u-2", "u-3"}
	for _, id := range ids {
		ping(t, s, id)
	}
	s.Close()
	if n := e.requests.Load(); n != 0 {
		t.Fatalf("endpoint pulled %d times before the restart, want 0 (delay too short?)", n)
	}
	s = startMock(t, delayed)
	for _, id := range ids {
		if rp := awaitOutcome(t, s, id); rp.Sync.Outcome != livefyre.OutcomeSucceeded {
			t.Errorf("%s: outcome %s, want succeeded", id, rp.Sync.Outcome)
		}
	}
	s.Close()
	s = startMock(t, delayed)
	if rp, ok := getProfile(t, s, "u-2"); !ok || displayName(t, rp) != "Ada" {
		t.Errorf("after a second restart u-2 is %+v, want the stored profile", rp)
	}
}

// TestEventsAndMetrics: a sync emits its events in order, and /metrics
// counts it.
func TestEventsAndMetrics(t *testing.T) {
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, nil)
	register(t, s, e.template())
	events := follow(t, s, "")
	ping(t, s, "u-1")
	for _, want := range []livefyre.EventType{livefyre.PingAccepted, livefyre.PullStarted, livefyre.PullSucceeded, livefyre.ProfileUpdated} {
		ev := events.await(t, want)
		if ev.UserID != "u-1" || ev.PullID == "" || ev.Time.IsZero() {
			t.Errorf("%s event %+v: want user u-1, a pull id and a time", want, ev)
		}
	}
	resp, err := http.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var text strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		text.WriteString(sc.Text() + "\n")
	}
	for _, want := range []string{`p4p_pings_total{result="queued"} 1`, `p4p_pulls_total{outcome="succeeded"} 1`,
		"p4p_propagation_seconds_count 1", `p4p_queue_depth{stage="pending"}`} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// eventLog follows /events.
type eventLog struct{ c chan livefyre.Event }

func follow(t *testing.T, s *mockserver.Server, userID string) *eventLog {
	t.Helper()
	u := s.URL + "/events"
	if userID != "" {
		u += "?user_id=" + userID
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	l := &eventLog{c: make(chan livefyre.Event, 100)}
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var ev livefyre.Event
				if json.Unmarshal([]byte(data), &ev) == nil {
					l.c <- ev
				}
			}
		}
		close(l.c)
	}()
	return l
}

// await returns the next event of the type, skipping others.
func (l *eventLog) await(t *testing.T, typ livefyre.EventType) livefyre.Event {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev, ok := <-l.c:
			if !ok {
				t.Fatalf("event stream ended before %s", typ)
			}
			if ev.Type == typ {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event within 20s", typ)
		}
	}
}

// TestQueueFull: past MaxQueued pending pulls, a ping is refused with 429
// and Retry-After, and a ping for a user already queued still coalesces.
func TestQueueFull(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) {
		c.MaxQueued = 2
		c.Delay = p4p.Delay{Min: time.Hour, Max: time.Hour}
	})
	ping(t, s, "u-1")
	ping(t, s, "u-2")
	resp := post(t, s.URL+"/api/v3_0/user/u-3/refresh", url.Values{"lftoken": {systemToken(t)}}, "")
	env := decodeEnvelope(t, resp)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(env.Msg, "queue full") {
		t.Errorf("third user: status %d, Retry-After %q, %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"), env.Msg)
	}
	if r := ping(t, s, "u-1"); !r.Coalesced {
		t.Errorf("ping for a queued user when full: %+v, want coalesced", r)
	}
}

// TestEventsInCausalOrder: with no delay a worker may take a pull before
// the ping that queued it is announced; still, for every pull, followers
// see the ping.accepted first and the timeline keeps it below the pull's
// end.
func TestEventsInCausalOrder(t *testing.T) {
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, nil)
	register(t, s, e.template())
	events := follow(t, s, "")
	const users = 200
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < users; i += 8 {
				ping(t, s, fmt.Sprintf("c-%d", i))
			}
		})
	}
	first := map[string]livefyre.EventType{} // pull id: its first event
	updated := 0
	timeout := time.After(60 * time.Second)
	for updated < users {
		select {
		case ev, ok := <-events.c:
			if !ok {
				t.Fatal("event stream ended")
			}
			if _, seen := first[ev.PullID]; !seen && ev.PullID != "" {
				first[ev.PullID] = ev.Type
			}
			if ev.Type == livefyre.ProfileUpdated {
				updated++
			}
		case <-timeout:
			t.Fatalf("%d of %d profiles updated within 60 s", updated, users)
		}
	}
	wg.Wait()
	for id, typ := range first {
		if typ != livefyre.PingAccepted {
			t.Errorf("pull %s: first event %s, want %s", id, typ, livefyre.PingAccepted)
		}
	}
	recs := awaitTimeline(t, s, "c-7", 3)
	if last := recs[len(recs)-1]; last.Type != livefyre.PingAccepted {
		t.Errorf("c-7's oldest record is %s, want %s", last.Type, livefyre.PingAccepted)
	}
}
