package embedded_test

import (
	"errors"
	"net/http"
	"net/http/httptrace"
	"runtime"
	"strings"
	"testing"
	"time"

	"p4p"
	"p4p/embedded"
	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/refapp"
)

// TestStartServes: a ping through the mock reaches the reference endpoint
// and its profile is stored; a change through the update hook propagates.
func TestStartServes(t *testing.T) {
	p := start(t)
	if p.Network != embedded.DefaultNetwork || len(p.Key) != 28 || len(p.Users) != refapp.DefaultUsers {
		t.Fatalf("network %q, key of %d characters, %d users; want %s, 28, %d", p.Network, len(p.Key), len(p.Users), embedded.DefaultNetwork, refapp.DefaultUsers)
	}
	if !strings.HasPrefix(p.PullURL, "http://127.0.0.1:") || !strings.HasSuffix(p.PullURL, "?id={id}") {
		t.Errorf("PullURL %q, want a plain HTTP template on loopback", p.PullURL)
	}
	lf := p.Livefyre()
	if got := registered(t, lf); got != p.PullURL {
		t.Errorf("registered template %q, want %q", got, p.PullURL)
	}
	u := p.Users[0]
	if got := propagates(t, lf, "", u.ID, ""); got != u.DisplayName {
		t.Errorf("stored display_name %q after a ping, want %q", got, u.DisplayName)
	}
	if got := propagates(t, lf, p.HookURL, u.ID, "Renamed"); got != "Renamed" {
		t.Errorf("stored display_name %q after the hook, want %q", got, "Renamed")
	}
}

// TestOptions: what the options set is what the pipeline has.
func TestOptions(t *testing.T) {
	users := refapp.SyntheticUsers(3)
	p := start(t, embedded.WithNetwork("options.fyre.co"), embedded.WithKey("options-key"), embedded.WithUsers(users))
	if p.Network != "options.fyre.co" || p.Key != "options-key" || len(p.Users) != 3 {
		t.Fatalf("network %q, key %q, %d users; want options.fyre.co, options-key, 3", p.Network, p.Key, len(p.Users))
	}
	if got := propagates(t, p.Livefyre(), "", users[2].ID, ""); got != users[2].DisplayName {
		t.Errorf("stored display_name %q, want %q", got, users[2].DisplayName)
	}
}

// TestMockOptions: the delay, the time scale, the bootstrap cadence and
// the queue's bound reach the in-process mock, which reports the time
// scale and the cadence on /healthz: with a delay of an hour, scaled to six minutes, a
// ping's pull waits, and with room for one a second user's ping is
// refused.
func TestMockOptions(t *testing.T) {
	p := start(t, embedded.WithDelay(p4p.Delay{Min: time.Hour, Max: time.Hour}), embedded.WithTimeScale(10),
		embedded.WithMaxQueued(1), embedded.WithBootstrapRefresh(p4p.Delay{Min: time.Minute, Max: 2 * time.Minute}))
	lf := p.Livefyre()
	h, err := lf.Health(t.Context())
	if err != nil || h.TimeScale != 10 {
		t.Fatalf("health: time scale %v, %v; want 10", h.TimeScale, err)
	}
	if got, want := h.BootstrapRefresh, (livefyre.Cadence{MinMS: 60e3, MaxMS: 120e3}); got != want {
		t.Errorf("health: bootstrap refresh %+v, want %+v, as configured and not divided by the time scale", got, want)
	}
	if _, err := lf.Ping(t.Context(), p.Users[0].ID); err != nil {
		t.Fatal(err)
	}
	var se *livefyre.StatusError
	if _, err := lf.Ping(t.Context(), p.Users[1].ID); !errors.As(err, &se) || se.Status != http.StatusTooManyRequests {
		t.Errorf("second user's ping with room for one pull: %v; want 429", err)
	}
	rp, err := lf.Profile(t.Context(), p.Users[0].ID)
	if err != nil || rp.Sync.Outcome != livefyre.OutcomePending {
		t.Errorf("the first user's record: %+v, %v; want its pull pending for the delay", rp.Sync, err)
	}
}

