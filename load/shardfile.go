package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"p4p"
	"p4p/reports"
)

// ShardFile is the file, in every run's report directory, holding what
// merging the run with the other shards of a split run needs, exactly:
// the HDR histograms bucket by bucket, the counts, the attack's span and
// the time series by the wall clock, the propagation ledger, and which
// shard of which run it is (p4p report merge reads it, with
// summary.json).
const ShardFile = "shard.json"

// shardFormat is the version of the shard file's layout.
const shardFormat = 1

// Limits on a shard file read back.
const (
	// MaxShardFileSize bounds a shard file: its histograms hold only the
	// buckets with counts, so a week-long run's stays well under it.
	MaxShardFileSize = 64 << 20
	maxShardErrors   = 2 * maxErrorKinds
	maxShardStatus   = 1000
	maxRecordText    = 4096 // bytes of a failure or an error's text
)

// shardRecord is the shard file.
type shardRecord struct {
	Format   int      `json:"format"`
	Shard    Shard    `json:"shard"`    // 0/1 for an unsplit run
	Run      string   `json:"run"`      // the schedule's fingerprint
	Scenario string   `json:"scenario"` // as sloScenario names it: "pull", "soak-propagation"
	SLOs     []string `json:"slos"`
	Users    int      `json:"users"` // the shard's
	// Passed is the shard's own verdict, its SLOs judged on its stripe
	// alone; Failures are what failed it besides its SLOs (a rate
	// shortfall), and Interrupted is set when it was stopped before its
	// duration. Either fails a merge.
	Passed      bool     `json:"passed"`
	Failures    []string `json:"failures,omitempty"`
	Interrupted bool     `json:"interrupted,omitempty"`

	Started time.Time `json:"started"` // the run's start, by the wall clock
	Ended   time.Time `json:"ended"`   // its report (for propagation, the drain's end)
	// First is the first request's start, LastStart the last's, Last the
	// last response's end; Planned the attack's scheduled length, or as
	// far as it got when interrupted.
	First     time.Time `json:"first"`
	LastStart time.Time `json:"last_start"`
	Last      time.Time `json:"last"`
	PlannedMS float64   `json:"planned_ms"`
	Expected  int64     `json:"expected"` // the stripe's scheduled requests; 0 at max rate
	MaxRate   bool      `json:"max_rate,omitempty"`

	Requests  reports.RequestReport `json:"requests"`
	CPUMS     float64               `json:"cpu_ms,omitempty"` // the harness's, when measured
	Status    map[string]int        `json:"status_codes"`
	Errors    []reports.ErrorCount  `json:"errors,omitempty"`
	Latency   *histogram            `json:"latency"`
	Series    seriesRecord          `json:"series"`
	Ledger    *ledger               `json:"propagation,omitempty"`
	DriftData *driftRecord          `json:"drift,omitempty"`
}

// seriesRecord is a time series by the wall clock.
type seriesRecord struct {
	Start   time.Time      `json:"start"`
	WidthMS float64        `json:"width_ms"`
	Windows []windowRecord `json:"windows"`
}

type windowRecord struct {
	Requests     int64      `json:"requests"`
	Valid        int64      `json:"valid"`
	Errors       int64      `json:"errors"`
	Latency      *histogram `json:"latency,omitempty"`
	Updates      int64      `json:"updates,omitempty"`
	Propagation  *histogram `json:"propagation,omitempty"`
	QueuePending int64      `json:"queue_pending,omitempty"`
	QueueRunning int64      `json:"queue_running,omitempty"`
	HeapMB       float64    `json:"heap_mb,omitempty"`
}

// ledger is a propagation run's account of its pings, as counts and
// histograms that add up across shards.
type ledger struct {
	Acknowledged  int64              `json:"acknowledged"`
	Coalesced     int64              `json:"coalesced"`
	Updated       int64              `json:"updated"`
	Failed        int64              `json:"failed"`
	Lost          int64              `json:"lost"`
	Reconciled    int64              `json:"reconciled"`
	Within        int64              `json:"within_promise"`
	NotVisible    int64              `json:"not_visible"`
	VisibleWithin int64              `json:"within_visible_promise"`
	Latency       *histogram         `json:"latency"`
	Visible       *histogram         `json:"visible"`
	Pulls         reports.PullCounts `json:"pulls"`
	Gaps          int                `json:"gaps"`
}

// driftRecord is a soak's first and last full drift windows.
type driftRecord struct {
	WidthMS      float64      `json:"width_ms"`
	First        *driftCounts `json:"first"`
	Last         *driftCounts `json:"last,omitempty"` // nil before a second window began
	HeapGrowthMB float64      `json:"heap_growth_mb"`
}

type driftCounts struct {
	Requests int64      `json:"requests"`
	Errors   int64      `json:"errors"`
	Latency  *histogram `json:"latency"`
}

// writeShardFile writes rec to dir's shard file.
func writeShardFile(dir string, rec *shardRecord) error {
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(rec); err != nil {
		return fmt.Errorf("write %s: %w", ShardFile, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ShardFile), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", ShardFile, err)
	}
	return nil
}

