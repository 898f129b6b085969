package embedded_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"p4p/embedded"
	"p4p/livefyre"
	"p4p/token"
)

// start starts a pipeline closed when the test ends.
func start(t *testing.T, opts ...embedded.Option) *embedded.Pipeline {
	t.Helper()
	p, err := embedded.Start(t.Context(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// propagates pings Livefyre for id through lf, or, with a hook, changes
// the user's display name through the hook (which pings), and returns the
// display name Livefyre then stores.
func propagates(t *testing.T, lf *livefyre.Client, hook, id, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	events, err := lf.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()
	if hook != "" {
		postHook(t, hook, id, name)
	} else if _, err := lf.Ping(ctx, id); err != nil {
		t.Fatal(err)
	}
	for ev := range events.C {
		switch {
		case ev.UserID != id:
		case ev.Type == livefyre.PullFailed && ev.Final:
			t.Fatalf("the pull of %s failed: %s", id, ev.Error)
		case ev.Type == livefyre.ProfileUpdated:
			return storedName(t, lf, id)
		}
	}
	t.Fatalf("no update of %s: %v", id, events.Err())
	return ""
}

func postHook(t *testing.T, hook, id, name string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"id": id, "display_name": name})
	resp, err := http.Post(hook, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("update hook: status %d, want 200", resp.StatusCode)
	}
}

func storedName(t *testing.T, lf *livefyre.Client, id string) string {
	t.Helper()
	rp, err := lf.Profile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		DisplayName string `json:"display_name"`
	}
	if err := json.Unmarshal(rp.Profile, &p); err != nil {
		t.Fatal(err)
	}
	return p.DisplayName
}

// pull pulls id from the pipeline's Pull URL as Livefyre does, with c.
func pull(t *testing.T, p *embedded.Pipeline, c *http.Client, id string) (*http.Response, error) {
	t.Helper()
	resp, err := c.Get(pullURL(t, p, id))
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

// pullURL is the URL Livefyre pulls id from, with its system token.
func pullURL(t *testing.T, p *embedded.Pipeline, id string) string {
	t.Helper()
	tok, err := token.System(p.Network, p.Key, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(p.PullURL, "{id}", url.QueryEscape(id), 1) + "&lftoken=" + tok
}

// registered is the Pull URL template Livefyre at base has registered.
func registered(t *testing.T, lf *livefyre.Client) string {
	t.Helper()
	h, err := lf.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h.PullProfileURL
}

// refused checks that nothing listens at u's host any more.
func refused(t *testing.T, u string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(u)
	if err == nil {
		resp.Body.Close()
		t.Errorf("GET %s after Close: status %d, want the connection refused", u, resp.StatusCode)
		return
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("GET %s after Close: %v, want the connection refused", u, err)
	}
}
