package reports

import "time"

// Load is the result of one load run (the pull, propagation or soak
// scenario): the data summary.json, junit.xml, report.html and the
// terminal summary are rendered from. Durations are in milliseconds,
// rates per second and ratios in [0, 1]. It never holds a network key or
// a whole token.
type Load struct {
	Tool           string    `json:"tool"`            // "p4p load"
	HarnessVersion string    `json:"harness_version"` // the p4p build
	Scenario       string    `json:"scenario"`        // "pull", "propagation" or "soak"
	Of             string    `json:"of,omitempty"`    // for soak: "pull" or "propagation"
	Name           string    `json:"name,omitempty"`  // the scenario file's name, if any
	Endpoint       string    `json:"endpoint"`        // the Pull URL template, with {id}
	Network        string    `json:"network"`
	Livefyre       string    `json:"livefyre,omitempty"` // the mock's URL or "embedded mock"; propagation only
	Users          int       `json:"users"`              // distinct user ids drawn from
	Started        time.Time `json:"started"`
	// PlannedMS is the attack's duration as asked; ElapsedMS is the time
	// from the first request to the last response (for propagation, to the
	// end of the drain).
	PlannedMS float64 `json:"planned_ms"`
	ElapsedMS float64 `json:"elapsed_ms"`
	// Passed is true when every SLO held and nothing else (such as a rate
	// shortfall) failed the run.
	Passed bool `json:"passed"`
	// Failures say why the run failed besides SLOs, e.g. the achieved rate
	// falling short of the target.
	Failures []string `json:"failures,omitempty"`

	Rate        RateReport     `json:"rate"`
	Requests    RequestReport  `json:"requests"`
	Latency     Percentiles    `json:"latency"`
	Status      map[string]int `json:"status_codes"` // "200": count; "0" for no response
	Errors      []ErrorCount   `json:"errors,omitempty"`
	Histogram   []Bucket       `json:"latency_histogram,omitempty"`
	Propagation *Propagation   `json:"propagation,omitempty"`
	Drift       *Drift         `json:"drift,omitempty"` // soak only
	Series      []Window       `json:"series"`
	SLOs        []SLOResult    `json:"slos"`
	// Precision says how exact the percentiles are, e.g. "HDR histogram,
	// 3 significant digits (±0.1%)".
	Precision string `json:"precision"`
	// Files are the report files written, relative to the report
	// directory (e.g. "results.bin", the raw results in Vegeta's gob
	// encoding).
	Files []string `json:"files,omitempty"`
	// Shard is set when the run was one share of a run split across
	// machines (p4p load --shard i/n).
	Shard *ShardInfo `json:"shard,omitempty"`
	// Shards are the shards a merged report (p4p report merge) was
	// merged from, and those missing, by index.
	Shards []ShardResult `json:"shards,omitempty"`
}

// ShardInfo names one share of a split run: the Index-th (from 0) of
// Count, and the run it belongs to, a fingerprint of its schedule that
// every shard of the run shares.
type ShardInfo struct {
	Index int    `json:"index"`
	Count int    `json:"count"`
	Run   string `json:"run"`
}

// ShardResult is one shard of a merged report.
type ShardResult struct {
	Index int    `json:"index"`
	Count int    `json:"count"`
	Dir   string `json:"dir,omitempty"` // its report directory; empty when missing
	// Status is "merged", "failed" (merged, but its own run failed for a
	// reason besides its SLOs, which fails the merged run) or "missing"
	// (no readable results: the merged run fails).
	Status   string    `json:"status"`
	Reason   string    `json:"reason,omitempty"` // why it failed or is missing
	Started  time.Time `json:"started,omitzero"`
	Requests int64     `json:"requests"`
	Users    int       `json:"users"`
}

// RateReport compares the rate asked for with the rate achieved.
type RateReport struct {
	Ramp      string  `json:"ramp"`                  // "constant", "linear", "sine" or "max"
	Target    string  `json:"target"`                // as given, e.g. "500/s", "0" for max
	RampTo    string  `json:"ramp_to,omitempty"`     // linear: the final rate
	Amplitude string  `json:"amplitude,omitempty"`   // sine
	PeriodMS  float64 `json:"period_ms,omitempty"`   // sine
	Expected  int64   `json:"expected"`              // requests the pacer schedules in the planned duration; 0 at max rate
	Sent      int64   `json:"sent"`                  // requests sent
	Achieved  float64 `json:"achieved_per_s"`        // Sent over the attack's elapsed time
	Ratio     float64 `json:"ratio"`                 // Sent / Expected; 1 at max rate
	Workers   uint64  `json:"workers"`               // as configured
	MaxWorker uint64  `json:"max_workers,omitempty"` // 0: unbounded
}

// RequestReport counts the requests by what became of them. Total =
// Valid + Invalid + TransportErrors.
type RequestReport struct {
	Total           int64   `json:"total"`
	Valid           int64   `json:"valid"`            // 200, application/json, schema-valid, id matching
	Invalid         int64   `json:"invalid"`          // a response came but failed validation
	TransportErrors int64   `json:"transport_errors"` // no response: refused, reset, timeout
	Success         float64 `json:"success"`          // Valid / Total
	Throughput      float64 `json:"throughput"`       // Valid per second of elapsed time
	BytesIn         int64   `json:"bytes_in"`
	BytesOut        int64   `json:"bytes_out"`
	// CPUPerValidMS is the harness's own CPU time (user+system) per
	// valid response, when measured.
	CPUPerValidMS float64 `json:"cpu_per_valid_ms,omitempty"`
}

