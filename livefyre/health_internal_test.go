package livefyre

import (
	"strings"
	"testing"
)

// FuzzQueueDepth: a metrics page never panics the parser, and what it
// accepts is in range.
func FuzzQueueDepth(f *testing.F) {
	f.Add("p4p_queue_depth{stage=\"pending\"} 12\np4p_queue_depth{stage=\"running\"} 3\n")
	f.Add("p4p_queue_depth{stage=\"pending\"} -1\np4p_queue_depth{stage=\"running\"} NaN\n")
	f.Add("p4p_queue_depth{stage=\"pending\"} 1e300\n")
	f.Fuzz(func(t *testing.T, page string) {
		p, r, err := parseQueueDepth(strings.NewReader(page))
		if err == nil && (p < 0 || r < 0) {
			t.Fatalf("accepted %d, %d", p, r)
		}
	})
}
