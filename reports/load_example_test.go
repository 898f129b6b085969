package reports_test

import (
	"log"
	"os"
	"time"

	"p4p/reports"
)

// The load engine fills in a run's figures and renders the terminal
// summary.
func ExampleLoad_WriteText() {
	l := &reports.Load{
		Tool:           "p4p load",
		HarnessVersion: "v0.4.0",
		Scenario:       "pull",
		Endpoint:       "https://app.example.org/p4p/pull?id={id}",
		Network:        "example.fyre.co",
		Users:          100,
		Started:        time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		PlannedMS:      10_000,
		ElapsedMS:      10_004.2,
		Passed:         false,
		Rate:           reports.RateReport{Ramp: "constant", Target: "50/s", Expected: 500, Sent: 500, Achieved: 50, Ratio: 1, Workers: 10},
		Requests:       reports.RequestReport{Total: 500, Valid: 500, Success: 1, Throughput: 49.98, BytesIn: 512_000, BytesOut: 64_000},
		Latency:        reports.Percentiles{Count: 500, Min: 0.81, Mean: 4.2, P50: 3.1, P90: 7.9, P95: 9.4, P99: 14.8, P999: 31, Max: 31},
		Status:         map[string]int{"200": 500},
		SLOs: []reports.SLOResult{
			{Expr: "p99<10ms", Metric: "p99", Value: 14.8, Unit: "ms", Message: "p99 was 14.8ms, not < 10ms"},
			{Expr: "success>=99.9%", Metric: "success", Value: 1, Unit: "ratio", Passed: true, Message: "success was 100%, >= 99.9%"},
		},
	}
	if err := l.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// p4p load pull
	//   Endpoint:    https://app.example.org/p4p/pull?id={id}
	//   Network:     example.fyre.co
	//   Users:       100
	//   Started:     2025-03-14T09:26:53Z
	//   Duration:    10s planned, 10s elapsed
	//   Harness:     v0.4.0
	//
	// Rate
	//   Target:      50/s constant, 10 workers, unbounded
	//   Achieved:    50.0/s, 500 of 500 requests (100%)
	//
	// Requests
	//   Total:       500
	//   Valid:       500
	//   Invalid:     0
	//   Transport:   0 errors
	//   Success:     100%
	//   Throughput:  50.0/s valid
	//   Bytes:       500.0 KiB in, 62.5 KiB out
	//
	// Latency (500 responses)
	//   min     mean    p50     p90     p95     p99      p99.9   max
	//   810µs   4.2ms   3.1ms   7.9ms   9.4ms   14.8ms   31ms    31ms
	//
	// Status codes
	//   200 OK         500      100%
	//
	// SLOs
	//   ✗  p99<10ms        14.8ms  p99 was 14.8ms, not < 10ms
	//   ✓  success>=99.9%  100%
	//
	// FAILED: 1 of 2 SLOs failed (p99<10ms)
}
