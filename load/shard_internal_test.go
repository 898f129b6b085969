package load

import (
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// sent runs p as Vegeta's attack loop does for du, each hit sent the
// moment it is due, or at once when overdue, and the loop stalled once
// for stall at stallAt; it returns when each hit was due or sent.
func sent(p vegeta.Pacer, du, stallAt, stall time.Duration) []time.Duration {
	var out []time.Duration
	elapsed := time.Duration(0)
	for hits := uint64(0); elapsed <= du; hits++ {
		if stall > 0 && elapsed >= stallAt {
			elapsed, stall = elapsed+stall, 0
		}
		wait, stop := p.Pace(elapsed, hits)
		if stop {
			break
		}
		elapsed += max(wait, 0)
		out = append(out, elapsed)
	}
	return out
}

// TestShardStripesMakeTheSchedule: the shards of a run together send
// exactly the hits of the unsplit schedule, each at its time, none due
// after the duration, and none dropped by a shard that fell behind.
func TestShardStripesMakeTheSchedule(t *testing.T) {
	du := 1500 * time.Millisecond
	pacers := map[string]vegeta.Pacer{
		"constant": vegeta.Rate{Freq: 200, Per: time.Second},
		"linear":   vegeta.LinearPacer{StartAt: vegeta.Rate{Freq: 100, Per: time.Second}, Slope: 100},
	}
	for name, inner := range pacers {
		unsplit := schedule{inner: inner, duration: du}
		whole := sent(unsplit, unsplit.attackDuration(), 0, 0)
		if want := int(expectedHits(inner, du) + 0.5); len(whole) < want-1 || len(whole) > want {
			t.Errorf("%s: unsplit run sent %d hits, want the %d scheduled", name, len(whole), want)
		}
		for _, n := range []int{2, 3, 4} {
			due := map[time.Duration]int{}
			total := 0
			for i := range n {
				sh := Shard{Index: i, Count: n}
				p := schedule{inner: inner, shard: sh, duration: du}
				hits := sent(p, p.attackDuration(), 0, 0)
				if int64(len(hits)) != sh.stripe(int64(len(whole))) {
					t.Errorf("%s: shard %s sent %d hits, its stripe is %d", name, sh, len(hits), sh.stripe(int64(len(whole))))
				}
				for _, at := range hits {
					due[at]++
				}
				total += len(hits)
				if late := sent(p, p.attackDuration(), du-200*time.Millisecond, 400*time.Millisecond); len(late) != len(hits) {
					t.Errorf("%s: shard %s stalled for 400ms at the end sent %d hits, on time %d", name, sh, len(late), len(hits))
				}
			}
			if total != len(whole) {
				t.Errorf("%s: %d shards sent %d hits, the unsplit run %d", name, n, total, len(whole))
			}
			if name != "constant" {
				continue // the linear pacer's times are its estimates, not a grid
			}
			for _, at := range whole {
				if due[at] != 1 {
					t.Errorf("%s: the hit due at %v was sent by %d of %d shards", name, at, due[at], n)
					break
				}
			}
		}
	}
}

func TestShardStripe(t *testing.T) {
	for _, c := range []struct {
		sh          Shard
		total, want int64
	}{
		{Shard{}, 7, 7}, {Shard{Index: 0, Count: 1}, 7, 7}, {Shard{Index: 0, Count: 2}, 7, 4}, {Shard{Index: 1, Count: 2}, 7, 3},
		{Shard{Index: 3, Count: 4}, 3, 0}, {Shard{Index: 2, Count: 4}, 3, 1}, {Shard{Index: 0, Count: 3}, 0, 0},
	} {
		if got := c.sh.stripe(c.total); got != c.want {
			t.Errorf("shard %s of %d: %d, want %d", c.sh, c.total, got, c.want)
		}
	}
}

// TestMergeRefusesOtherSettings: histograms of other settings are not
// merged (the merge would drop or misplace values), same settings are,
// exactly.
func TestMergeRefusesOtherSettings(t *testing.T) {
	a, b := newDistribution(time.Minute, 3), newDistribution(time.Minute, 3)
	a.h.RecordValue(1500)
	b.h.RecordValue(2500)
	if err := a.merge(b); err != nil || a.h.TotalCount() != 2 {
		t.Errorf("same settings: %v, %d values; want 2", err, a.h.TotalCount())
	}
	c := newDistribution(time.Hour, 3)
	c.h.RecordValue(int64(50 * time.Minute / time.Microsecond))
	if err := a.merge(c); err == nil {
		t.Errorf("a histogram up to an hour merged into one up to a minute: want an error")
	}
}
