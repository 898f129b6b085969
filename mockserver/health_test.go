package mockserver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"p4p/mockserver"
)

// TestQueueUnavailable takes the queue away from a mock on an external
// NATS, first its stream (deleted behind its back), then the whole server:
// /healthz and /readyz answer 503 naming what cannot work, /metrics leaves
// out a depth it cannot read (counting the failure) instead of reporting
// zero, and a ping is refused with 503 and Retry-After.
func TestQueueUnavailable(t *testing.T) {
	ns := startNATS(t)
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL = ns.ClientURL() })
	awaitHealth(t, s, http.StatusOK, "")
	if m := scrape(t, s); !strings.Contains(m, `p4p_queue_depth{stage="pending"} 0`) {
		t.Fatalf("/metrics has no pending depth while the queue is up:\n%s", m)
	}

	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	if err := js.DeleteStream(context.Background(), "P4P_PENDING"); err != nil {
		t.Fatal(err)
	}
	awaitHealth(t, s, http.StatusServiceUnavailable, "stream P4P_PENDING")
	m := scrape(t, s)
	if strings.Contains(m, "p4p_queue_depth{") {
		t.Errorf("/metrics reports a queue depth it cannot read:\n%s", grep(m, "p4p_queue_depth"))
	}
	if !strings.Contains(m, "p4p_queue_depth_errors_total ") || strings.Contains(m, "p4p_queue_depth_errors_total 0") {
		t.Errorf("/metrics does not count the failed reading:\n%s", grep(m, "p4p_queue_depth"))
	}

	ns.Shutdown()
	ns.WaitForShutdown()
	awaitHealth(t, s, http.StatusServiceUnavailable, "nats")
	resp := pingStatus(t, s, "u-1")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("ping with NATS down: status %d, Retry-After %q; want 503 with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func scrape(t *testing.T, s *mockserver.Server) string {
	t.Helper()
	return getBody(t, s.URL+"/metrics")
}

func grep(text, substr string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func pingStatus(t *testing.T, s *mockserver.Server, id string) *http.Response {
	t.Helper()
	resp := post(t, s.URL+"/api/v3_0/user/"+id+"/refresh", url.Values{"lftoken": {systemToken(t)}}, "")
	io.Copy(io.Discard, resp.Body)
	return resp
}

// health reads /healthz, whatever its status.
func health(t *testing.T, s *mockserver.Server) mockserver.HealthReport {
	t.Helper()
	_, h := healthStatus(t, s)
	return h
}

func healthStatus(t *testing.T, s *mockserver.Server) (int, mockserver.HealthReport) {
	t.Helper()
	resp, err := http.Get(s.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	env := decodeEnvelope(t, resp)
	var h mockserver.HealthReport
	if err := json.Unmarshal(env.Data, &h); err != nil {
		t.Fatalf("/healthz: status %d, data %s: %v", resp.StatusCode, env.Data, err)
	}
	return resp.StatusCode, h
}

// awaitHealth polls /healthz until it answers status, naming part among
// its problems if part is set; /readyz must agree. The bound is for a
// stuck mock, not an expectation of speed.
func awaitHealth(t *testing.T, s *mockserver.Server, status int, part string) mockserver.HealthReport {
	t.Helper()
	var (
		got int
		h   mockserver.HealthReport
	)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got, h = healthStatus(t, s); got == status && (part == "" || names(h.Problems, part)) {
			resp, err := http.Get(s.URL + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != status || !strings.Contains(string(body), part) {
				t.Fatalf("/readyz: status %d %q, want %d naming %q like /healthz", resp.StatusCode, body, status, part)
			}
			return h
		}
	}
	t.Fatalf("/healthz: status %d, problems %+v; want %d naming %q", got, h.Problems, status, part)
	return h
}

func names(ps []mockserver.Problem, part string) bool {
	for _, p := range ps {
		if strings.HasPrefix(p.Part, part) {
			return true
		}
	}
	return false
}
