package mockserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"p4p"
	"p4p/livefyre"
	"p4p/mockserver"
)

// A fault is one way a Pull endpoint misbehaves, with what the mock must
// make of it: the outcome, how many attempts the pull takes, and part of
// the error recorded.
type fault struct {
	name     string
	answer   func(n int, r *http.Request, w http.ResponseWriter) // n counts this user's requests from 1
	outcome  livefyre.Outcome
	attempts int
	err      string
}

// stormAttempts is the mock's MaxAttempts in the fault storm.
const stormAttempts = 3

// stormPullTimeout is short so that the slow faults time out quickly.
const stormPullTimeout = 300 * time.Millisecond

// faults is every misbehaviour of issue 5's list, plus a correct endpoint.
func faults(elsewhere string) []fault {
	ok := serveProfile("Ada")
	always := func(f func(http.ResponseWriter, *http.Request)) func(int, *http.Request, http.ResponseWriter) {
		return func(_ int, r *http.Request, w http.ResponseWriter) { f(w, r) }
	}
	// first fails the first k requests of every pull, then serves the
	// profile: each pull of the user takes k+1 requests, so the count
	// cycles.
	first := func(k int, f func(http.ResponseWriter, *http.Request)) func(int, *http.Request, http.ResponseWriter) {
		return func(n int, r *http.Request, w http.ResponseWriter) {
			if (n-1)%(k+1) < k {
				f(w, r)
				return
			}
			ok(int64(n), r, w)
		}
	}
	json200 := func(text string) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, strings.ReplaceAll(text, "ID", r.URL.Query().Get("id")))
		}
	}
	code := func(c int, retryAfter string) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, _ *http.Request) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(c)
		}
	}
	exhausted := func(part string) (livefyre.Outcome, int, string) { return livefyre.OutcomeFailed, stormAttempts, part }
	f := []fault{
		{name: "correct", answer: always(func(w http.ResponseWriter, r *http.Request) { ok(1, r, w) }), outcome: livefyre.OutcomeSucceeded, attempts: 1},
		{name: "500 always", answer: always(code(500, ""))},
		{name: "500 with Retry-After once", answer: first(1, code(500, "1")), outcome: livefyre.OutcomeSucceeded, attempts: 2},
		{name: "502 once", answer: first(1, code(502, "")), outcome: livefyre.OutcomeSucceeded, attempts: 2},
		{name: "503 once", answer: first(1, code(503, "")), outcome: livefyre.OutcomeSucceeded, attempts: 2},
		{name: "503 with Retry-After once", answer: first(1, code(503, "1")), outcome: livefyre.OutcomeSucceeded, attempts: 2},
		{name: "503 with Retry-After always", answer: always(code(503, "1"))},
		{name: "429 twice", answer: first(2, code(429, "0")), outcome: livefyre.OutcomeSucceeded, attempts: 3},
		{name: "timeout", answer: always(hang)},
		{name: "trickle", answer: always(trickle)},
		{name: "reset before the response", answer: always(reset(""))},
		{name: "reset mid-body", answer: always(reset(`{"id":"`))},
		{name: "reset mid-body once", answer: first(1, reset(`{"id":"`)), outcome: livefyre.OutcomeSucceeded, attempts: 2},
		{name: "truncated JSON", answer: always(json200(`{"id":"ID","display_na`)), outcome: livefyre.OutcomeFailed, attempts: 1, err: "not JSON"},
		{name: "over the size cap", answer: always(json200(`{"id":"ID","display_name":"` + strings.Repeat("x", stormMaxResponse) + `"}`)), outcome: livefyre.OutcomeFailed, attempts: 1, err: "too large"},
		{name: "invalid UTF-8", answer: always(json200("{\"id\":\"ID\",\"display_name\":\"\xff\xfe\"}")), outcome: livefyre.OutcomeFailed, attempts: 1, err: "not UTF-8"},
		{name: "deep nesting", answer: always(json200(`{"id":"ID","display_name":"A","x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`)), outcome: livefyre.OutcomeFailed, attempts: 1, err: "nested too deeply"},
		{name: "duplicate keys", answer: always(json200(`{"id":"ID","display_name":"A","display_name":"B"}`)), outcome: livefyre.OutcomeFailed, attempts: 1, err: "duplicate key"},
		{name: "redirect to the same host", answer: redirectSameHost(ok), outcome: livefyre.OutcomeSucceeded, attempts: 1},
		{name: "redirect to another host", answer: always(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere+"/pull?"+r.URL.RawQuery, http.StatusFound)
		}), outcome: livefyre.OutcomeFailed, attempts: 1, err: "redirect to another host refused"},
		{name: "HTML error page with 200", answer: always(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><h1>Internal error</h1></body></html>")
		}), outcome: livefyre.OutcomeFailed, attempts: 1, err: "application/json"},
		{name: "HTML labelled JSON", answer: always(json200("<html><body>oops</body></html>")), outcome: livefyre.OutcomeFailed, attempts: 1, err: "not JSON"},
		{name: "id mismatch", answer: always(json200(`{"id":"ID-other","display_name":"A"}`)), outcome: livefyre.OutcomeFailed, attempts: 1, err: "id differs"},
	}
	for i := range f {
		if f[i].outcome == "" { // retried until the attempts run out
			f[i].outcome, f[i].attempts, f[i].err = exhausted(retryErr(f[i].name))
		}
	}
	return f
}

