//go:build linux

package main

import (
	"context"
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
