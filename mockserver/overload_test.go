package mockserver_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
)

// stallPing opens a connection and sends a ping whose body never arrives
// in full, so that its handler holds an in-flight slot while it reads.
func stallPing(t *testing.T, s *mockserver.Server, id string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /api/v3_0/user/%s/refresh?lftoken=%s HTTP/1.1\r\nHost: mock\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\npad=", id, url.QueryEscape(systemToken(t)))
	return conn
}

// tryPing sends one ping and returns the response, body read.
func tryPing(t *testing.T, s *mockserver.Server, id string) (*http.Response, livefyre.Envelope) {
	t.Helper()
	resp := post(t, s.URL+"/api/v3_0/user/"+id+"/refresh", url.Values{"lftoken": {systemToken(t)}}, "")
	return resp, decodeEnvelope(t, resp)
}

// TestInflightLimit: once MaxInflight pings are being handled, the next is
// refused at once with 429 and Retry-After; when they finish, pings are
// accepted again, and the pings that never completed queued nothing.
func TestInflightLimit(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) { c.MaxInflight = 2 })
	stalled := []net.Conn{stallPing(t, s, "stalled-1"), stallPing(t, s, "stalled-2")}

	// The stalled handlers take their slots as soon as their headers are
	// read; poll until the limit shows.
	var resp *http.Response
	var env livefyre.Envelope
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if resp, env = tryPing(t, s, "u-1"); resp.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" || !strings.Contains(env.Msg, "at capacity") {
		t.Fatalf("with every slot held: status %d, Retry-After %q, %q; want 429, Retry-After 1, at capacity",
			resp.StatusCode, resp.Header.Get("Retry-After"), env.Msg)
	}
	if got := scrapeMetrics(t, s)[`p4p_ping_rejections_total{reason="busy"}`]; got < 1 {
		t.Errorf("busy rejections counted %v, want at least 1", got)
	}

	for _, c := range stalled {
		c.Close()
	}
	var ok bool
	for deadline := time.Now().Add(10 * time.Second); !ok && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		resp, _ := tryPing(t, s, "u-2")
		ok = resp.StatusCode == http.StatusOK
	}
	if !ok {
		t.Fatal("pings still refused after the stalled ones went away")
	}
	for _, id := range []string{"stalled-1", "stalled-2"} {
		if rp, found := getProfile(t, s, id); found {
			t.Errorf("%s: a ping whose body never arrived queued a pull: %+v", id, rp.Sync)
		}
	}
}

// TestBodyTimeout: a client that stalls mid-body is answered 400 once
// BodyTimeout passes, freeing its slot for other pings.
func TestBodyTimeout(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) {
		c.MaxInflight = 1
		c.BodyTimeout = 200 * time.Millisecond
	})
	conn := stallPing(t, s, "stalled-1")
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, " 400 ") {
		t.Fatalf("stalled ping: status line %q (%v), want 400", status, err)
	}
	if resp, env := tryPing(t, s, "u-1"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the stalled ping timed out: status %d (%s), want 200", resp.StatusCode, env.Msg)
	}
}

// TestOverloadLosesNothing: many clients at once against a small in-flight
// limit. Every ping is either acknowledged or refused with 429 and
// Retry-After (a client that honours it gets in later), and every user
// with an acknowledged ping ends with a stored profile.
func TestOverloadLosesNothing(t *testing.T) {
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, func(c *mockserver.Config) { c.MaxInflight = 4 })
	register(t, s, e.template())
	const clients, each = 32, 10
	var mu sync.Mutex
	acked := map[string]bool{}
	var refused, other int
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("c%d-%d", c, i)
				resp, err := http.PostForm(s.URL+"/api/v3_0/user/"+id+"/refresh", url.Values{"lftoken": {systemToken(t)}})
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				mu.Lock()
				switch {
				case resp.StatusCode == http.StatusOK:
					acked[id] = true
				case resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "":
					refused++
				default:
					other++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("%d pings acknowledged, %d refused with 429", len(acked), refused)
	if other > 0 {
		t.Errorf("%d pings got neither 200 nor 429 with Retry-After", other)
	}
	if len(acked)+refused != clients*each {
		t.Errorf("%d acknowledged + %d refused, want %d in all", len(acked), refused, clients*each)
	}
	for id := range acked {
		if rp := awaitOutcome(t, s, id); rp.Sync.Outcome != livefyre.OutcomeSucceeded {
			t.Errorf("%s: acknowledged, then %s (%s)", id, rp.Sync.Outcome, rp.Sync.LastError)
		}
	}
	m := scrapeMetrics(t, s)
	if got := m[`p4p_pulls_total{outcome="succeeded"}`]; got != float64(len(acked)) {
		t.Errorf("%v pulls succeeded, want one per acknowledged ping (%d)", got, len(acked))
	}
	if got := m[`p4p_ping_rejections_total{reason="busy"}`]; got != float64(refused) {
		t.Errorf("metrics count %v busy rejections, the clients %d", got, refused)
	}
}

// TestAllowHosts: with AllowHosts set, a Pull URL on any other host is
// refused with 400, by host name or exact host:port.
func TestAllowHosts(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) { c.AllowHosts = []string{"localhost", "127.0.0.1:9"} })
	tests := []struct {
		template string
		want     int
	}{
		{"http://localhost:8081/pull?id={id}", http.StatusNoContent},
		{"https://LOCALHOST/pull?id={id}", http.StatusNoContent},
		{"http://127.0.0.1:9/pull?id={id}", http.StatusNoContent},
		{"http://127.0.0.1:8081/pull?id={id}", http.StatusBadRequest},
		{"http://evil.example/pull?id={id}", http.StatusBadRequest},
		{"http://localhost.evil.example/pull?id={id}", http.StatusBadRequest},
	}
	for _, tt := range tests {
		resp := post(t, s.URL+"/", url.Values{"actor_token": {systemToken(t)}, "pull_profile_url": {tt.template}}, "")
		if resp.StatusCode != tt.want {
			t.Errorf("register %s: status %d, want %d", tt.template, resp.StatusCode, tt.want)
		}
		if tt.want == http.StatusBadRequest {
			if env := decodeEnvelope(t, resp); !strings.Contains(env.Msg, "allowed hosts") {
				t.Errorf("register %s: message %q, want it to name the allowed hosts", tt.template, env.Msg)
			}
		}
	}
}

// TestHeaderLimit: request headers past the server's limit are refused
// with 431 before any handler runs.
func TestHeaderLimit(t *testing.T) {
	s := startMock(t, nil)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v3_0/user/u-1/refresh", strings.NewReader(form("lftoken", systemToken(t))))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Pad", strings.Repeat("x", 200<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("200 KiB of headers: status %d, want 431", resp.StatusCode)
	}
	if _, found := getProfile(t, s, "u-1"); found {
		t.Error("a refused ping queued a pull")
	}
}
