package mockserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/token"
)

const (
	network = "test.fyre.co"
	key     = "M5X4rTeKsGNRsV2RekagqSIE9UM="
)

// startMock starts a mock on loopback with a fresh data dir and fast
// backoff; change adjusts the config.
func startMock(t testing.TB, change func(*mockserver.Config)) *mockserver.Server {
	t.Helper()
	cfg := mockserver.Config{Network: network, Key: key, DataDir: t.TempDir(),
		BackoffBase: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond, PullTimeout: 2 * time.Second}
	if change != nil {
		change(&cfg)
	}
	s, err := mockserver.Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func systemToken(t testing.TB) string {
	t.Helper()
	tok, err := token.System(network, key, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// endpoint is a Pull endpoint whose answer a test scripts per request.
type endpoint struct {
	*httptest.Server
	requests atomic.Int64
	mu       sync.Mutex
	tokens   []string
	answer   func(n int64, r *http.Request, w http.ResponseWriter)
}

func newEndpoint(t *testing.T, answer func(n int64, r *http.Request, w http.ResponseWriter)) *endpoint {
	t.Helper()
	e := &endpoint{answer: answer}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := e.requests.Add(1)
		e.mu.Lock()
		e.tokens = append(e.tokens, r.URL.Query().Get("lftoken"))
		e.mu.Unlock()
		e.answer(n, r, w)
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *endpoint) template() string { return e.URL + "/pull?id={id}" }

// serveProfile answers like a correct endpoint.
func serveProfile(name string) func(int64, *http.Request, http.ResponseWriter) {
	return func(_ int64, r *http.Request, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": r.URL.Query().Get("id"), "display_name": name, "autofollow_conversations": "false"})
	}
}

func register(t *testing.T, s *mockserver.Server, template string) {
	t.Helper()
	resp := post(t, s.URL+"/", url.Values{"actor_token": {systemToken(t)}, "pull_profile_url": {template}}, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("register: status %d, want 204", resp.StatusCode)
	}
}

func post(t *testing.T, u string, form url.Values, contentType string) *http.Response {
	t.Helper()
	if contentType == "" {
		contentType = "application/x-www-form-urlencoded"
	}
	resp, err := http.Post(u, contentType, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func ping(t *testing.T, s *mockserver.Server, id string) livefyre.PingResult {
	t.Helper()
	resp := post(t, s.URL+"/api/v3_0/user/"+id+"/refresh", url.Values{"lftoken": {systemToken(t)}}, "")
	env := decodeEnvelope(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ping %s: status %d (%s), want 200", id, resp.StatusCode, env.Msg)
	}
	var r livefyre.PingResult
	if err := json.Unmarshal(env.Data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func decodeEnvelope(t *testing.T, resp *http.Response) livefyre.Envelope {
	t.Helper()
	var env livefyre.Envelope
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("status %d, body %q: not an envelope: %v", resp.StatusCode, body, err)
	}
	return env
}

// getProfile reads /profiles/{id}; ok is false on 404.
func getProfile(t *testing.T, s *mockserver.Server, id string) (livefyre.RemoteProfile, bool) {
	t.Helper()
	resp, err := http.Get(s.URL + "/profiles/" + id + "?actor_token=" + url.QueryEscape(systemToken(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return livefyre.RemoteProfile{}, false
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /profiles/%s: status %d: %s", id, resp.StatusCode, b)
	}
	var rp livefyre.RemoteProfile
	if err := json.NewDecoder(resp.Body).Decode(&rp); err != nil {
		t.Fatal(err)
	}
	return rp, true
}

// awaitOutcome polls the profile until its outcome is final: no pull is
// pending or running for the user. The minute is a bound for a stalled
// mock, not an expectation of speed.
func awaitOutcome(t *testing.T, s *mockserver.Server, id string) livefyre.RemoteProfile {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		rp, ok := getProfile(t, s, id)
		if ok && rp.Sync.Outcome != livefyre.OutcomePending && rp.Sync.Outcome != "" {
			return rp
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("user %s: no final outcome after a minute", id)
	return livefyre.RemoteProfile{}
}

func displayName(t *testing.T, rp livefyre.RemoteProfile) string {
	t.Helper()
	var p struct {
		DisplayName string `json:"display_name"`
	}
	if err := json.Unmarshal(rp.Profile, &p); err != nil {
		t.Fatalf("profile %s: %v", rp.Profile, err)
	}
	return p.DisplayName
}

// syncBuffer is a log's writer that tests read while it writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
