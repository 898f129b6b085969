package reports

import (
	"math"
	"strconv"
	"time"
)

// The sample load runs below are realistic and fixed, so that golden
// files are stable: their series come from integer arithmetic and their
// histograms are rounded to three significant digits.

// samplePull is a passing pull run: 500 requests a second for a minute
// against a Pull endpoint, a few 503s, timeouts and invalid profiles.
func samplePull() *Load {
	return &Load{
		Tool:           "p4p load",
		HarnessVersion: "v0.4.0",
		Scenario:       "pull",
		Name:           "pull-500.json",
		Endpoint:       "https://app.example.org/p4p/pull?id={id}",
		Network:        "example.fyre.co",
		Users:          10000,
		Started:        sampleStarted,
		PlannedMS:      60000,
		ElapsedMS:      60012.4,
		Passed:         true,
		Rate: RateReport{Ramp: "constant", Target: "500/s", Expected: 30000, Sent: 29998,
			Achieved: 499.9, Ratio: 0.99993, Workers: 10, MaxWorker: 64},
		Requests: RequestReport{Total: 29998, Valid: 29940, Invalid: 41, TransportErrors: 17,
			Success: 0.998067, Throughput: 498.9, BytesIn: 40_265_318, BytesOut: 3_059_796, CPUPerValidMS: 0.042},
		Latency:   Percentiles{Count: 29998, Min: 1.84, Mean: 23.41, P50: 18.2, P90: 41.7, P95: 55.03, P99: 112.4, P999: 287.1, Max: 1012.6},
		Status:    map[string]int{"200": 29951, "503": 30, "0": 17},
		Errors:    samplePullErrors(),
		Histogram: sampleHistogram(1.84, 1012.6, 30, 29998, 18.2),
		Series:    sampleSeries(60, 1000, steady(500), 18.2, 20, 0),
		SLOs: []SLOResult{
			{Expr: "p99<250ms", Metric: "p99", Value: 112.4, Unit: "ms", Passed: true, Message: "p99 was 112.4ms, < 250ms"},
			{Expr: "success>=99.5%", Metric: "success", Value: 0.998067, Unit: "ratio", Passed: true, Message: "success was 99.81%, >= 99.5%"},
			{Expr: "throughput>=450/s", Metric: "throughput", Value: 498.9, Unit: "per_s", Passed: true, Message: "throughput was 498.9/s, >= 450/s"},
		},
		Precision: "HDR histograms of microseconds, 3 significant digits (within 0.1%)",
		Files:     []string{"results.bin", "summary.json", "junit.xml", "report.html", "shard.json"},
	}
}

// sampleMerged is samplePull merged from three shards of four, the
// third interrupted and the fourth missing.
func sampleMerged() *Load {
	l := samplePull()
	l.Name, l.Passed = "pull-500.json", false
	l.Failures = []string{"shard 2/4 (reports/shard-2) failed: interrupted before the end of its duration", "shard 3/4 is missing: no results given"}
	l.Files = []string{"summary.json", "junit.xml", "report.html"}
	l.Shards = []ShardResult{
		{Index: 0, Count: 4, Dir: "reports/shard-0", Status: "merged", Started: sampleStarted, Requests: 7500, Users: 2500},
		{Index: 1, Count: 4, Dir: "reports/shard-1", Status: "merged", Started: sampleStarted.Add(12 * time.Millisecond), Requests: 7499, Users: 2500},
		{Index: 2, Count: 4, Dir: "reports/shard-2", Status: "failed", Started: sampleStarted.Add(31 * time.Millisecond), Requests: 7499, Users: 2500,
			Reason: "interrupted before the end of its duration"},
		{Index: 3, Count: 4, Status: "missing", Reason: "no results given"},
	}
	return l
}

