package load

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"p4p/load/slo"
	"p4p/reports"
)

// ErrMerge is wrapped by the errors of a merge that cannot be made: no
// shard could be read, or the shards given are not of one run (another
// schedule, another count of shards, the same shard twice).
var ErrMerge = errors.New("shards do not merge")

// shardInput is one shard's report directory, read.
type shardInput struct {
	dir string
	rec *shardRecord
	sum *reports.Load
}

// Merge merges the report directories of the shards of one split run
// (p4p load --shard i/n) into one report, as if one machine had run the
// whole: counts summed, HDR histograms merged bucket by bucket (exact,
// not re-estimated from percentiles), rates over the union of the
// shards' time spans, the time series aligned by the wall clock
// (windows summed, each shard's to the nearest merged window), the
// propagation ledgers added up, and the SLOs judged once on the merged
// data. It writes summary.json, junit.xml and report.html to out.
//
// A shard that failed (its run fell short of its stripe's rate or was
// interrupted: the merged schedule is then not the unsplit run's; a
// shard's own SLOs do not count, they are judged again on the merge), a
// shard missing among the n its run declared, or a directory whose shard
// results cannot be read fail the merged run: the report is written and
// says which, with Passed false. Shards of different runs, or the same
// shard twice, are refused with an error wrapping ErrMerge, and nothing
// is written.
func Merge(dirs []string, out string, opt Options) (*reports.Load, error) {
	if len(dirs) > MaxShards {
		return nil, fmt.Errorf("%w: %d directories, more than %d shards", ErrMerge, len(dirs), MaxShards)
	}
	var ins []shardInput
	var unread []string
	for _, d := range dirs {
		in, err := readShardDir(d)
		if err != nil {
			unread = append(unread, fmt.Sprintf("%s: no shard results: %v", d, err))
			continue
		}
		ins = append(ins, in)
	}
	if len(ins) == 0 {
		return nil, fmt.Errorf("%w: no shard results to merge: %s", ErrMerge, strings.Join(unread, "; "))
	}
	sort.SliceStable(ins, func(i, j int) bool { return ins[i].rec.Shard.Index < ins[j].rec.Shard.Index })
	if err := sameRun(ins); err != nil {
		return nil, err
	}
	l, err := merged(ins, opt)
	if err != nil {
		return nil, err
	}
	l.Failures = append(l.Failures, unread...)
	objectives, err := slo.ParseAll(ins[0].rec.SLOs, ins[0].rec.Scenario)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ins[0].dir, err)
	}
	judgeSLOs(l, objectives)
	if _, err := reports.WriteLoadDir(out, l); err != nil {
		return nil, err
	}
	return l, nil
}

// readShardDir reads a shard's shard file and summary.json.
func readShardDir(dir string) (shardInput, error) {
	f, err := os.Open(filepath.Join(dir, ShardFile))
	if err != nil {
		return shardInput{}, err
	}
	defer f.Close()
	rec, err := readShardFile(f)
	if err != nil {
		return shardInput{}, fmt.Errorf("%s: %w", ShardFile, err)
	}
	sum, err := reports.ReadLoadDir(dir)
	if err != nil {
		return shardInput{}, err
	}
	return shardInput{dir: dir, rec: rec, sum: sum}, nil
}

// sameRun refuses shards of different runs and a shard given twice; ins
// are sorted by index.
func sameRun(ins []shardInput) error {
	ref := ins[0]
	for i, in := range ins {
		r := in.rec
		if r.Run != ref.rec.Run || r.Shard.Count != ref.rec.Shard.Count || r.Scenario != ref.rec.Scenario {
			return fmt.Errorf("%w: %s is shard %s of run %s (%s), but %s is shard %s of run %s (%s)", ErrMerge,
				in.dir, r.Shard, r.Run, r.Scenario, ref.dir, ref.rec.Shard, ref.rec.Run, ref.rec.Scenario)
		}
		if i > 0 && r.Shard.Index == ins[i-1].rec.Shard.Index {
			return fmt.Errorf("%w: %s and %s are both shard %s", ErrMerge, ins[i-1].dir, in.dir, r.Shard)
		}
	}
	return nil
}

