package main

import "testing"

func TestBacklogGrew(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    backlog
		want bool
	}{
		{"steady", backlog{300, 500, 450, 480, 520, 400}, false},
		{"draining", backlog{3000, 2000, 1000, 500}, false},
		{"growing", backlog{1000, 2000, 3000, 4000, 5000, 6000}, true},
		{"a late step within a tenth of a second of pings", backlog{100, 200, 300, 699}, false},
		{"a late step past it", backlog{100, 200, 300, 701}, true},
		{"too few samples", backlog{1, 10_000}, false},
	} {
		if got := tc.b.grew(5000); got != tc.want {
			t.Errorf("%s: %v.grew(5000) = %v, want %v", tc.name, tc.b, got, tc.want)
		}
	}
}

func TestBacklogNotSampled(t *testing.T) {
	if got := (backlog{0, 0, 0, 0}).met(5000); got != "**not sampled**" {
		t.Errorf("met of a backlog never sampled = %q, want **not sampled**", got)
	}
}