// Percentiles summarise a latency distribution, in milliseconds.
type Percentiles struct {
	Count int64   `json:"count"`
	Min   float64 `json:"min"`
	Mean  float64 `json:"mean"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	P999  float64 `json:"p999"`
	Max   float64 `json:"max"`
}

// ErrorCount is one kind of failure and how often it happened.
type ErrorCount struct {
	Class   string `json:"class"` // "transport", "status", "content_type", "json", "schema", "id_mismatch", "ping", "pull"
	Kind    string `json:"kind"`  // e.g. "connection refused", "status 503", "response does not match the schema"
	Count   int64  `json:"count"`
	Example string `json:"example,omitempty"` // one occurrence in full, redacted
}

// Bucket is one bar of a histogram: the values in (previous UpperMS,
// UpperMS].
type Bucket struct {
	UpperMS float64 `json:"upper_ms"`
	Count   int64   `json:"count"`
}

// Propagation is what the propagation scenario measured: for every ping
// the mock acknowledged, the time until its update was stored.
type Propagation struct {
	Pings        int64 `json:"pings"`        // pings sent
	Acknowledged int64 `json:"acknowledged"` // answered 200
	Rejected     int64 `json:"rejected"`     // answered otherwise, or no answer
	Coalesced    int64 `json:"coalesced"`    // acknowledged by joining a pending pull
	Updated      int64 `json:"updated"`      // acknowledged pings whose update was stored
	Failed       int64 `json:"failed"`       // acknowledged pings whose pull failed for good
	Lost         int64 `json:"lost"`         // acknowledged pings with neither by the end of the drain
	// Latency is ping-to-update, from sending the ping to seeing the
	// stored update on /events.
	Latency Percentiles `json:"latency"`
	// PromiseMS is Livefyre's ten minutes divided by the time scale;
	// WithinPromise is the share of acknowledged pings updated within it.
	PromiseMS     float64  `json:"promise_ms"`
	TimeScale     float64  `json:"time_scale"`
	WithinPromise float64  `json:"within_promise"`
	Histogram     []Bucket `json:"histogram,omitempty"`
	// Visible is ping-to-visible: from sending the ping to seeing the
	// mock's app.visible for its pull (or a later pull of the user), when
	// a bootstrap refresh first showed the update in the app's view.
	// Never below the ping's own ping-to-update.
	Visible Percentiles `json:"visible"`
	// VisiblePromiseMS is the combined promise: Livefyre's ten minutes
	// for the pull plus the longest wait of the mock's bootstrap refresh
	// cadence, both divided by the time scale. WithinVisiblePromise is the
	// share of acknowledged pings visible within it; NotVisible counts the
	// updated pings the app's view did not show by the end of the drain.
	VisiblePromiseMS     float64  `json:"visible_promise_ms"`
	WithinVisiblePromise float64  `json:"within_visible_promise"`
	NotVisible           int64    `json:"not_visible"`
	VisibleHistogram     []Bucket `json:"visible_histogram,omitempty"`
	// Pulls counts the mock's pull outcomes seen on /events.
	Pulls PullCounts `json:"pulls"`
	// MaxQueuePending and MaxQueueRunning are the deepest queue sampled.
	MaxQueuePending int64 `json:"max_queue_pending"`
	MaxQueueRunning int64 `json:"max_queue_running"`
	// Gaps are the times /events was cut off and reconnected (the mock
	// restarted, say). After each, the pings still waiting are settled from
	// the mock's sync records: a user whose latest pull is the ping's, or a
	// later one, and has ended. Reconciled counts the pings so settled;
	// those the records cannot settle stay waiting, and are lost if nothing
	// ends them by the end of the drain. Nothing is guessed.
	Gaps       int   `json:"gaps,omitempty"`
	Reconciled int64 `json:"reconciled,omitempty"`
}

// PullCounts are the pull events the mock streamed during the run.
type PullCounts struct {
	Started   int64 `json:"started"`
	Succeeded int64 `json:"succeeded"`
	Retried   int64 `json:"retried"` // failed attempts followed by a retry
	Failed    int64 `json:"failed"`  // failed for good
}

// Drift compares the first and last windows of a soak run.
type Drift struct {
	WindowMS float64 `json:"window_ms"`
	// P99Ratio is the last full window's p99 over the first's.
	P99Ratio float64 `json:"p99_ratio"`
	// ErrorRateDelta is the last full window's error ratio minus the
	// first's.
	ErrorRateDelta float64 `json:"error_rate_delta"`
	// HeapGrowthMB is the harness's heap at the end minus at the end of
	// the first window.
	HeapGrowthMB float64 `json:"heap_growth_mb"`
}

// Window is one slice of the run's time series, for the charts.
type Window struct {
	StartMS  float64 `json:"start_ms"` // since Started
	Requests int64   `json:"requests"` // sent in the window
	Valid    int64   `json:"valid"`
	Errors   int64   `json:"errors"` // invalid plus transport errors
	P50      float64 `json:"p50_ms"`
	P90      float64 `json:"p90_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
	// Propagation only: updates seen, their p99, and the sampled queue.
	Updates        int64   `json:"updates,omitempty"`
	PropagationP99 float64 `json:"propagation_p99_ms,omitempty"`
	QueuePending   int64   `json:"queue_pending,omitempty"`
	QueueRunning   int64   `json:"queue_running,omitempty"`
	HeapMB         float64 `json:"heap_mb,omitempty"` // the harness's heap in use
}

// SLOResult is one service-level objective checked against the run.
type SLOResult struct {
	Expr    string  `json:"expr"`   // as given, e.g. "p99<800ms"
	Metric  string  `json:"metric"` // e.g. "p99"
	Value   float64 `json:"value"`  // the measured value, in the metric's unit
	Unit    string  `json:"unit"`   // "ms", "ratio", "count", "per_s"
	Passed  bool    `json:"passed"`
	Message string  `json:"message"` // e.g. "p99 was 912.4ms, not < 800ms"
}
