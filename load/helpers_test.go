package load_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"p4p"
	"p4p/load"
	"p4p/refapp"
)

const (
	testNetwork = "load-test.fyre.co"
	testKey     = "load-test-key"
)

// testBootstrapRefresh is the test mocks' bootstrap cadence, so that a
// run's settle phase, which waits for the app to show every update,
// ends soon after the last update at time scale 1.
var testBootstrapRefresh = p4p.Delay{Min: 50 * time.Millisecond, Max: 100 * time.Millisecond}

// endpoint is a reference endpoint behind a server that counts what it
// answered, independently of the harness.
type endpoint struct {
	URL string // the Pull URL template

	mu         sync.Mutex
	requests   int
	status     map[int]int
	underscore int // requests for ids with '_'
	tokens     map[string]bool
}

// startEndpoint starts the reference endpoint with fault over users
// synthetic users, and a counting server in front of it.
func startEndpoint(t *testing.T, fault refapp.Fault, users int, delay time.Duration) *endpoint {
	t.Helper()
	ra, err := refapp.Start(refapp.Config{Network: testNetwork, Key: testKey, Users: refapp.SyntheticUsers(users),
		Fault: fault, FaultDelay: delay})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ra.Close() })
	e := &endpoint{status: map[int]int{}, tokens: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		ra.Handler().ServeHTTP(rec, r)
		e.mu.Lock()
		defer e.mu.Unlock()
		e.requests++
		e.status[rec.status]++
		if strings.Contains(r.URL.Query().Get("id"), "_") {
			e.underscore++
		}
		e.tokens[r.URL.Query().Get("lftoken")] = true
	}))
	t.Cleanup(srv.Close)
	e.URL = srv.URL + refapp.DefaultPullPath + "?id={id}"
	return e
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (e *endpoint) counts() (requests int, status map[int]int, underscore int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := make(map[int]int, len(e.status))
	for k, v := range e.status {
		s[k] = v
	}
	return e.requests, s, e.underscore
}

// pullScenario is a short pull run against e.
func pullScenario(t *testing.T, e *endpoint, rate string, d time.Duration, slos ...string) load.Scenario {
	t.Helper()
	r, err := load.ParseRate(rate)
	if err != nil {
		t.Fatal(err)
	}
	return load.Scenario{Kind: load.Pull, PullURL: e.URL, Network: testNetwork, Key: testKey,
		UserCount: 20, Rate: r, Duration: load.Duration(d), SLOs: slos, ReportDir: t.TempDir()}
}
