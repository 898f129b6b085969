package slo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/load/slo"
)

// parsed is the part of an Objective a test states.
type parsed struct {
	Expr      string
	Metric    string
	Unit      slo.Unit
	Op        slo.Op
	Threshold float64
}

func summarize(o slo.Objective) parsed {
	return parsed{o.Expr, o.Metric.Name, o.Metric.Unit, o.Op, o.Threshold}
}

func TestParse(t *testing.T) {
	tests := []struct {
		expr string
		want parsed
	}{
		{"p99<800ms", parsed{"p99<800ms", "p99", slo.Milliseconds, slo.Less, 800}},
		{"  p99 < 800ms\t", parsed{"p99 < 800ms", "p99", slo.Milliseconds, slo.Less, 800}},
		{"p99\t<=\t1.5s", parsed{"p99\t<=\t1.5s", "p99", slo.Milliseconds, slo.LessOrEqual, 1500}},
		{"p(99)<1.5s", parsed{"p(99)<1.5s", "p99", slo.Milliseconds, slo.Less, 1500}},
		{"p( 99.9 ) < 250us", parsed{"p( 99.9 ) < 250us", "p999", slo.Milliseconds, slo.Less, 0.25}},
		{"p(99.90)<1s", parsed{"p(99.90)<1s", "p999", slo.Milliseconds, slo.Less, 1000}},
		{"p(95)<1m30s", parsed{"p(95)<1m30s", "p95", slo.Milliseconds, slo.Less, 90000}},
		{"p(90)>=10m", parsed{"p(90)>=10m", "p90", slo.Milliseconds, slo.GreaterOrEqual, 600000}},
		{"p(50)<1h", parsed{"p(50)<1h", "p50", slo.Milliseconds, slo.Less, 3600000}},
		{"avg<200ms", parsed{"avg<200ms", "mean", slo.Milliseconds, slo.Less, 200}},
		{"med<100ms", parsed{"med<100ms", "p50", slo.Milliseconds, slo.Less, 100}},
		{"max<0", parsed{"max<0", "max", slo.Milliseconds, slo.Less, 0}},
		{"min>1ns", parsed{"min>1ns", "min", slo.Milliseconds, slo.Greater, 1e-6}},
		{"p99<5µs", parsed{"p99<5µs", "p99", slo.Milliseconds, slo.Less, 0.005}},
		{"p99<.5s", parsed{"p99<.5s", "p99", slo.Milliseconds, slo.Less, 500}},
		{"propagation_p99<10m", parsed{"propagation_p99<10m", "propagation_p99", slo.Milliseconds, slo.Less, 600000}},
		{"success>=99.9%", parsed{"success>=99.9%", "success", slo.Ratio, slo.GreaterOrEqual, 0.999}},
		{"success >= 0.999", parsed{"success >= 0.999", "success", slo.Ratio, slo.GreaterOrEqual, 0.999}},
		{"success==100%", parsed{"success==100%", "success", slo.Ratio, slo.Equal, 1}},
		{"success>=1", parsed{"success>=1", "success", slo.Ratio, slo.GreaterOrEqual, 1}},
		{"within_promise>=99%", parsed{"within_promise>=99%", "within_promise", slo.Ratio, slo.GreaterOrEqual, 0.99}},
		{"achieved>95%", parsed{"achieved>95%", "achieved", slo.Ratio, slo.Greater, 0.95}},
		{"error_drift<0.5%", parsed{"error_drift<0.5%", "error_drift", slo.Ratio, slo.Less, 0.005}},
		{"lost==0", parsed{"lost==0", "lost", slo.Count, slo.Equal, 0}},
		{"errors <= 10", parsed{"errors <= 10", "errors", slo.Count, slo.LessOrEqual, 10}},
		{"queue_max!=5", parsed{"queue_max!=5", "queue_max", slo.Count, slo.NotEqual, 5}},
		{"heap_growth_mb<64.5", parsed{"heap_growth_mb<64.5", "heap_growth_mb", slo.Count, slo.Less, 64.5}},
		{"throughput>=450/s", parsed{"throughput>=450/s", "throughput", slo.PerSecond, slo.GreaterOrEqual, 450}},
		{"throughput>=450", parsed{"throughput>=450", "throughput", slo.PerSecond, slo.GreaterOrEqual, 450}},
		{"p99_drift<1.5", parsed{"p99_drift<1.5", "p99_drift", slo.Factor, slo.Less, 1.5}},
	}
	for _, tt := range tests {
		o, err := slo.Parse(tt.expr)
		if err != nil {
			t.Errorf("Parse(%q): got error %v", tt.expr, err)
			continue
		}
		if diff := cmp.Diff(tt.want, summarize(o)); diff != "" {
			t.Errorf("Parse(%q): got … want (-want +got):\n%s", tt.expr, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tooLong := "p99<" + strings.Repeat(" ", slo.MaxExprLen) + "1s"
	tests := []struct {
		expr string
		want []string // what the error must mention
	}{
		{"", []string{"empty expression"}},
		{" \t ", []string{"empty expression"}},
		{tooLong, []string{"longer than the 256 allowed"}},
		{"p99", []string{`"p99"`, "no comparison operator", "<="}},
		{"p99 800ms", []string{"no comparison operator"}},
		{"<800ms", []string{"no metric before the operator"}},
		{"p98<800ms", []string{`unknown metric "p98"; did you mean "p99"?`, "requests, success"}},
		{"p(98)<800ms", []string{`unknown metric "p(98)"; did you mean "p99"?`}},
		{"p(99.99)<1s", []string{`unknown metric "p(99.99)"; did you mean "p999"?`}},
		{"propagation_p98<1m", []string{`did you mean "propagation_p99"?`}},
		{"sucess>=99%", []string{`did you mean "success"?`}},
		{"P99<1s", []string{`did you mean "p99"?`}},
		{"latency<1s", []string{`unknown metric "latency" (the metrics are`, "heap_growth_mb"}},
		{"p99=800ms", []string{`unknown operator "="; write ==`}},
		{"p99=>800ms", []string{`unknown operator "=>"`, "<, <=, >, >=, == and !="}},
		{"p99!800ms", []string{`unknown operator "!"`}},
		{"p99<", []string{"no threshold after the operator", "800ms"}},
		{"p99 <   ", []string{"no threshold after the operator"}},
		{"p99<800", []string{"p99 is a latency: write a duration such as 800ms"}},
		{"p99<80%", []string{"p99 is a latency: write a duration such as 800ms"}},
		{"p99<ms", []string{"p99 is a latency"}},
		{"p99<.ms", []string{"p99 is a latency"}},
		{"p99<+1s", []string{"p99 is a latency"}},
		{"success>=800ms", []string{"success is a ratio: write a percentage such as 99.9%"}},
		{"success>=450/s", []string{"success is a ratio: write a percentage such as 99.9%"}},
		{"success>=100.1%", []string{"success is a ratio: 100.1% is over 100%"}},
		{"success>=99", []string{"success is a ratio: 99 is over 1; did you mean 99%?"}},
		{"success>=1000", []string{"1000 is over 1", "write a percentage"}},
		{"lost<5ms", []string{"lost is a count: write a plain number such as 100"}},
		{"lost<5%", []string{"lost is a count"}},
		{"lost<5/s", []string{"lost is a count"}},
		{"throughput>5ms", []string{"throughput is a rate: write a number per second such as 450/s"}},
		{"p99_drift<150%", []string{"p99_drift is a factor: write a plain number such as 1.5"}},
		{"p99<-5ms", []string{`threshold "-5ms" is negative`}},
		{"lost>-1", []string{`threshold "-1" is negative`}},
		{"lost>-x", []string{"lost is a count: write a plain number"}},
		{"p99<NaN", []string{`threshold "NaN" is not a finite number`}},
		{"lost<Inf", []string{"not a finite number"}},
		{"success<+infinity", []string{"not a finite number"}},
		{"p99<800ms foo", []string{`unexpected "foo" after the threshold "800ms"`}},
		{"p99<800ms<900ms", []string{`unexpected "<900ms" after the threshold "800ms"`}},
		{"p99<800 ms", []string{`unexpected space in the threshold "800 ms"; write "800ms"`}},
		{"success>=99.9 %", []string{`write "99.9%"`}},
		{"p99<1m 30s", []string{`write "1m30s"`}},
		{"p99<800 %", []string{`unexpected "%" after the threshold "800"`}},
		{"p99<1m30", []string{`unexpected "30" after the threshold "1m"`}},
		{"p99_drift<1.5x", []string{`unexpected "x" after the threshold "1.5"`}},
		{"success>=99.9%%", []string{`unexpected "%"`}},
		{"requests<1e6", []string{`unexpected "e6"`}},
		{"p99<0.5ns", []string{"finer than the nanosecond"}},
		{"p99<3000000h", []string{"longer than the longest Go duration"}},
		{"requests<10000000000000000", []string{"too large"}},
		{"lost<" + strings.Repeat("0", 70), []string{"longer than 64 bytes"}},
	}
	for _, tt := range tests {
		_, err := slo.Parse(tt.expr)
		if err == nil {
			t.Errorf("Parse(%q): got no error, want one mentioning %q", tt.expr, tt.want)
			continue
		}
		if !errors.Is(err, slo.ErrSLO) {
			t.Errorf("Parse(%q): got %v, want an error wrapping ErrSLO", tt.expr, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Parse(%q): got %q, want it to mention %q", tt.expr, err, w)
			}
		}
	}
}

// TestParseErrorNamesExpr checks that an error quotes the expression it
// is about, trimmed, or the start of a long one.
func TestParseErrorNamesExpr(t *testing.T) {
	tests := []struct{ expr, want string }{
		{" p99<800 ", `bad SLO "p99<800": `},
		{"lost<5ms", `bad SLO "lost<5ms": `},
		{"p99<" + strings.Repeat("9", 300), `bad SLO "p99<999999999999999999999999999999999999…": `},
		{"", "bad SLO: "},
	}
	for _, tt := range tests {
		_, err := slo.Parse(tt.expr)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Parse(%q): got %v, want an error starting %q", tt.expr, err, tt.want)
		}
	}
}