// merged adds the shards up into one report, SLOs not yet judged.
func merged(ins []shardInput, opt Options) (*reports.Load, error) {
	base := ins[0].sum
	l := &reports.Load{Tool: base.Tool, HarnessVersion: opt.HarnessVersion, Scenario: base.Scenario, Of: base.Of,
		Name: base.Name, Endpoint: base.Endpoint, Network: base.Network, Livefyre: base.Livefyre,
		PlannedMS: base.PlannedMS, Rate: base.Rate, Files: []string{reports.SummaryFile, "junit.xml", "report.html"}}
	c, err := mergeCollector(ins)
	if err != nil {
		return nil, err
	}
	c.fill(l)
	var attack, answered, whole []interval
	var cpu float64
	l.Started = ins[0].rec.Started
	l.Rate.Workers, l.Rate.MaxWorker, l.Rate.Expected = 0, 0, 0
	for _, in := range ins {
		r := in.rec
		l.Users += r.Users
		l.Rate.Workers += in.sum.Rate.Workers
		l.Rate.MaxWorker += in.sum.Rate.MaxWorker
		l.Rate.Expected += r.Expected
		if r.Started.Before(l.Started) {
			l.Started = r.Started
		}
		whole = append(whole, interval{r.Started, r.Ended})
		if r.Requests.Total > 0 {
			attack = append(attack, interval{r.First, r.First.Add(time.Duration(r.PlannedMS * 1e6))})
			answered = append(answered, interval{r.First, r.Last})
		}
		if r.CPUMS > 0 && cpu >= 0 {
			cpu += r.CPUMS
		} else if r.Requests.Valid > 0 {
			cpu = -1 // a shard did not measure it: no figure
		}
	}
	l.ElapsedMS = ms(unionLength(whole))
	if d := unionLength(answered); d > 0 {
		l.Requests.Throughput = float64(l.Requests.Valid) / d.Seconds()
	}
	if cpu > 0 && l.Requests.Valid > 0 {
		l.Requests.CPUPerValidMS = cpu / float64(l.Requests.Valid)
	}
	mergeRate(l, unionLength(attack), ins[0].rec.MaxRate)
	if ins[0].rec.Ledger != nil {
		if l.Propagation, err = mergeLedgers(ins, l.Requests.Total); err != nil {
			return nil, err
		}
	}
	if ins[0].rec.DriftData != nil {
		if l.Drift, err = mergeDrift(ins); err != nil {
			return nil, err
		}
	}
	shards, failed := shardList(ins)
	l.Shards, l.Failures = shards, append(l.Failures, failed...) // after mergeRate's shortfall
	return l, nil
}

// mergeRate sets the rate achieved over the union of the shards'
// attacks, and fails a merged run that fell short of its schedule.
func mergeRate(l *reports.Load, attack time.Duration, atMax bool) {
	rr := &l.Rate
	rr.Sent = l.Requests.Total
	if attack > 0 {
		rr.Achieved = float64(rr.Sent) / attack.Seconds()
	}
	if atMax {
		rr.Ramp, rr.Ratio, rr.Expected = "max", 1, 0
		return
	}
	rr.Ratio = 0
	if rr.Expected > 0 {
		rr.Ratio = float64(rr.Sent) / float64(rr.Expected)
	}
	if rr.Ratio < MinAchieved {
		l.Failures = append(l.Failures, shortfall(*rr, Scenario{MaxWorkers: rr.MaxWorker}))
	}
}

// shardList lists the shards by index, the missing ones too, and says
// which failed the merged run.
func shardList(ins []shardInput) ([]reports.ShardResult, []string) {
	n := ins[0].rec.Shard.Count
	byIndex := make(map[int]shardInput, len(ins))
	for _, in := range ins {
		byIndex[in.rec.Shard.Index] = in
	}
	var failures []string
	out := make([]reports.ShardResult, n)
	for i := range out {
		sh := Shard{Index: i, Count: n}
		in, ok := byIndex[i]
		if !ok {
			out[i] = reports.ShardResult{Index: i, Count: n, Status: "missing", Reason: "no results given"}
			failures = append(failures, fmt.Sprintf("shard %s is missing: no results given", sh))
			continue
		}
		r := in.rec
		res := reports.ShardResult{Index: i, Count: n, Dir: in.dir, Status: "merged", Started: r.Started,
			Requests: r.Requests.Total, Users: r.Users}
		if why := r.failure(); why != "" {
			res.Status, res.Reason = "failed", why
			failures = append(failures, fmt.Sprintf("shard %s (%s) failed: %s", sh, in.dir, why))
		}
		out[i] = res
	}
	return out, failures
}

// failure says why the shard's run failed, besides its SLOs; "" if it
// did not.
func (r *shardRecord) failure() string {
	why := r.Failures
	if r.Interrupted {
		why = append([]string{"interrupted before the end of its duration"}, why...)
	}
	return strings.Join(why, "; ")
}

// interval is a span of wall-clock time.
type interval struct{ from, to time.Time }

// unionLength is the time covered by at least one of the intervals.
func unionLength(spans []interval) time.Duration {
	sort.Slice(spans, func(i, j int) bool { return spans[i].from.Before(spans[j].from) })
	var total time.Duration
	var cur interval
	for i, s := range spans {
		switch {
		case !s.to.After(s.from):
			continue
		case i == 0 || cur.to.IsZero() || s.from.After(cur.to):
			total += cur.to.Sub(cur.from)
			cur = s
		case s.to.After(cur.to):
			cur.to = s.to
		}
	}
	return total + cur.to.Sub(cur.from)
}

// statusCode reads a status count's key.
func statusCode(k string) (int, error) {
	code, err := strconv.Atoi(k)
	if err != nil || code < 0 || code > 999 {
		return 0, fmt.Errorf("status code %q", k)
	}
	return code, nil
}
