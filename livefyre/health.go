package livefyre

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"p4p"
)

// maxMetrics bounds the /metrics page QueueDepth reads.
const maxMetrics = 4 << 20

// Health is what the mock's GET /healthz tells.
type Health struct {
	Network        string `json:"network"`
	PullProfileURL string `json:"pull_profile_url"`
	// TimeScale divides the mock's delays, backoffs and Livefyre's
	// ten-minute promise; 1 is real time.
	TimeScale float64 `json:"time_scale"`
	// BootstrapRefresh is the collections' refresh cadence, not divided
	// by TimeScale; zero from a mock that predates it.
	BootstrapRefresh Cadence `json:"bootstrap_refresh"`
}

// Cadence is a range of durations in milliseconds, such as the mock's
// bootstrap refresh (spec 8.1: "at most every 5 to 10 minutes").
type Cadence struct {
	MinMS float64 `json:"min_ms"`
	MaxMS float64 `json:"max_ms"`
}

// CadenceOf is d in milliseconds.
func CadenceOf(d p4p.Delay) Cadence {
	return Cadence{MinMS: float64(d.Min) / 1e6, MaxMS: float64(d.Max) / 1e6}
}

// Max is the longest wait of the cadence.
func (c Cadence) Max() time.Duration { return time.Duration(c.MaxMS * 1e6) }

// Health asks the mock whether it is up: GET /healthz, a 200 whose
// envelope's data is Health. A mock that predates time_scale reports 1.
func (c *Client) Health(ctx context.Context) (Health, error) {
	const op = "healthz"
	resp, err := c.get(ctx, "/healthz", "")
	if err != nil {
		return Health{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := expect(resp, op, http.StatusOK, ""); err != nil {
		return Health{}, err
	}
	defer drain(resp)
	var h Health
	if err := decodeEnvelope(resp.Body, &h); err != nil {
		return Health{}, fmt.Errorf("%s: %w", op, err)
	}
	if h.TimeScale <= 0 {
		h.TimeScale = 1
	}
	return h, nil
}

// QueueDepth reads the mock's queue from its Prometheus metrics (GET
// /metrics, the p4p_queue_depth gauge): the pulls waiting to start and
// those started.
func (c *Client) QueueDepth(ctx context.Context) (pending, running int64, err error) {
	const op = "metrics"
	resp, err := c.get(ctx, "/metrics", "")
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", op, err)
	}
	if err := expect(resp, op, http.StatusOK, ""); err != nil {
		return 0, 0, err
	}
	defer drain(resp)
	pending, running, err = parseQueueDepth(io.LimitReader(resp.Body, maxMetrics))
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", op, err)
	}
	return pending, running, nil
}

// parseQueueDepth finds the p4p_queue_depth samples in Prometheus's text
// format.
func parseQueueDepth(r io.Reader) (pending, running int64, err error) {
	found := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<10)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || !strings.HasPrefix(name, "p4p_queue_depth{") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || !(v >= 0 && v <= 1e15) { // NaN too
			return 0, 0, fmt.Errorf("p4p_queue_depth: bad sample %q", value)
		}
		switch {
		case strings.Contains(name, `stage="pending"`):
			pending, found = int64(v), found|1
		case strings.Contains(name, `stage="running"`):
			running, found = int64(v), found|2
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, err
	}
	if found != 3 {
		return 0, 0, fmt.Errorf("no p4p_queue_depth samples for both stages")
	}
	return pending, running, nil
}
