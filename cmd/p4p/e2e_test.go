package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/profile"
	"p4p/refapp"
)

const (
	e2eNetwork = "e2e.fyre.co"
	e2eKey     = "M5X4rTeKsGNRsV2RekagqSIE9UM="
)

var e2eEnv = []string{"P4P_NETWORK=" + e2eNetwork, "P4P_NETWORK_KEY=" + e2eKey}

// TestPingToProfile runs p4p mock and p4p refapp as processes and sends one
// ping each way an integrator would: by curl with a token from p4p token,
// through the refapp's update hook, and from the official Node SDK. Each
// ends with the profile under /profiles/{id} and events on /events.
func TestPingToProfile(t *testing.T) {
	needInterrupt(t)
	mock := startProc(t, e2eEnv, "mock", "--addr", "127.0.0.1:0", "--data", t.TempDir())
	app := startProc(t, e2eEnv, "refapp", "--addr", "127.0.0.1:0", "--users", "20", "--livefyre", mock.URL)
	client := &livefyre.Client{BaseURL: mock.URL, Network: e2eNetwork, Key: e2eKey}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	users := refapp.SyntheticUsers(20)

	t.Run("curl", func(t *testing.T) {
		curl, err := exec.LookPath("curl")
		if err != nil {
			t.Skip("no curl")
		}
		id := users[1].ID
		events := followEvents(t, ctx, client)
		tok := strings.TrimSpace(run(t, e2eEnv, "token"))
		out, err := exec.CommandContext(ctx, curl, "-sS", "-X", "POST", "-o", "/dev/null", "-w", "%{http_code}",
			mock.URL+"/api/v3.0/user/"+id+"/refresh?lftoken="+tok).Output()
		if err != nil || string(out) != "200" {
			t.Fatalf("curl ping: %v, status %s; want 200", err, out)
		}
		events.await(t, id, livefyre.ProfileUpdated)
		if got := storedName(t, ctx, client, id); got != users[1].DisplayName {
			t.Errorf("stored display_name %q, want %q", got, users[1].DisplayName)
		}
	})

	t.Run("hook", func(t *testing.T) {
		id := users[2].ID
		events := followEvents(t, ctx, client)
		body, _ := json.Marshal(map[string]string{"id": id, "display_name": "Renamed by the hook"})
		resp, err := http.Post(app.URL+"/hook", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("hook: status %d, want 200", resp.StatusCode)
		}
		for _, typ := range []livefyre.EventType{livefyre.PingAccepted, livefyre.PullStarted, livefyre.PullSucceeded, livefyre.ProfileUpdated} {
			events.await(t, id, typ)
		}
		if got := storedName(t, ctx, client, id); got != "Renamed by the hook" {
			t.Errorf("stored display_name %q, want the hook's", got)
		}
	})

	t.Run("node SDK", func(t *testing.T) {
		node, err := exec.LookPath("node")
		script := filepath.Join("..", "..", "interop", "node", "sdk_interop.js")
		if err == nil {
			_, err = os.Stat(filepath.Join("..", "..", "interop", "node", "node_modules", "livefyre"))
		}
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("Node SDK missing in CI: %v", err)
			}
			t.Skipf("Node SDK missing: %v", err)
		}
		const id = "node.sdk-user_1"
		events := followEvents(t, ctx, client)
		cmd := exec.CommandContext(ctx, node, script)
		cmd.Env = append(os.Environ(), "LIVEFYRE_URL="+mock.URL, "NETWORK="+e2eNetwork, "NETWORK_KEY="+e2eKey, "USER_ID="+id)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("node SDK: %v: %s", err, out)
		}
		events.await(t, id, livefyre.ProfileUpdated)
		if got := storedName(t, ctx, client, id); got != "Node SDK user" {
			t.Errorf("stored display_name %q, want the SDK endpoint's", got)
		}
	})
	app.stop(t)
	mock.stop(t)
}

