//go:build linux

package main

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestFloors: each floor is measured, over operations that JetStream
// answered, and is some CPU.
func TestFloors(t *testing.T) {
	f, err := measureFloorsOnce(context.Background(), 8, 500)
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]time.Duration{"publish": f.publish, "record": f.record, "deliver": f.deliver} {
		if d <= 0 || d > time.Second {
			t.Errorf("%s floor %s, want some CPU per operation", name, d)
		}
	}
}

func TestCeilings(t *testing.T) {
	if got := pingCeiling(27*time.Microsecond, 30*time.Microsecond); math.Abs(got-27.0/57) > 1e-9 {
		t.Errorf("pingCeiling(27 µs, 30 µs) = %v, want 27/57", got)
	}
	// 2 CPUs over 100 + 100 µs a pull: 10,000 pulls/s, a quarter of wrk's 40,000.
	perSec, ratio := pullsCeiling(2, 100*time.Microsecond, 100*time.Microsecond, 40_000)
	if math.Abs(perSec-10_000) > 1e-6 || math.Abs(ratio-0.25) > 1e-9 {
		t.Errorf("pullsCeiling = %v, %v; want 10000, 0.25", perSec, ratio)
	}
}
