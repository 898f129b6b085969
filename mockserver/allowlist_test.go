package mockserver_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
	"p4p/mockserver"
)

// TestAllowHostsAtPullTime: a Pull URL stored by a mock that allowed its
// host is not pulled by a mock on the same NATS whose allowed hosts do
// not name it. The endpoint sees no request, so no token; the pull fails
// for good at once, saying why, in the sync record, the final event and
// the dead letter.
func TestAllowHostsAtPullTime(t *testing.T) {
	natsURL := natsServer(t)
	e := newEndpoint(t, serveProfile("Ada"))
	open := startMock(t, func(c *mockserver.Config) { c.NATSURL = natsURL })
	register(t, open, e.template())
	open.Close()
	strict := startMock(t, func(c *mockserver.Config) {
		c.NATSURL = natsURL
		c.AllowHosts = []string{"allowed.example"}
	})
	events := follow(t, strict, "u-1")
	ping(t, strict, "u-1")
	const reason = "is not in this mock's allowed hosts (--allow-hosts); the system token was not sent"
	if ev := events.await(t, livefyre.PullFailed); !ev.Final || !strings.Contains(ev.Error, reason) {
		t.Errorf("pull.failed %+v, want final, saying %q", ev, reason)
	}
	rp := awaitOutcome(t, strict, "u-1")
	t.Logf("u-1: %s", rp.Sync.LastError)
	if rp.Sync.Outcome != livefyre.OutcomeFailed || rp.Sync.Attempts != 1 || !strings.Contains(rp.Sync.LastError, reason) {
		t.Errorf("sync record %+v, want failed after one attempt, saying %q", rp.Sync, reason)
	}
	if n := e.requests.Load(); n != 0 {
		t.Errorf("the forbidden host got %d requests (tokens %q), want none", n, e.tokens)
	}
	if dead := deadLetters(t, natsURL); !strings.Contains(dead, reason) {
		t.Errorf("dead letter %s, want the reason %q", dead, reason)
	}
}

// deadLetters are the dead letters on the NATS at natsURL, one a line.
func deadLetters(t *testing.T, natsURL string) string {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream, err := js.Stream(ctx, "P4P_DEAD")
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		msg, err := stream.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("dead letter %d: %v", seq, err)
		}
		out.Write(msg.Data)
		out.WriteByte('\n')
	}
	return out.String()
}

// TestPullURLSecretsRedacted: a Pull URL with user info and an API key in
// its query is pulled with them, and shown nowhere with them: not on
// /healthz, in the log, in /events, in sync records or in dead letters,
// even when the endpoint echoes the request in its answer or drops the
// connection (net/http quotes the URL in its error).
func TestPullURLSecretsRedacted(t *testing.T) {
	const user, password, apiKey = "p4p-user", "hunter2-password", "SECRET-API-KEY"
	var mu sync.Mutex
	var sawCredentials bool
	e := newEndpoint(t, func(_ int64, r *http.Request, w http.ResponseWriter) {
		u, p, _ := r.BasicAuth()
		if u == user && p == password && r.URL.Query().Get("api_key") == apiKey {
			mu.Lock()
			sawCredentials = true
			mu.Unlock()
		}
		switch r.URL.Query().Get("id") {
		case "u-echo":
			http.Error(w, "Cannot GET "+r.URL.RequestURI(), http.StatusNotFound)
		case "u-drop":
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.Close()
		default:
			serveProfile("Ada")(0, r, w)
		}
	})
	natsURL := natsServer(t)
	var log syncBuffer
	s := startMock(t, func(c *mockserver.Config) {
		c.NATSURL = natsURL
		c.MaxAttempts = 1
		c.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	template := strings.Replace(e.URL, "://", "://"+user+":"+password+"@", 1) + "/p/{id}?api_key=" + apiKey + "&id={id}"
	register(t, s, template)
	events := follow(t, s, "")
	var shown []string
	for _, id := range []string{"u-ok", "u-echo", "u-drop"} {
		ping(t, s, id)
		rp := awaitOutcome(t, s, id)
		record, _ := json.Marshal(rp)
		t.Logf("%s: %s", id, rp.Sync.LastError)
		shown = append(shown, "sync record "+string(record))
	}
	for range 2 { // u-echo's and u-drop's
		ev := events.await(t, livefyre.PullFailed)
		shown = append(shown, "event "+ev.Error)
	}
	mu.Lock()
	if !sawCredentials {
		t.Error("the endpoint never saw the user info and API key: the pull must send them")
	}
	mu.Unlock()
	shown = append(shown, "/healthz "+getBody(t, s.URL+"/healthz"), "log "+log.String(), "dead letters "+deadLetters(t, natsURL))
	for _, text := range shown {
		for _, secret := range []string{password, apiKey} {
			if strings.Contains(text, secret) {
				t.Errorf("%q shown in %s", secret, text)
			}
		}
	}
}

// getBody reads u whatever its status.
func getBody(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}