// TestKillRestart: kill -9 the mock after it acknowledged pings whose pulls
// had not run, restart it on the same --data, and every acknowledged ping
// still ends in a stored profile.
func TestKillRestart(t *testing.T) {
	needInterrupt(t)
	const users = 200
	app, err := refapp.Start(refapp.Config{Network: e2eNetwork, Key: e2eKey, Users: refapp.SyntheticUsers(users)})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	var pulls atomic.Int64
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pulls.Add(1)
		app.Handler().ServeHTTP(w, r)
	}))
	defer endpoint.Close()

	data := t.TempDir()
	args := []string{"mock", "--addr", "127.0.0.1:0", "--data", data, "--delay", "5s", "--pull-timeout", "2s", "--time-scale", "1"}
	mock := startProc(t, e2eEnv, args...)
	client := &livefyre.Client{BaseURL: mock.URL, Network: e2eNetwork, Key: e2eKey}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := client.Register(ctx, endpoint.URL+"/pull?id={id}"); err != nil {
		t.Fatal(err)
	}
	ids := pingAll(t, ctx, client, refapp.SyntheticUsers(users))
	mock.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
	mock.cmd.Wait()
	if n := pulls.Load(); n != 0 {
		t.Fatalf("%d pulls ran before the kill; the test needs them still queued", n)
	}

	mock = startProc(t, e2eEnv, args...)
	client.BaseURL = mock.URL
	deadline := time.Now().Add(90 * time.Second)
	for {
		done, failed := outcomes(t, ctx, client)
		if failed > 0 {
			t.Fatalf("%d pulls failed after the restart", failed)
		}
		if done == len(ids) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart %d of %d acknowledged pings ended in a stored profile", done, len(ids))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := pulls.Load(); n < users {
		t.Errorf("endpoint saw %d pulls, want at least %d", n, users)
	}
	mock.stop(t)
}

func pingAll(t *testing.T, ctx context.Context, client *livefyre.Client, users []profile.Profile) []string {
	t.Helper()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		ids  []string
		errs []error
	)
	sem := make(chan struct{}, 16)
	for _, u := range users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			_, err := client.Ping(ctx, u.ID)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			ids = append(ids, u.ID)
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d pings failed, first: %v", len(errs), errs[0])
	}
	return ids
}

func outcomes(t *testing.T, ctx context.Context, client *livefyre.Client) (succeeded, failed int) {
	t.Helper()
	all, err := client.Profiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, rp := range all {
		switch rp.Sync.Outcome {
		case livefyre.OutcomeSucceeded:
			succeeded++
		case livefyre.OutcomeFailed:
			failed++
		}
	}
	return succeeded, failed
}

func storedName(t *testing.T, ctx context.Context, client *livefyre.Client, id string) string {
	t.Helper()
	rp, err := client.Profile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		DisplayName string `json:"display_name"`
	}
	if err := json.Unmarshal(rp.Profile, &p); err != nil {
		t.Fatalf("profile %s: %v", id, err)
	}
	return p.DisplayName
}

// events follows /events from before an action, so nothing is missed.
// events follows /events for a test that awaits events of its users in any
// order: the mock may announce a pull's start before the ping's
// acknowledgement, both being under way at once.
type events struct {
	stream *livefyre.Stream
	seen   []livefyre.Event // read and not yet awaited
}

func followEvents(t *testing.T, ctx context.Context, client *livefyre.Client) *events {
	t.Helper()
	s, err := client.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return &events{stream: s}
}

func (e *events) await(t *testing.T, id string, typ livefyre.EventType) livefyre.Event {
	t.Helper()
	for i, ev := range e.seen {
		if ev.UserID == id && ev.Type == typ {
			e.seen = append(e.seen[:i], e.seen[i+1:]...)
			return ev
		}
	}
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev, ok := <-e.stream.C:
			if !ok {
				t.Fatalf("event stream ended before %s for %s: %v", typ, id, e.stream.Err())
			}
			if ev.UserID == id && ev.Type == livefyre.PullFailed && ev.Final {
				t.Fatalf("pull for %s failed: %s", id, ev.Error)
			}
			if ev.UserID == id && ev.Type == typ {
				return ev
			}
			e.seen = append(e.seen, ev)
		case <-timeout:
			t.Fatalf("no %s event for %s within 60s", typ, id)
		}
	}
}
