package slo_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"p4p/load/slo"
)

func TestString(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"p99 < 800ms", "p99<800ms"},
		{"p(99)<1.5s", "p99<1.5s"},
		{"p(99.9) <= 2s", "p999<=2s"},
		{"avg<0.2s", "mean<200ms"},
		{"med<100ms", "p50<100ms"},
		{"p95<90s", "p95<90s"},
		{"p95<1m30s", "p95<90s"},
		{"p95<5400s", "p95<90m"},
		{"p50<7200000ms", "p50<2h"},
		{"p50<1h0m0.001s", "p50<3600.001s"},
		{"p99<0.25ms", "p99<250us"},
		{"p99<250µs", "p99<250us"},
		{"p99<1500ns", "p99<1.5us"},
		{"p99<1ns", "p99<1ns"},
		{"p99<0", "p99<0ms"},
		{"propagation_p99 < 10m", "propagation_p99<10m"},
		{"success>=0.999", "success>=99.9%"},
		{"success>=99.99%", "success>=99.99%"},
		{"success>=1", "success>=100%"},
		{"success>0", "success>0%"},
		{"error_drift<0.5%", "error_drift<0.5%"},
		{"throughput>=450", "throughput>=450/s"},
		{"throughput>=450.50/s", "throughput>=450.5/s"},
		{"lost == 0", "lost==0"},
		{"queue_max != 5", "queue_max!=5"},
		{"p99_drift<1.50", "p99_drift<1.5"},
		{"heap_growth_mb<0064", "heap_growth_mb<64"},
	}
	for _, tt := range tests {
		o := mustParse(t, tt.expr)
		if got := o.String(); got != tt.want {
			t.Errorf("Parse(%q).String(): got %q, want %q", tt.expr, got, tt.want)
		}
		again := mustParse(t, o.String())
		if diff := cmp.Diff(o, again, ignoreExpr); diff != "" {
			t.Errorf("Parse(%q) and Parse(%q): got … want (-want +got):\n%s", tt.expr, o.String(), diff)
		}
	}
}

// ignoreExpr compares objectives but for the text they were parsed from.
var ignoreExpr = cmpopts.IgnoreFields(slo.Objective{}, "Expr")
