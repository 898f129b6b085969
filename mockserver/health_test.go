package mockserver_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

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
