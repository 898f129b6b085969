package load

import (
	"fmt"
	"math"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"p4p/reports"
)

// Precision of the distributions: the whole run's latencies are exact to
// 3 significant digits, a window's to 2.
const (
	runDigits    = 3
	windowDigits = 2
)

// distribution is an HDR histogram of durations in microseconds, from
// 1µs to a ceiling; longer values are counted at the ceiling.
type distribution struct {
	h       *hdrhistogram.Histogram
	ceiling int64 // µs
	clamped int64
}

func newDistribution(ceiling time.Duration, digits int) *distribution {
	c := max(ceiling.Microseconds(), 1000)
	return &distribution{h: hdrhistogram.New(1, c, digits), ceiling: c}
}

func (d *distribution) record(v time.Duration) {
	us := min(max(v.Microseconds(), 1), d.ceiling)
	if us == d.ceiling {
		d.clamped++
	}
	d.h.RecordValue(us) // in range by construction
}

// ms is the value at quantile q (0–100), in milliseconds.
func (d *distribution) ms(q float64) float64 {
	if d.h.TotalCount() == 0 {
		return 0
	}
	return float64(d.h.ValueAtQuantile(q)) / 1000
}

func (d *distribution) percentiles() reports.Percentiles {
	if d.h.TotalCount() == 0 {
		return reports.Percentiles{}
	}
	return reports.Percentiles{
		Count: d.h.TotalCount(),
		Min:   float64(d.h.Min()) / 1000, Mean: d.h.Mean() / 1000,
		P50: d.ms(50), P90: d.ms(90), P95: d.ms(95), P99: d.ms(99), P999: d.ms(99.9),
		Max: float64(d.h.Max()) / 1000,
	}
}

// precision says how exact the percentiles are.
func precisionNote(digits int) string {
	return fmt.Sprintf("HDR histograms of microseconds, %d significant digits (within %.1g%%)",
		digits, 100*math.Pow(10, -float64(digits)))
}

// buckets regroups the distribution into about n log-spaced bars between
// its minimum and maximum, for the report's histogram.
func (d *distribution) buckets(n int) []reports.Bucket {
	if d.h.TotalCount() == 0 || n < 1 {
		return nil
	}
	lo, hi := float64(max(d.h.Min(), 1)), float64(max(d.h.Max(), 1))
	step := math.Pow(hi/lo, 1/float64(n))
	if hi <= lo || step <= 1 {
		return []reports.Bucket{{UpperMS: hi / 1000, Count: d.h.TotalCount()}}
	}
	out := make([]reports.Bucket, n)
	for i := range out {
		out[i].UpperMS = lo * math.Pow(step, float64(i+1)) / 1000
	}
	out[n-1].UpperMS = hi / 1000
	for _, bar := range d.h.Distribution() {
		if bar.Count == 0 {
			continue
		}
		v := float64(bar.To) / 1000
		i := 0
		for i < n-1 && v > out[i].UpperMS {
			i++
		}
		out[i].Count += bar.Count
	}
	return out
}