// TestTLS: the endpoint serves HTTPS with a certificate the mock and
// Client trust, and no one else does.
func TestTLS(t *testing.T) {
	p := start(t, embedded.WithTLS())
	if !strings.HasPrefix(p.PullURL, "https://127.0.0.1:") || p.Certificate() == nil {
		t.Fatalf("PullURL %q, certificate %v: want HTTPS", p.PullURL, p.Certificate())
	}
	resp, err := pull(t, p, p.Client(), p.Users[0].ID)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pull with Client: %v, %v; want 200", resp, err)
	}
	if _, err := pull(t, p, &http.Client{Transport: &http.Transport{}}, p.Users[0].ID); err == nil {
		t.Error("a client trusting the system roots accepted the self-signed certificate")
	}
	if got := propagates(t, p.Livefyre(), "", p.Users[1].ID, ""); got != p.Users[1].DisplayName {
		t.Errorf("stored display_name %q, want %q", got, p.Users[1].DisplayName)
	}
}

// TestFault: the slow fault holds each pull for 2.5 latency budgets; an
// unknown fault, or one with a running endpoint, is refused.
func TestFault(t *testing.T) {
	p := start(t, embedded.WithFault("slow"), embedded.WithLatencyBudget(40*time.Millisecond), embedded.WithoutLivefyre())
	begin := time.Now()
	resp, err := pull(t, p, p.Client(), p.Users[0].ID)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pull: %v, %v; want 200", resp, err)
	}
	if took := time.Since(begin); took < 100*time.Millisecond {
		t.Errorf("a slow pull took %v, want at least 2.5 × 40ms", took)
	}
	for _, opts := range [][]embedded.Option{
		{embedded.WithFault("sloow")},
		{embedded.WithFault("slow"), embedded.WithPullURL("http://127.0.0.1:1/pull?id={id}"), embedded.WithoutLivefyre()},
		{embedded.WithLivefyre("http://127.0.0.1:1"), embedded.WithoutLivefyre()},
	} {
		if p, err := embedded.Start(t.Context(), opts...); err == nil {
			p.Close()
			t.Errorf("Start with %d options: no error", len(opts))
		}
	}
}

// TestWithoutLivefyre: the endpoint alone serves pulls.
func TestWithoutLivefyre(t *testing.T) {
	p := start(t, embedded.WithoutLivefyre())
	if p.LivefyreURL != "" || p.Livefyre() != nil {
		t.Errorf("LivefyreURL %q, Livefyre() %v; want none", p.LivefyreURL, p.Livefyre())
	}
	resp, err := pull(t, p, p.Client(), p.Users[3].ID)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pull: %v, %v; want 200", resp, err)
	}
}