// retryErr is part of the error recorded once a retried fault has used up
// its attempts.
func retryErr(name string) string {
	switch {
	case strings.HasPrefix(name, "500"):
		return "status 500"
	case strings.HasPrefix(name, "503"):
		return "status 503"
	case name == "timeout":
		return "no response within"
	case name == "trickle":
		return "did not arrive in full within"
	case name == "reset mid-body":
		return "reading the response failed"
	default:
		return "request failed"
	}
}

const stormMaxResponse = 64 << 10

// hang answers after the pull timeout, or when the mock gives up.
func hang(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(3 * stormPullTimeout):
		serveProfile("late")(1, r, w)
	}
}

// trickle sends the status at once and then a byte every 50ms, so the body
// never completes within the pull timeout.
func trickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	for _, b := range []byte(`{"id":"` + r.URL.Query().Get("id") + `","display_name":"slow"}`) {
		if _, err := w.Write([]byte{b}); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// reset writes the start of a 200 response, prefix of its body, and then
// resets the connection (RST, not FIN).
func reset(prefix string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		if prefix != "" {
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n%s", prefix)
			buf.Flush()
		}
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}
}

// redirectSameHost sends the first request to another path on the same
// host, which serves the profile.
func redirectSameHost(ok func(int64, *http.Request, http.ResponseWriter)) func(int, *http.Request, http.ResponseWriter) {
	return func(_ int, r *http.Request, w http.ResponseWriter) {
		if r.URL.Path == "/moved" {
			ok(1, r, w)
			return
		}
		http.Redirect(w, r, "/moved?"+r.URL.RawQuery, http.StatusMovedPermanently)
	}
}

// faultEndpoint serves each user the fault its id names: "f<index>-<n>".
type faultEndpoint struct {
	*httptest.Server
	faults []fault
	mu     sync.Mutex
	seen   map[string]int // requests per user, redirect hops not counted
}

func newFaultEndpoint(t *testing.T, faults []fault) *faultEndpoint {
	e := &faultEndpoint{faults: faults, seen: map[string]int{}}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		var i, n int
		if _, err := fmt.Sscanf(id, "f%d-%d", &i, &n); err != nil || i >= len(faults) {
			http.NotFound(w, r)
			return
		}
		e.mu.Lock()
		if r.URL.Path != "/moved" {
			e.seen[id]++
		}
		count := e.seen[id]
		e.mu.Unlock()
		faults[i].answer(count, r, w)
	}))
	t.Cleanup(e.Close)
	return e
}

// ledger collects the events of a mock's /events stream.
type ledger struct {
	mu     sync.Mutex
	events []livefyre.Event
	done   chan struct{}
}

func followAll(t *testing.T, s *mockserver.Server) *ledger {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	l := &ledger{done: make(chan struct{})}
	t.Cleanup(func() { cancel(); resp.Body.Close(); <-l.done })
	go func() {
		defer close(l.done)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var ev livefyre.Event
				if json.Unmarshal([]byte(data), &ev) == nil {
					l.mu.Lock()
					l.events = append(l.events, ev)
					l.mu.Unlock()
				}
			}
		}
	}()
	return l
}