func samplePullErrors() []ErrorCount {
	return []ErrorCount{
		{Class: "status", Kind: "status 503", Count: 30, Example: "status 503 for user u-4711, want 200"},
		{Class: "transport", Kind: "timeout", Count: 12, Example: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"},
		{Class: "schema", Kind: "response does not match the schema", Count: 8, Example: `user u-0042: response does not match the schema: at "/email": expected string, got number`},
		{Class: "transport", Kind: "connection reset", Count: 5, Example: "read tcp ADDR->ADDR: read: connection reset by peer"},
		{Class: "id_mismatch", Kind: "the profile's id is not the id asked for", Count: 3, Example: `user u-9001: the profile's id is not the id asked for: got "u-9010"`},
	}
}

// samplePropagation is a failed propagation run: 200 pings a second for
// a minute at a time scale of 60, a few updates late and a few lost, and
// the rate short of its target.
func samplePropagation() *Load {
	l := &Load{
		Tool:           "p4p load",
		HarnessVersion: "v0.4.0",
		Scenario:       "propagation",
		Endpoint:       "https://app.example.org/p4p/pull?id={id}",
		Network:        "example.fyre.co",
		Livefyre:       "embedded mock",
		Users:          2000,
		Started:        sampleStarted,
		PlannedMS:      60000,
		ElapsedMS:      71240.8,
		Failures: []string{"achieved rate 188.2/s sent 11292 of 12000 scheduled requests (94.1%, below 95%): " +
			"the endpoint answered too slowly for the workers to keep up; " +
			"the latencies understate what the target rate would meet (coordinated omission)"},
		Rate: RateReport{Ramp: "linear", Target: "50/s", RampTo: "200/s", Expected: 12000, Sent: 11292,
			Achieved: 188.2, Ratio: 0.941, Workers: 20},
		Requests: RequestReport{Total: 11292, Valid: 11271, Invalid: 9, TransportErrors: 12,
			Success: 0.99814, Throughput: 187.9, BytesIn: 1_128_412, BytesOut: 2_904_118},
		Latency:     Percentiles{Count: 11292, Min: 0.412, Mean: 3.87, P50: 2.91, P90: 6.48, P95: 8.8, P99: 19.7, P999: 61.2, Max: 204.5},
		Status:      map[string]int{"200": 11271, "429": 9, "0": 12},
		Errors:      samplePropagationErrors(),
		Histogram:   sampleHistogram(0.412, 204.5, 28, 11292, 2.91),
		Propagation: sampleProp(),
		Series:      sampleSeries(60, 1000, linear(50, 188, 60), 2.91, 3, 1),
		SLOs: []SLOResult{
			{Expr: "propagation_p99<5s", Metric: "propagation_p99", Value: 4210, Unit: "ms", Passed: true, Message: "propagation_p99 was 4.21s, < 5s"},
			{Expr: "within_promise>=99.9%", Metric: "within_promise", Value: 0.99521, Unit: "ratio", Passed: false, Message: "within_promise was 99.52%, not >= 99.9%"},
			{Expr: "lost==0", Metric: "lost", Value: 9, Unit: "count", Passed: false, Message: "lost was 9, not == 0"},
			{Expr: "p99<100ms", Metric: "p99", Value: 19.7, Unit: "ms", Passed: true, Message: "p99 was 19.7ms, < 100ms"},
		},
		Precision: "HDR histograms of microseconds, 3 significant digits (within 0.1%)",
	}
	return l
}

func samplePropagationErrors() []ErrorCount {
	return []ErrorCount{
		{Class: "transport", Kind: "connection refused", Count: 12, Example: "dial tcp ADDR: connect: connection refused"},
		{Class: "ping", Kind: "status 429", Count: 9, Example: "ping for user u-0815 answered 429 Too Many Requests"},
		{Class: "pull", Kind: "status 500", Count: 19, Example: "pull of u-1207 failed for good after 3 attempts: status 500"},
	}
}

func sampleProp() *Propagation {
	return &Propagation{
		Pings: 11292, Acknowledged: 11271, Rejected: 21, Coalesced: 1204,
		Updated: 11243, Failed: 19, Lost: 9,
		Latency:   Percentiles{Count: 11243, Min: 38.2, Mean: 612.4, P50: 410.8, P90: 1320.5, P95: 2104.2, P99: 4210, P999: 11800, Max: 18420},
		PromiseMS: 10000, TimeScale: 60, WithinPromise: 0.99521,
		Histogram:        sampleHistogram(38.2, 18420, 30, 11243, 410.8),
		Visible:          Percentiles{Count: 11240, Min: 2104, Mean: 6120.5, P50: 5902, P90: 9410, P95: 10021, P99: 12880, P999: 19040, Max: 21200},
		VisiblePromiseMS: 20000, WithinVisiblePromise: 0.99494, NotVisible: 3,
		VisibleHistogram: sampleHistogram(2104, 21200, 30, 11240, 5902),
		Pulls:            PullCounts{Started: 10086, Succeeded: 10067, Retried: 212, Failed: 19},
		MaxQueuePending:  418, MaxQueueRunning: 16, Gaps: 1,
	}
}

// sampleSoak is a passing hour-long soak of the pull scenario at 100
// requests a second, in one-minute windows, with a slowly growing heap.
func sampleSoak() *Load {
	l := samplePull()
	l.Scenario, l.Of, l.Name = "soak", "pull", "soak-1h.json"
	l.Shard = &ShardInfo{Index: 1, Count: 4, Run: "6b929d05bd6d576807be9061"}
	l.PlannedMS, l.ElapsedMS = 3_600_000, 3_600_087.5
	l.Rate = RateReport{Ramp: "sine", Target: "100/s", Amplitude: "40/s", PeriodMS: 600_000,
		Expected: 360_000, Sent: 359_991, Achieved: 99.99, Ratio: 0.999975, Workers: 8}
	l.Requests = RequestReport{Total: 359_991, Valid: 359_870, Invalid: 88, TransportErrors: 33,
		Success: 0.999664, Throughput: 99.96, BytesIn: 483_227_912, BytesOut: 36_719_082, CPUPerValidMS: 0.051}
	l.Latency = Percentiles{Count: 359_991, Min: 1.52, Mean: 19.8, P50: 16.1, P90: 33.9, P95: 44.2, P99: 97.3, P999: 240.6, Max: 2210.4}
	l.Status = map[string]int{"200": 359_946, "503": 12, "0": 33}
	l.Errors = []ErrorCount{
		{Class: "schema", Kind: "response does not match the schema", Count: 76, Example: `user u-0042: response does not match the schema: at "/email": expected string, got number`},
		{Class: "transport", Kind: "timeout", Count: 33, Example: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"},
		{Class: "status", Kind: "status 503", Count: 12, Example: "status 503 for user u-4711, want 200"},
	}
	l.Histogram = sampleHistogram(1.52, 2210.4, 30, 359_991, 16.1)
	l.Series = sampleSeries(60, 60_000, sine(6000, 2400, 10), 16.1, 2, 2)
	l.Drift = &Drift{WindowMS: 300_000, P99Ratio: 1.12, ErrorRateDelta: 0.0004, HeapGrowthMB: 3.2}
	l.SLOs = []SLOResult{
		{Expr: "p99<250ms", Metric: "p99", Value: 97.3, Unit: "ms", Passed: true, Message: "p99 was 97.3ms, < 250ms"},
		{Expr: "p99_drift<1.5", Metric: "p99_drift", Value: 1.12, Unit: "ratio", Passed: true, Message: "p99_drift was 1.12, < 1.5"},
		{Expr: "heap_growth_mb<64", Metric: "heap_growth_mb", Value: 3.2, Unit: "MB", Passed: true, Message: "heap_growth_mb was 3.2, < 64"},
	}
	return l
}

// wobble is a fixed pseudo-random integer in [-50, 50] for step i of the
// series seeded with seed.
func wobble(i, seed int) int {
	x := uint32(i*2654435761) ^ uint32(seed*40503+17)
	x ^= x >> 13
	x *= 0x5bd1e995
	x ^= x >> 15
	return int(x%101) - 50
}

// sampleSeries is n windows of width ms with about perWindow(i)
// requests in window i, a median latency about p50 ms, and errors about
// every errEvery-th window. Kind 1 adds the propagation figures, kind 2
// a growing heap. Latencies are worked out in hundredths of a
// millisecond.
func sampleSeries(n int, width float64, perWindow func(i int) int, p50 float64, errEvery, kind int) []Window {
	base := int(p50 * 100)
	out := make([]Window, n)
	for i := range out {
		req := int64(perWindow(i) + perWindow(i)*wobble(i, 1)/2000)
		errs := int64(0)
		if errEvery > 0 && wobble(i, 2) > 50-100/errEvery {
			errs = int64(1 + (wobble(i, 3)+50)/12)
		}
		median := base + base*wobble(i, 4)/400
		w := Window{StartMS: float64(i) * width, Requests: req, Valid: req - errs, Errors: errs,
			P50: float64(median) / 100, P90: float64(median*23/10+base*wobble(i, 5)/500) / 100,
			P99: float64(median*6+base*wobble(i, 6)/100) / 100, Max: float64(median*12+base*wobble(i, 7)/50) / 100}
		switch kind {
		case 1:
			w.Updates = req - errs - int64(wobble(i, 8)+50)/20
			w.PropagationP99 = float64(2400 + 8*wobble(i, 9) + 40*i)
			w.QueuePending = int64(40 + wobble(i, 10)/3 + 6*i)
			w.QueueRunning = int64(12 + wobble(i, 11)/15)
		case 2:
			w.HeapMB = float64(1840+i*5+wobble(i, 12)/5) / 100
		}
		out[i] = w
	}
	return out
}

// steady is a constant number of requests per window.
func steady(n int) func(int) int {
	return func(int) int { return n }
}

// linear is a number of requests per window rising from a to b over n
// windows.
func linear(a, b, n int) func(int) int {
	return func(i int) int { return a + (b-a)*i/(n-1) }
}

// sine is a number of requests per window swinging by amp around mid
// with a period of the given number of windows, rounded to tens so that
// the golden files do not depend on the last bit of math.Sin.
func sine(mid, amp, period int) func(int) int {
	return func(i int) int {
		return mid + 10*int(math.Round(float64(amp)/10*math.Sin(2*math.Pi*float64(i)/float64(period))))
	}
}

// sampleHistogram is n log-spaced buckets from lo to hi ms holding total
// values, most of them near mode.
func sampleHistogram(lo, hi float64, n int, total int64, mode float64) []Bucket {
	out := make([]Bucket, n)
	step := math.Pow(hi/lo, 1/float64(n))
	weights := make([]float64, n)
	sum := 0.0
	for i := range out {
		out[i].UpperMS = round3(lo * math.Pow(step, float64(i+1)))
		d := math.Log(out[i].UpperMS/mode) / 0.9
		weights[i] = round3(math.Exp(-d * d / 2))
		sum += weights[i]
	}
	out[n-1].UpperMS = hi
	left, top := total, 0
	for i := range out {
		out[i].Count = int64(math.Floor(float64(total) * weights[i] / sum))
		left -= out[i].Count
		if weights[i] > weights[top] {
			top = i
		}
	}
	out[top].Count += left
	return out
}

// round3 rounds v to three significant digits.
func round3(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return r
}