// startMock starts a mock Livefyre as a caller of Start would have it
// running elsewhere.
func startMock(t *testing.T) *mockserver.Server {
	t.Helper()
	m, err := mockserver.Start(mockserver.Config{Network: "running.fyre.co", Key: "running-key"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// TestWithLivefyre: the endpoint registers with, and pings, the running
// Livefyre, which Close leaves running.
func TestWithLivefyre(t *testing.T) {
	m := startMock(t)
	p, err := embedded.Start(t.Context(), embedded.WithLivefyre(m.URL+"/"), embedded.WithNetwork("running.fyre.co"), embedded.WithKey("running-key"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.LivefyreURL != m.URL {
		t.Errorf("LivefyreURL %q, want %q", p.LivefyreURL, m.URL)
	}
	lf := p.Livefyre()
	if got := registered(t, lf); got != p.PullURL {
		t.Errorf("registered template %q, want %q", got, p.PullURL)
	}
	if got := propagates(t, lf, p.HookURL, p.Users[0].ID, "Via the running mock"); got != "Via the running mock" {
		t.Errorf("stored display_name %q, want the hook's", got)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	refused(t, strings.Replace(p.PullURL, "{id}", "x", 1))
	if _, err := lf.Health(t.Context()); err != nil {
		t.Errorf("the running mock after Close: %v", err)
	}
}

// TestWithPullURL: the mock alone, with the running endpoint's template
// registered, or not with WithoutRegistration.
func TestWithPullURL(t *testing.T) {
	ra, err := refapp.Start(refapp.Config{Network: "running.fyre.co", Key: "running-key", Users: refapp.SyntheticUsers(2)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ra.Close() })
	opts := []embedded.Option{embedded.WithPullURL(ra.PullTemplate()), embedded.WithNetwork("running.fyre.co"), embedded.WithKey("running-key")}
	p := start(t, opts...)
	if p.PullURL != ra.PullTemplate() || p.HookURL != "" || p.Users != nil || p.Certificate() != nil {
		t.Errorf("PullURL %q, HookURL %q, %d users: want the running endpoint's template alone", p.PullURL, p.HookURL, len(p.Users))
	}
	lf := p.Livefyre()
	if got := registered(t, lf); got != ra.PullTemplate() {
		t.Errorf("registered template %q, want %q", got, ra.PullTemplate())
	}
	want := refapp.SyntheticUsers(2)[1]
	if got := propagates(t, lf, "", want.ID, ""); got != want.DisplayName {
		t.Errorf("stored display_name %q, want %q", got, want.DisplayName)
	}
	p = start(t, append(opts, embedded.WithoutRegistration())...)
	if got := registered(t, p.Livefyre()); got != "" {
		t.Errorf("registered template %q with WithoutRegistration, want none", got)
	}
}

// TestCloseWaitsAndIsIdempotent: Close lets a pull in flight finish, then
// nothing listens; a second Close returns the first one's result.
func TestCloseWaitsAndIsIdempotent(t *testing.T) {
	// A request the server has not accepted yet is not in flight, and
	// Close may refuse it; such a try proves nothing and is made again,
	// with longer for the server to accept it. A pull that was answered
	// was accepted before Close, which must then have waited for it.
	for try, accept := 1, 20*time.Millisecond; ; try, accept = try+1, 2*accept {
		p, err := embedded.Start(t.Context(), embedded.WithFault("slow"), embedded.WithLatencyBudget(100*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		resp, took, err := closeDuringPull(t, p, accept)
		if err != nil {
			if try == 5 {
				t.Fatalf("no pull was in flight at Close in %d tries; the last: %v", try, err)
			}
			continue
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("the pull in flight at Close: status %d, want 200", resp.StatusCode)
		}
		if took < 250*time.Millisecond {
			t.Errorf("Close returned %v after the request was sent, before the 250ms pull was answered", took)
		}
		if err := p.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		refused(t, p.LivefyreURL+"/healthz")
		refused(t, strings.Replace(p.PullURL, "{id}", "x", 1))
		return
	}
}

// closeDuringPull sends a pull, waits accept for the server to take it,
// closes p, and returns the pull's answer and how long after the request
// was written Close returned.
func closeDuringPull(t *testing.T, p *embedded.Pipeline, accept time.Duration) (*http.Response, time.Duration, error) {
	t.Helper()
	type result struct {
		resp *http.Response
		err  error
	}
	done, wrote := make(chan result, 1), make(chan struct{})
	req, err := http.NewRequest(http.MethodGet, pullURL(t, p, p.Users[0].ID), nil)
	if err != nil {
		t.Fatal(err)
	}
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(wrote) }}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	c := p.Client()
	go func() {
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- result{resp, err}
	}()
	<-wrote
	written := time.Now()
	time.Sleep(accept)
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	took := time.Since(written)
	r := <-done
	return r.resp, took, r.err
}

// TestCloseLeavesNoGoroutines: what Start started, Close stops.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	p, err := embedded.Start(t.Context(), embedded.WithTLS())
	if err != nil {
		t.Fatal(err)
	}
	if got := propagates(t, p.Livefyre(), "", p.Users[0].ID, ""); got != p.Users[0].DisplayName {
		t.Errorf("stored display_name %q, want %q", got, p.Users[0].DisplayName)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	// Goroutines of closed connections end shortly after Close.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after Close, %d before Start:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
