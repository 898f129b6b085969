package load

import (
	"errors"
	"fmt"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Bounds on a histogram read from a shard file: the ceilings the run
// gives its distributions, and counts that no run reaches.
const (
	maxCeilingUS  = int64(2 * propCeiling / time.Microsecond)
	maxCount      = int64(1) << 48
	minDigits     = windowDigits
	maxDigitsRead = runDigits
)

// histogram is a distribution as a shard file holds it: the HDR
// histogram's settings and its buckets' counts, only those not zero, as
// [index, count] pairs, so that it reads back exactly (hdrhistogram-go's
// Export and Import).
type histogram struct {
	Lowest  int64      `json:"lowest"`
	Highest int64      `json:"highest"`
	Digits  int64      `json:"digits"`
	Clamped int64      `json:"clamped,omitempty"`
	Counts  [][2]int64 `json:"counts"`
}

// export writes d as a shard file holds it; nil for none.
func (d *distribution) export() *histogram {
	if d == nil {
		return nil
	}
	s := d.h.Export()
	out := &histogram{Lowest: s.LowestTrackableValue, Highest: s.HighestTrackableValue,
		Digits: s.SignificantFigures, Clamped: d.clamped, Counts: [][2]int64{}}
	for i, c := range s.Counts {
		if c != 0 {
			out.Counts = append(out.Counts, [2]int64{int64(i), c})
		}
	}
	return out
}

// distribution reads h back, refusing settings the run never uses and
// counts out of their range; nil for none.
func (h *histogram) distribution() (*distribution, error) {
	if h == nil {
		return nil, nil
	}
	if h.Lowest != 1 || h.Highest < 1000 || h.Highest > maxCeilingUS || h.Digits < minDigits || h.Digits > maxDigitsRead {
		return nil, fmt.Errorf("histogram from %d to %d with %d digits: not one a run makes", h.Lowest, h.Highest, h.Digits)
	}
	if h.Clamped < 0 || h.Clamped > maxCount {
		return nil, errors.New("histogram: clamped count out of range")
	}
	s := hdrhistogram.New(h.Lowest, h.Highest, int(h.Digits)).Export()
	var total int64
	next := int64(0)
	for _, c := range h.Counts {
		i, n := c[0], c[1]
		if i < next || i >= int64(len(s.Counts)) {
			return nil, fmt.Errorf("histogram: bucket %d out of order or range", i)
		}
		if n <= 0 || n > maxCount || total > maxCount-n {
			return nil, fmt.Errorf("histogram: count %d in bucket %d out of range", n, i)
		}
		s.Counts[i], total, next = n, total+n, i+1
	}
	return &distribution{h: hdrhistogram.Import(s), ceiling: h.Highest, clamped: h.Clamped}, nil
}

// merge adds from's values to d. It is exact only when both have the
// same settings, as every shard of a run has: other settings, or a value
// d cannot hold, is an error, never a value silently dropped.
func (d *distribution) merge(from *distribution) error {
	if from == nil {
		return nil
	}
	if a, b := d.h, from.h; a.LowestTrackableValue() != b.LowestTrackableValue() ||
		a.HighestTrackableValue() != b.HighestTrackableValue() || a.SignificantFigures() != b.SignificantFigures() {
		return fmt.Errorf("histograms of other settings (%d–%d, %d digits; %d–%d, %d digits): not one run's",
			a.LowestTrackableValue(), a.HighestTrackableValue(), a.SignificantFigures(),
			b.LowestTrackableValue(), b.HighestTrackableValue(), b.SignificantFigures())
	}
	if dropped := d.h.Merge(from.h); dropped > 0 {
		return fmt.Errorf("histogram: %d values out of range", dropped)
	}
	d.clamped += from.clamped
	return nil
}
