package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/refapp"
)

// TestKillMidStorm: kill -9 the mock while pings are arriving and pulls are
// queued, running and finishing, restart it on the same --data, and every
// ping it acknowledged still ends in a stored profile from a pull at least
// as late as the one the ping was told about; the sync records are
// consistent (a succeeded outcome, the profile the endpoint serves, counts
// of pulls and attempts).
func TestKillMidStorm(t *testing.T) {
	needInterrupt(t)
	const users, killAfter, pingers = 300, 500, 8
	synthetic := refapp.SyntheticUsers(users)
	app, err := refapp.Start(refapp.Config{Network: e2eNetwork, Key: e2eKey, Users: synthetic})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond) // so that some pulls are under way at the kill
		app.Handler().ServeHTTP(w, r)
	}))
	defer endpoint.Close()

	data := t.TempDir()
	args := []string{"mock", "--addr", "127.0.0.1:0", "--data", data, "--delay", "0-2s", "--workers", "8", "--pull-timeout", "2s"}
	mock := startProc(t, e2eEnv, args...)
	client := &livefyre.Client{BaseURL: mock.URL, Network: e2eNetwork, Key: e2eKey}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := client.Register(ctx, endpoint.URL+"/pull?id={id}"); err != nil {
		t.Fatal(err)
	}

	// Pingers go round the users until the mock dies under them; each
	// acknowledged ping records the latest pull id its user was told of.
	var (
		mu     sync.Mutex
		latest = map[string]uint64{}
		acks   int
		killed = make(chan struct{})
		wg     sync.WaitGroup
	)
	names := map[string]string{}
	var ids []string
	for _, u := range synthetic {
		ids = append(ids, u.ID)
		names[u.ID] = u.DisplayName
	}
	for p := range pingers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := p; ; i += pingers {
				id := ids[i%len(ids)]
				r, err := client.Ping(ctx, id)
				if err != nil {
					select {
					case <-killed: // refused or reset by the kill: not acknowledged
						return
					default:
						t.Errorf("ping %s before the kill: %v", id, err)
						return
					}
				}
				n, err := strconv.ParseUint(r.PullID, 10, 64)
				if err != nil {
					t.Errorf("ping %s: pull id %q is not a sequence number", id, r.PullID)
					return
				}
				mu.Lock()
				latest[id] = max(latest[id], n)
				acks++
				mu.Unlock()
			}
		}()
	}
	for {
		mu.Lock()
		n := acks
		mu.Unlock()
		if n >= killAfter {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(killed)
	mock.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
	mock.cmd.Wait()
	wg.Wait()
	t.Logf("%d pings acknowledged for %d users before the kill", acks, len(latest))

	mock = startProc(t, e2eEnv, args...)
	client.BaseURL = mock.URL
	deadline := time.Now().Add(2 * time.Minute)
	for id, want := range latest {
		for {
			rp, err := client.Profile(ctx, id)
			var got uint64
			if err == nil {
				got, _ = strconv.ParseUint(rp.Sync.PullID, 10, 64)
			}
			if err == nil && rp.Sync.Outcome == livefyre.OutcomeSucceeded && got >= want {
				checkRecord(t, names[id], rp)
				break
			}
			if err == nil && rp.Sync.Outcome == livefyre.OutcomeFailed {
				t.Fatalf("%s: pull failed after the restart: %s", id, rp.Sync.LastError)
			}
			if err != nil && !errors.Is(err, livefyre.ErrNotFound) {
				t.Fatal(err)
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: acknowledged (pull %d) but after the restart its record is %+v (err %v)", id, want, rp.Sync, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	mock.stop(t)
}

// checkRecord checks that a succeeded sync record is consistent and holds
// the user's profile.
func checkRecord(t *testing.T, name string, rp livefyre.RemoteProfile) {
	t.Helper()
	s := rp.Sync
	if s.Pulls < 1 || s.Attempts < 1 || s.LastUpdateAt == nil || s.LastPingAt == nil || s.LastPullAt == nil ||
		s.LastUpdateAt.Before(*s.LastPingAt) || s.LastError != "" {
		t.Errorf("%s: inconsistent sync record %+v", rp.ID, s)
	}
	var p struct {
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
	}
	if err := json.Unmarshal(rp.Profile, &p); err != nil || p.ID != rp.ID || p.DisplayName != name {
		t.Errorf("%s: stored %s (%v), want the endpoint's profile with display_name %q", rp.ID, rp.Profile, err, name)
	}
}
