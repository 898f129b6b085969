package slo_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/load/slo"
)

// FuzzParse checks that Parse never panics, that its errors wrap ErrSLO
// and say something, and that every accepted objective's String parses
// back to the same objective and renders the same again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"p99<800ms", " p(99.9) <= 1h30m ", "avg<.5s", "success>=99.9%", "success>=0.999",
		"throughput>=450/s", "lost==0", "p99_drift<1.5", "error_drift<0.5%", "heap_growth_mb!=64.5",
		"p99<0.000001ms", "p99<2562047h", "requests<1000000000000000", "success>1e-3", "p99<800 ms",
		"p98<1s", "p99=800ms", "p99<-1s", "p99<NaN", "", "<", "p(", "p()<1s", "p(.)<1s", "p99<1µs", "\xff<1",
		"visible_p99<20m", "visible_within_promise>=99%", "not_visible==0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		o, err := slo.Parse(expr)
		if err != nil {
			if err.Error() == "" || !errors.Is(err, slo.ErrSLO) {
				t.Fatalf("Parse(%q): got error %q, want a message wrapping ErrSLO", expr, err)
			}
			return
		}
		checkThreshold(t, expr, o)
		s := o.String()
		again, err := slo.Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) is %q, which does not parse: %v", expr, s, err)
		}
		if diff := cmp.Diff(o, again, ignoreExpr); diff != "" {
			t.Fatalf("Parse(%q) and Parse(%q): got … want (-want +got):\n%s", expr, s, diff)
		}
		if again.String() != s {
			t.Fatalf("Parse(%q).String(): got %q, want %q", s, again.String(), s)
		}
		if r := o.Check(map[string]float64{o.Metric.Name: o.Threshold}); r.Message == "" || !strings.HasPrefix(r.Message, o.Metric.Name+" was ") {
			t.Fatalf("Parse(%q).Check: got message %q", expr, r.Message)
		}
	})
}

// checkThreshold checks that an accepted threshold is finite, not
// negative, and a ratio at most 1.
func checkThreshold(t *testing.T, expr string, o slo.Objective) {
	t.Helper()
	v := o.Threshold
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || (o.Metric.Unit == slo.Ratio && v > 1) {
		t.Fatalf("Parse(%q): got threshold %v for unit %s", expr, v, o.Metric.Unit)
	}
}