// finals maps each pull id to the events that ended it: pull.succeeded, or
// pull.failed with final set.
func (l *ledger) finals() map[string][]livefyre.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := map[string][]livefyre.Event{}
	for _, ev := range l.events {
		if ev.Type == livefyre.PullSucceeded || ev.Type == livefyre.PullFailed && ev.Final {
			m[ev.PullID] = append(m[ev.PullID], ev)
		}
	}
	return m
}

// TestFaultStorm meets the mock with every fault of issue 5 at once, several
// users each, every user pinged twice (the second ping coalesces or queues
// a second pull), and checks the ledger: every acknowledged ping belongs to
// a pull that ended exactly once, with the outcome, attempts and error the
// fault calls for; the mock's counters agree with the events and with the
// requests the endpoint saw.
func TestFaultStorm(t *testing.T) {
	var strayMu sync.Mutex
	var stray []string
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		strayMu.Lock()
		stray = append(stray, r.URL.Path) // not the query: it holds the token
		strayMu.Unlock()
	}))
	t.Cleanup(elsewhere.Close)
	fs := faults(elsewhere.URL)
	e := newFaultEndpoint(t, fs)
	s := startMock(t, func(c *mockserver.Config) {
		c.MaxAttempts = stormAttempts
		c.PullTimeout = stormPullTimeout
		c.MaxResponseBytes = stormMaxResponse
		c.TimeScale = 100                         // Retry-After: 1 waits 10ms
		c.Delay = p4p.Delay{Max: 5 * time.Second} // 0-50ms: some second pings coalesce, some queue anew
	})
	register(t, s, e.URL+"/pull?id={id}")
	events := followAll(t, s)

	const usersPerFault = 4
	acked := map[string][]string{} // pull id → users that pinged into it
	var users []string
	for i := range fs {
		for n := range usersPerFault {
			users = append(users, fmt.Sprintf("f%d-%d", i, n))
		}
	}
	for round := range 2 {
		for _, id := range users {
			r := ping(t, s, id)
			if r.PullID == "" || r.UserID != id {
				t.Fatalf("round %d: ping %s answered %+v", round, id, r)
			}
			acked[r.PullID] = append(acked[r.PullID], id)
		}
	}

	for _, id := range users {
		var i, n int
		fmt.Sscanf(id, "f%d-%d", &i, &n)
		f := fs[i]
		rp := awaitOutcome(t, s, id)
		if rp.Sync.Outcome != f.outcome || rp.Sync.Attempts != f.attempts || !strings.Contains(rp.Sync.LastError, f.err) {
			t.Errorf("%s (%s): outcome %s after %d attempts (%q), want %s after %d (%q)",
				f.name, id, rp.Sync.Outcome, rp.Sync.Attempts, rp.Sync.LastError, f.outcome, f.attempts, f.err)
		}
		if gaveUp := fmt.Sprintf("gave up after %d attempts", stormAttempts); f.outcome == livefyre.OutcomeFailed &&
			f.attempts == stormAttempts && !strings.HasSuffix(rp.Sync.LastError, gaveUp) {
			t.Errorf("%s (%s): error %q does not end with %q", f.name, id, rp.Sync.LastError, gaveUp)
		}
		if f.outcome == livefyre.OutcomeSucceeded && displayName(t, rp) != "Ada" {
			t.Errorf("%s (%s): stored %s, want Ada's profile", f.name, id, rp.Profile)
		}
		if f.outcome == livefyre.OutcomeFailed && rp.Profile != nil {
			t.Errorf("%s (%s): a profile was stored from a failed pull: %s", f.name, id, rp.Profile)
		}
	}

	// Every acknowledged ping's pull ended exactly once, and no pull ended
	// that no ping asked for.
	finals := awaitFinals(t, events, len(acked))
	var succeeded, failed int
	for pullID, pingers := range acked {
		ends := finals[pullID]
		if len(ends) != 1 {
			t.Errorf("pull %s (pings from %v) ended %d times, want once", pullID, pingers, len(ends))
			continue
		}
		if ends[0].Type == livefyre.PullSucceeded {
			succeeded++
		} else {
			failed++
		}
	}
	for pullID := range finals {
		if _, ok := acked[pullID]; !ok {
			t.Errorf("pull %s ended but no ping was acknowledged for it", pullID)
		}
	}
	checkRetryWaits(t, events, fs)
	t.Logf("%d faults, %d users, %d pings acknowledged into %d pulls: %d succeeded, %d failed for good",
		len(fs), len(users), 2*len(users), len(acked), succeeded, failed)

	m := scrapeMetrics(t, s)
	pings := m[`p4p_pings_total{result="queued"}`] + m[`p4p_pings_total{result="coalesced"}`]
	if want := float64(2 * len(users)); pings != want {
		t.Errorf("metrics count %v pings, want %v acknowledged", pings, want)
	}
	if q := m[`p4p_pings_total{result="queued"}`]; q != float64(len(acked)) {
		t.Errorf("metrics count %v queued pulls, the pings named %d", q, len(acked))
	}
	if got := m[`p4p_pulls_total{outcome="succeeded"}`]; got != float64(succeeded) {
		t.Errorf("metrics count %v pulls succeeded, the events %d", got, succeeded)
	}
	if got := m[`p4p_pulls_total{outcome="failed"}`]; got != float64(failed) {
		t.Errorf("metrics count %v pulls failed, the events %d", got, failed)
	}
	if got := m[`p4p_queue_depth{stage="pending"}`] + m[`p4p_queue_depth{stage="running"}`]; got != 0 {
		t.Errorf("queue depth %v after the storm, want 0", got)
	}
	strayMu.Lock()
	defer strayMu.Unlock()
	if len(stray) > 0 {
		t.Errorf("the other host received %d requests (%s): the token left the registered host", len(stray), stray[0])
	}
}

