package slo_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/load/slo"
	"p4p/reports"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		expr  string
		value float64
		want  reports.SLOResult // Expr, Metric and Unit are filled in
	}{
		{"p99<800ms", 912.4, reports.SLOResult{Value: 912.4, Message: "p99 was 912.4ms, not < 800ms"}},
		{"p99<800ms", 312.1, reports.SLOResult{Value: 312.1, Passed: true, Message: "p99 was 312.1ms (< 800ms)"}},
		{"p99<800ms", 800, reports.SLOResult{Value: 800, Message: "p99 was 800ms, not < 800ms"}},
		{"p99<=800ms", 800, reports.SLOResult{Value: 800, Passed: true, Message: "p99 was 800ms (<= 800ms)"}},
		{"p99>800ms", 800, reports.SLOResult{Value: 800, Message: "p99 was 800ms, not > 800ms"}},
		{"p99>=800ms", 800, reports.SLOResult{Value: 800, Passed: true, Message: "p99 was 800ms (>= 800ms)"}},
		{"p99<800ms", 800.0001, reports.SLOResult{Value: 800.0001, Message: "p99 was 800.0001ms, not < 800ms"}},
		{"p99<800ms", 799.99999, reports.SLOResult{Value: 799.99999, Passed: true, Message: "p99 was 799.99999ms (< 800ms)"}},
		{"p99<800ms", math.Nextafter(800, 0), reports.SLOResult{Value: math.Nextafter(800, 0), Passed: true, Message: "p99 was 799.9999999999999ms (< 800ms)"}},
		{"p99<1s", 1234.6, reports.SLOResult{Value: 1234.6, Message: "p99 was 1.235s, not < 1s"}},
		{"p99<800ms", 0.25, reports.SLOResult{Value: 0.25, Passed: true, Message: "p99 was 250us (< 800ms)"}},
		{"max<1s", 0, reports.SLOResult{Value: 0, Passed: true, Message: "max was 0ms (< 1s)"}},
		{"propagation_p99<10m", 754321, reports.SLOResult{Value: 754321, Message: "propagation_p99 was 12.57m, not < 10m"}},
		{"propagation_max<1h", 5400000, reports.SLOResult{Value: 5400000, Message: "propagation_max was 1.5h, not < 1h"}},
		{"success>=99.9%", 0.9982, reports.SLOResult{Value: 0.9982, Message: "success was 99.82%, not >= 99.9%"}},
		{"success>=99.9%", 0.999, reports.SLOResult{Value: 0.999, Passed: true, Message: "success was 99.9% (>= 99.9%)"}},
		{"success>=0.999", 0.99899, reports.SLOResult{Value: 0.99899, Message: "success was 99.899%, not >= 99.9%"}},
		{"error_drift<1%", -0.002, reports.SLOResult{Value: -0.002, Passed: true, Message: "error_drift was -0.2% (< 1%)"}},
		{"lost==0", 3, reports.SLOResult{Value: 3, Message: "lost was 3, not == 0"}},
		{"lost==0", 0, reports.SLOResult{Value: 0, Passed: true, Message: "lost was 0 (== 0)"}},
		{"queue_max!=0", 0, reports.SLOResult{Value: 0, Message: "queue_max was 0, not != 0"}},
		{"requests>=1000", 1234567, reports.SLOResult{Value: 1234567, Passed: true, Message: "requests was 1234567 (>= 1000)"}},
		{"throughput>=450/s", 412.53, reports.SLOResult{Value: 412.53, Message: "throughput was 412.5/s, not >= 450/s"}},
		{"p99_drift<1.5", 1.73, reports.SLOResult{Value: 1.73, Message: "p99_drift was 1.73, not < 1.5"}},
		{"heap_growth_mb<64", -12.25, reports.SLOResult{Value: -12.25, Passed: true, Message: "heap_growth_mb was -12.25 (< 64)"}},
		{"p99_drift<1.5", math.NaN(), reports.SLOResult{Message: "p99_drift was not measured (the value was NaN)"}},
		{"p99_drift>0", math.Inf(1), reports.SLOResult{Message: "p99_drift was not measured (the value was +Inf)"}},
	}
	for _, tt := range tests {
		o := mustParse(t, tt.expr)
		want := tt.want
		want.Expr, want.Metric, want.Unit = tt.expr, o.Metric.Name, string(o.Metric.Unit)
		got := o.Check(map[string]float64{o.Metric.Name: tt.value, "other": 1})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q.Check(%v): got … want (-want +got):\n%s", tt.expr, tt.value, diff)
		}
	}
}

func TestCheckNotMeasured(t *testing.T) {
	o := mustParse(t, " p99 < 800ms ")
	want := reports.SLOResult{Expr: "p99 < 800ms", Metric: "p99", Unit: "ms", Message: "p99 was not measured"}
	for _, values := range []map[string]float64{nil, {"p95": 100}} {
		if diff := cmp.Diff(want, o.Check(values)); diff != "" {
			t.Errorf("Check(%v): got … want (-want +got):\n%s", values, diff)
		}
	}
}

func mustParse(t *testing.T, expr string) slo.Objective {
	t.Helper()
	o, err := slo.Parse(expr)
	if err != nil {
		t.Fatalf("Parse(%q): %v", expr, err)
	}
	return o
}
