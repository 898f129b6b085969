package load

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p"
)

// MaxShards bounds the shares a run is split into.
const MaxShards = 1024

// JobIndexEnv is the environment variable a Kubernetes Indexed Job gives
// each of its pods: the pod's index, from 0. A shard written "/n" reads
// its index from it.
const JobIndexEnv = "JOB_COMPLETION_INDEX"

// maxShardText bounds a shard as written before it is parsed.
const maxShardText = 32

// Shard is one of Count shares of a run, the Index-th from 0, split as
// k6's execution segments split one: every shard keeps the unsplit
// schedule (the same pacer over the same duration) and sends only its
// stripe of it, the global requests k with k mod Count = Index, so that
// the shards together send exactly what one machine would. The users are
// split too: user u (in the order of the run's ids) belongs to shard
// u mod Count, so no two shards ping or pull the same user. The zero
// Shard is the unsplit run.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
	// Run names the run the shard is part of, from RunIDEnv: shards of
	// one run must have the same, so that a shard left from an earlier
	// run of the same scenario (its pod never ran this time, say) is
	// refused by the merge rather than merged.
	Run string `json:"run,omitempty"`
}

// RunIDEnv names the environment variable that names the run a shard is
// part of (a Kubernetes Job's controller uid, a CI pipeline's id).
const RunIDEnv = "P4P_RUN_ID"

// maxRunID bounds RunIDEnv's value.
const maxRunID = 128

// ParseShard reads a shard written "i/n" (0 ≤ i < n ≤ MaxShards), or
// "/n", whose index is then read from the environment variable
// JOB_COMPLETION_INDEX with getenv (os.Getenv outside tests); the run's
// id is read from RunIDEnv.
func ParseShard(s string, getenv func(string) string) (Shard, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if len(s) > maxShardText {
		return Shard{}, fmt.Errorf("shard %s: longer than %d characters", clipQuote(s), maxShardText)
	}
	index, count, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %s: write i/n, the i-th (from 0) of n shares, or /n to read i from %s", clipQuote(s), JobIndexEnv)
	}
	n, err := shardNumber(count)
	if err != nil || n < 1 || n > MaxShards {
		return Shard{}, fmt.Errorf("shard %s: the count must be a whole number from 1 to %d", clipQuote(s), MaxShards)
	}
	from := "shard " + clipQuote(s)
	if index == "" {
		index, from = getenv(JobIndexEnv), JobIndexEnv+"="+clipQuote(getenv(JobIndexEnv))
		if index == "" {
			return Shard{}, fmt.Errorf("shard %s: no index given and %s is not set", clipQuote(s), JobIndexEnv)
		}
	}
	i, err := shardNumber(index)
	if err != nil || i >= n {
		return Shard{}, fmt.Errorf("%s: the index must be a whole number from 0 to %d", from, n-1)
	}
	run := getenv(RunIDEnv)
	if len(run) > maxRunID || strings.Trim(run, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") != "" {
		return Shard{}, fmt.Errorf("%s=%s: at most %d letters, digits and . _ : -", RunIDEnv, clipQuote(run), maxRunID)
	}
	return Shard{Index: i, Count: n, Run: run}, nil
}

// shardNumber reads a count or index: decimal digits only, at most five.
func shardNumber(s string) (int, error) {
	if s == "" || len(s) > 5 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return strconv.Atoi(s)
}

// String writes sh as ParseShard reads it, "i/n"; "" for the unsplit
// run.
func (sh Shard) String() string {
	if sh.Count == 0 {
		return ""
	}
	return strconv.Itoa(sh.Index) + "/" + strconv.Itoa(sh.Count)
}

// split reports whether sh is a share of a split run, not the whole.
func (sh Shard) split() bool { return sh.Count > 1 }

// count is sh's Count, 1 for the unsplit run.
func (sh Shard) count() int { return max(sh.Count, 1) }

