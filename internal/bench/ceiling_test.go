package main

import (
	"math"
	"testing"
	"time"
)

func TestCeilings(t *testing.T) {
	// A bare answer of 27 µs, a publish of 30 µs, wrk's 10 µs a request:
	// 37 µs a bare answer against at least 67 µs a ping.
	if got := pingCeiling(27*time.Microsecond, 30*time.Microsecond, 10*time.Microsecond); math.Abs(got-37.0/67) > 1e-9 {
		t.Errorf("pingCeiling(27 µs, 30 µs, 10 µs) = %v, want 37/67", got)
	}
	// 0.5× allows a ping 64 µs; the bare handler's 27 and the publish's 30
	// leave 7.
	if got := pingBudget(27*time.Microsecond, 30*time.Microsecond, 10*time.Microsecond); got != 7*time.Microsecond {
		t.Errorf("pingBudget = %s, want 7µs", got)
	}
	// 2 CPUs over 100 + 100 µs a pull: 10,000 pulls/s, a quarter of wrk's 40,000.
	perSec, ratio := pullsCeiling(2, 100*time.Microsecond, 100*time.Microsecond, 40_000)
	if math.Abs(perSec-10_000) > 1e-6 || math.Abs(ratio-0.25) > 1e-9 {
		t.Errorf("pullsCeiling = %v, %v; want 10000, 0.25", perSec, ratio)
	}
}
