package refapp_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"p4p/refapp"
)

func TestRegister(t *testing.T) {
	lf := newFakeLivefyre(t, http.StatusOK)
	s := start(t, func(c *refapp.Config) { c.Livefyre, c.Register = lf.URL, true })
	reqs := lf.seen()
	if len(reqs) != 1 || reqs[0].Method != http.MethodPost || reqs[0].Path != "/" {
		t.Fatalf("Livefyre saw %+v, want one POST /", reqs)
	}
	if got, want := reqs[0].Form.Get("pull_profile_url"), s.PullTemplate(); got != want {
		t.Errorf("got pull_profile_url %q, want %q", got, want)
	}
	if want := s.URL + "/pull?id={id}"; s.PullTemplate() != want {
		t.Errorf("got PullTemplate %q, want %q", s.PullTemplate(), want)
	}
	checkSystemToken(t, reqs[0].Form.Get("actor_token"))
}

func TestRegisterRefused(t *testing.T) {
	lf := newFakeLivefyre(t, http.StatusForbidden)
	s, err := refapp.Start(refapp.Config{Network: network, Key: key, Livefyre: lf.URL, Register: true})
	if err == nil {
		s.Close()
		t.Fatal("Start: got no error from a 403")
	}
	if !strings.Contains(err.Error(), "403") || strings.Contains(err.Error(), "eyJ") {
		t.Errorf("got %q, want the status and no token", err)
	}
}

func TestStartRefuses(t *testing.T) {
	users := refapp.SyntheticUsers(2)
	users[1].ID = users[0].ID
	tests := []struct {
		name string
		cfg  refapp.Config
	}{
		{"no key", refapp.Config{Network: network}},
		{"duplicate ids", refapp.Config{Network: network, Key: key, Users: users}},
		{"pull path taken", refapp.Config{Network: network, Key: key, PullPath: "/hook"}},
		{"relative pull path", refapp.Config{Network: network, Key: key, PullPath: "pull"}},
		{"bad address", refapp.Config{Network: network, Key: key, Addr: "127.0.0.1:-1"}},
		{"unknown fault", refapp.Config{Network: network, Key: key, Fault: "nope"}},
		{"negative fault delay", refapp.Config{Network: network, Key: key, Fault: refapp.FaultSlow, FaultDelay: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := refapp.Start(tt.cfg); err == nil {
				s.Close()
				t.Error("got no error")
			}
		})
	}
}

// TestCloseWaitsForRequests closes the server while a hook waits for its
// ping: the hook still gets its answer.
func TestCloseWaitsForRequests(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	lf := newFakeLivefyre(t, http.StatusOK)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
		lf.serve(w, r)
	}))
	defer slow.Close()
	s, err := refapp.Start(refapp.Config{Network: network, Key: key, Livefyre: slow.URL})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int)
	go func() {
		resp, err := http.Post(s.URL+"/hook", "application/json", strings.NewReader(`{"id":"u-0001"}`))
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-arrived
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	probe := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for { // until Close has stopped the listener
		resp, err := probe.Get(s.URL + "/healthz")
		if err != nil {
			break
		}
		resp.Body.Close()
		time.Sleep(time.Millisecond)
	}
	close(release)
	if code := <-done; code != http.StatusOK {
		t.Errorf("in-flight hook: got %d, want 200", code)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