// readShardFile reads a shard file that writeShardFile wrote, refusing
// more than MaxShardFileSize bytes, fields it does not have, and values
// out of their range.
func readShardFile(r io.Reader) (*shardRecord, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxShardFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxShardFileSize {
		return nil, fmt.Errorf("larger than %d MiB", MaxShardFileSize>>20)
	}
	var rec shardRecord
	if err := p4p.DecodeJSON(bytes.NewReader(data), &rec); err != nil {
		return nil, err
	}
	if err := rec.check(); err != nil {
		return nil, err
	}
	return &rec, nil
}

// check refuses a record no run writes.
func (rec *shardRecord) check() error {
	sh := rec.Shard
	switch {
	case rec.Format != shardFormat:
		return fmt.Errorf("format %d, want %d", rec.Format, shardFormat)
	case sh.Count < 1 || sh.check() != nil:
		return fmt.Errorf("shard %d/%d: not a shard", sh.Index, sh.Count)
	case rec.Run == "" || len(rec.Run) > 64:
		return errors.New("no run fingerprint")
	case rec.Scenario == "" || len(rec.Scenario) > 64:
		return errors.New("no scenario")
	case len(rec.SLOs) > 1000 || len(rec.Failures) > 1000 || len(rec.Errors) > maxShardErrors || len(rec.Status) > maxShardStatus:
		return errors.New("more SLOs, failures, errors or status codes than a run has")
	case len(rec.Series.Windows) > 2*maxWindows:
		return fmt.Errorf("more than %d windows", 2*maxWindows)
	case rec.Series.WidthMS < 1 || rec.Series.WidthMS > float64(MaxDuration/time.Millisecond):
		return errors.New("series window width out of range")
	case !rec.spanned():
		return errors.New("times out of order, or spanning more than a run can")
	case rec.Users < 0 || rec.Users > MaxUsers || rec.Expected < 0 || rec.PlannedMS < 0 || rec.PlannedMS > float64(MaxDuration/time.Millisecond):
		return errors.New("users, expected requests or planned duration out of range")
	}
	for _, s := range append(append([]string{}, rec.SLOs...), rec.Failures...) {
		if len(s) > maxRecordText {
			return errors.New("an SLO or failure too long")
		}
	}
	if err := rec.checkCounts(); err != nil {
		return err
	}
	return rec.checkHistograms()
}

// checkHistograms refuses a record whose histograms are missing or do
// not read back.
func (rec *shardRecord) checkHistograms() error {
	required := []*histogram{rec.Latency}
	if g := rec.Ledger; g != nil {
		required = append(required, g.Latency, g.Visible)
	}
	if d := rec.DriftData; d != nil {
		if d.First == nil || d.Last != nil && d.Last.Latency == nil {
			return errors.New("a drift window without its counts")
		}
		required = append(required, d.First.Latency)
		if d.Last != nil {
			required = append(required, d.Last.Latency)
		}
	}
	for _, h := range required {
		if h == nil {
			return errors.New("a histogram is missing")
		}
	}
	optional := required
	for _, w := range rec.Series.Windows {
		optional = append(optional, w.Latency, w.Propagation)
	}
	for _, h := range optional {
		if _, err := h.distribution(); err != nil {
			return err
		}
	}
	return nil
}

// spanned reports whether the record's times are in order and within
// twice the longest run of its start.
func (rec *shardRecord) spanned() bool {
	limit := rec.Started.Add(2*MaxDuration + time.Hour)
	times := []time.Time{rec.Ended, rec.Series.Start}
	if rec.Requests.Total > 0 {
		times = append(times, rec.First, rec.LastStart, rec.Last)
	}
	for _, at := range times {
		if at.Before(rec.Started.Add(-time.Minute)) || at.After(limit) {
			return false
		}
	}
	return !rec.First.After(rec.LastStart) && !rec.LastStart.After(rec.Last)
}

// checkCounts refuses counts out of range, so that sums cannot overflow.
func (rec *shardRecord) checkCounts() error {
	q := rec.Requests
	for _, n := range []int64{q.Total, q.Valid, q.Invalid, q.TransportErrors, q.BytesIn, q.BytesOut} {
		if n < 0 || n > maxCount {
			return errors.New("a request count out of range")
		}
	}
	for k, n := range rec.Status {
		if _, err := statusCode(k); err != nil || n < 0 || int64(n) > maxCount {
			return errors.New("a status code or count out of range")
		}
	}
	for _, e := range rec.Errors {
		if e.Count < 0 || e.Count > maxCount || len(e.Kind)+len(e.Class)+len(e.Example) > maxRecordText {
			return errors.New("an error count out of range")
		}
	}
	for _, w := range rec.Series.Windows {
		for _, n := range []int64{w.Requests, w.Valid, w.Errors, w.Updates, w.QueuePending, w.QueueRunning} {
			if n < 0 || n > maxCount {
				return errors.New("a window's count out of range")
			}
		}
	}
	if l := rec.Ledger; l != nil {
		for _, n := range []int64{l.Acknowledged, l.Coalesced, l.Updated, l.Failed, l.Lost, l.Reconciled,
			l.Within, l.NotVisible, l.VisibleWithin, l.Pulls.Started, l.Pulls.Succeeded, l.Pulls.Retried, l.Pulls.Failed, int64(l.Gaps)} {
			if n < 0 || n > maxCount {
				return errors.New("a propagation count out of range")
			}
		}
	}
	return nil
}