// check says what is wrong with sh, if anything.
func (sh Shard) check() error {
	if sh == (Shard{}) {
		return nil
	}
	if sh.Count < 1 || sh.Count > MaxShards || sh.Index < 0 || sh.Index >= sh.Count {
		return fmt.Errorf("%d/%d is not a shard: write i/n with 0 ≤ i < n ≤ %d", sh.Index, sh.Count, MaxShards)
	}
	return nil
}

// users is the shard's stripe of the run's users: user u is shard u mod
// n's.
func (sh Shard) users(u Users) Users {
	if !sh.split() {
		return u
	}
	var out Users
	for i := sh.Index; i < len(u.IDs); i += sh.Count {
		out.IDs = append(out.IDs, u.IDs[i])
		if i < len(u.Profiles) {
			out.Profiles = append(out.Profiles, u.Profiles[i])
		}
	}
	return out
}

// stripe is how many of the first total global requests are sh's.
func (sh Shard) stripe(total int64) int64 {
	n, i := int64(sh.count()), int64(sh.Index)
	if total <= i {
		return 0
	}
	return (total-i-1)/n + 1
}

// lateGrace is how long after its duration a run still sends the hits
// of its schedule it is late with (a busy machine, a pause of the
// collector), so that the schedule is sent whole; a run more behind
// than that falls short of its rate.
const lateGrace = time.Second

// schedule is the pacer a shard runs: the scenario's pacer, of which it
// sends the global hits Index, Index+Count, Index+2·Count, …, each when
// the unsplit run would send it. It stops at the first hit due after the
// duration, so the unsplit run uses it too, with Count 1: Vegeta's own
// loop stops when the duration is over, which drops a late hit and sends
// the hit due just after the end, both by chance, and a different hit
// for each shard. The attack is given lateGrace more to catch up. At max
// rate, which has no schedule, it stops when the duration is over.
type schedule struct {
	inner    vegeta.Pacer
	shard    Shard
	duration time.Duration
	maxRate  bool
}

var _ vegeta.Pacer = schedule{}

// Pace answers for the shard's hits-th hit with the inner pacer's answer
// for the global hit it is; it stops at a hit that is not yet due when
// the duration is over.
func (p schedule) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	global := uint64(p.shard.Index) + hits*uint64(p.shard.count())
	if p.maxRate {
		return 0, p.duration > 0 && elapsed > p.duration
	}
	if p.duration > 0 {
		if wait, stop := p.inner.Pace(p.duration, global); stop || wait > 0 {
			return 0, true
		}
	}
	return p.inner.Pace(elapsed, global)
}

// attackDuration is what Vegeta is given: the duration, and lateGrace
// to send the hits it is late with when the run has a schedule.
func (p schedule) attackDuration() time.Duration {
	if p.maxRate {
		return p.duration
	}
	return p.duration + lateGrace
}

// Rate is the shard's share of the inner pacer's rate.
func (p schedule) Rate(elapsed time.Duration) float64 {
	return p.inner.Rate(elapsed) / float64(p.shard.count())
}

// fingerprint names the schedule of a run, the same for every shard of
// it and different for another scenario or other users: a hash of what
// decides which requests are sent when, and to whom, and of the SLOs
// they are judged by. It never holds the key or the token: the Pull URL
// enters it redacted.
func fingerprint(s Scenario, ids []string) string {
	h := sha256.New()
	schedule := struct {
		Kind, Of, Name, PullURL, Network, Livefyre string
		Rate, RampTo, Amplitude                    string
		Ramp                                       Ramp
		Period, Duration                           Duration
		SLOs                                       []string
		Count                                      int
		Run                                        string
	}{string(s.Kind), string(s.Of), s.Name, p4p.Template(s.PullURL).Redacted(), s.Network, s.Livefyre,
		s.Rate.String(), s.RampTo.String(), s.Amplitude.String(), s.Ramp, s.Period, s.Duration, s.SLOs, s.Shard.count(), s.Shard.Run}
	b, _ := json.Marshal(schedule) // plain strings and numbers
	h.Write(b)
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
