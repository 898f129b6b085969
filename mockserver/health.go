package mockserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"p4p"
	"p4p/livefyre"
)

// healthTimeout bounds all of one health check's look-ups together.
const healthTimeout = 2 * time.Second

// HealthReport is what GET /healthz answers: 200 when every part of the
// pipeline can work, else 503 with each part that cannot named in Problems.
type HealthReport struct {
	Status         string `json:"status"` // "ok" or "unavailable"
	Network        string `json:"network"`
	PullProfileURL string `json:"pull_profile_url"`
	// TimeScale lets a harness pointed at this mock divide Livefyre's
	// ten-minute promise as the mock divides its delays.
	TimeScale float64 `json:"time_scale"`
	// BootstrapRefresh is the collections' refresh cadence as configured
	// (not divided by TimeScale), so that a harness can tell how long an
	// update may take to become visible in the apps.
	BootstrapRefresh livefyre.Cadence `json:"bootstrap_refresh"`
	Store            StoreReading     `json:"store"`
	// NATS is the servers the mock runs on and the replicas it keeps of
	// each stream and bucket, with what it created or updated at start.
	NATS     NATSReading `json:"nats"`
	Problems []Problem   `json:"problems,omitempty"`
}

// Problem is a part of the pipeline that cannot work, and why.
type Problem struct {
	Part  string `json:"part"` // "nats", "store", "stream P4P_PENDING", "bucket p4p_profiles", …
	Error string `json:"error"`
}

func (p Problem) String() string { return p.Part + ": " + p.Error }

// problems looks at every part the pipeline needs: the NATS connection,
// the embedded JetStream, the store's room, each stream, consumer and
// bucket. It returns none when all can work.
func (s *Server) problems(ctx context.Context) []Problem {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	var ps []Problem
	add := func(part string, err error) {
		if err != nil {
			ps = append(ps, Problem{Part: part, Error: err.Error()})
		}
	}
	if err := s.broker.connected(); err != nil {
		add("nats", err) // every look-up below would time out for the same reason
		return ps
	}
	if ns := s.broker.server(); ns != nil && !ns.JetStreamEnabled() {
		add("jetstream", fmt.Errorf("the embedded server has disabled JetStream"))
	}
	if r := s.storage.reading(); r.State != storeOK.String() {
		add("store", s.storage.noRoom())
	} else if r.Error != "" {
		add("store", fmt.Errorf("%s", r.Error))
	}
	for _, name := range []string{pendingStream, pullsStream, deadStream} {
		_, err := s.js.Stream(ctx, name)
		add("stream "+name, err)
	}
	for _, c := range []struct{ stream, name string }{{pendingStream, moverConsumer}, {pullsStream, pullerConsumer}} {
		_, err := s.js.Consumer(ctx, c.stream, c.name)
		add("consumer "+c.name, err)
	}
	for _, name := range []string{profilesBucket, settingsBucket} {
		_, err := s.js.KeyValue(ctx, name)
		add("bucket "+name, err)
	}
	return ps
}

// handleHealth answers GET /healthz with a HealthReport.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	// The page needs no token, so the Pull URL is shown without its
	// secrets.
	h := HealthReport{Status: "ok", Network: s.cfg.Network, PullProfileURL: p4p.Template(s.store.Template()).Redacted(),
		TimeScale: s.cfg.TimeScale, BootstrapRefresh: livefyre.CadenceOf(s.cfg.BootstrapRefresh), Store: s.storage.reading(), NATS: s.topology.reading(), Problems: s.problems(r.Context())}
	if len(h.Problems) == 0 {
		respond(w, http.StatusOK, h)
		return
	}
	h.Status = "unavailable"
	data, _ := json.Marshal(h)
	w.Header().Set("Retry-After", retryAfterOf[EUnavailable])
	writeJSON(w, http.StatusServiceUnavailable, livefyre.Envelope{Status: "error", Code: http.StatusServiceUnavailable,
		Msg: "the pipeline cannot work: " + joinProblems(h.Problems), Data: data})
}

// handleReady answers GET /readyz for load balancers and Kubernetes
// probes: 200 "ok" when the mock can take pings and make pulls, else 503
// naming what cannot work. The checks are /healthz's.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if ps := s.problems(r.Context()); len(ps) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "not ready: %s\n", joinProblems(ps))
		return
	}
	fmt.Fprintln(w, "ok")
}

func joinProblems(ps []Problem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}