// checkRetryWaits checks the wait before each retry: a Retry-After of one
// second is honoured (10ms at the storm's time scale of 100), and without
// one the backoff is the mock's own (at most 0.5ms here).
func checkRetryWaits(t *testing.T, l *ledger, fs []fault) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var honoured, own int
	for _, ev := range l.events {
		if ev.Type != livefyre.PullFailed || ev.Final || ev.RetryInMS == 0 {
			continue
		}
		var i, n int
		fmt.Sscanf(ev.UserID, "f%d-%d", &i, &n)
		withRetryAfter := strings.Contains(fs[i].name, "Retry-After")
		switch {
		case withRetryAfter && ev.RetryInMS < 10:
			t.Errorf("%s (%s): retried after %.3fms, want Retry-After's 10ms", fs[i].name, ev.UserID, ev.RetryInMS)
		case !withRetryAfter && ev.RetryInMS > 0.5:
			t.Errorf("%s (%s): retried after %.3fms, want the backoff's at most 0.5ms", fs[i].name, ev.UserID, ev.RetryInMS)
		case withRetryAfter:
			honoured++
		default:
			own++
		}
	}
	if honoured == 0 || own == 0 {
		t.Errorf("%d retries honoured Retry-After and %d used the backoff; want some of each", honoured, own)
	}
}

// TestConnectionRefused: a Pull URL where nothing listens is retried, then
// recorded as failed with the reason.
func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := startMock(t, func(c *mockserver.Config) { c.MaxAttempts = stormAttempts })
	register(t, s, "http://"+addr+"/pull?id={id}")
	ping(t, s, "u-1")
	rp := awaitOutcome(t, s, "u-1")
	if rp.Sync.Outcome != livefyre.OutcomeFailed || rp.Sync.Attempts != stormAttempts || !strings.Contains(rp.Sync.LastError, "refused") {
		t.Errorf("outcome %s after %d attempts (%q), want failed after %d with connection refused",
			rp.Sync.Outcome, rp.Sync.Attempts, rp.Sync.LastError, stormAttempts)
	}
}

// awaitFinals waits until n pulls have ended (or a while longer than the
// last one needs), then gives a little more time for a duplicate to show.
func awaitFinals(t *testing.T, l *ledger, n int) map[string][]livefyre.Event {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for len(l.finals()) < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(4 * stormPullTimeout) // an extra end would come within a pull timeout
	return l.finals()
}

// scrapeMetrics reads the mock's /metrics into series → value.
func scrapeMetrics(t *testing.T, s *mockserver.Server) map[string]float64 {
	t.Helper()
	resp, err := http.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	m := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		var v float64
		if _, err := fmt.Sscan(value, &v); ok && err == nil {
			m[name] = v
		}
	}
	return m
}
