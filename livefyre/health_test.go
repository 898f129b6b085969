package livefyre_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"p4p/livefyre"
)

func TestHealth(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, livefyre.Health{Network: network, TimeScale: 60})
	})
	h, err := f.client().Health(context.Background())
	if err != nil || h.TimeScale != 60 || h.Network != network {
		t.Fatalf("Health = %+v, %v", h, err)
	}
	if got := f.seen(); len(got) != 1 || got[0].Path != "/healthz" || len(got[0].Query) != 0 {
		t.Errorf("requests %+v, want one GET /healthz without a token", got)
	}
}

func TestHealthDefaultsTimeScale(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 200, map[string]string{"network": network}) })
	if h, err := f.client().Health(context.Background()); err != nil || h.TimeScale != 1 {
		t.Fatalf("Health = %+v, %v; want time scale 1 from a mock without the field", h, err)
	}
}

func TestQueueDepth(t *testing.T) {
	tests := []struct {
		page             string
		pending, running int64
		fails            bool
	}{
		{"# HELP p4p_queue_depth x\np4p_queue_depth{stage=\"pending\"} 12\np4p_queue_depth{stage=\"running\"} 3\n", 12, 3, false},
		{"p4p_queue_depth{stage=\"running\"} 1e+00\np4p_queue_depth{stage=\"pending\"} 0\n", 0, 1, false},
		{"p4p_queue_depth{stage=\"pending\"} 12\n", 0, 0, true},
		{"p4p_queue_depth{stage=\"pending\"} x\np4p_queue_depth{stage=\"running\"} 3\n", 0, 0, true},
		{"", 0, 0, true},
	}
	for _, tt := range tests {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tt.page) })
		p, r, err := f.client().QueueDepth(context.Background())
		if (err != nil) != tt.fails || p != tt.pending || r != tt.running {
			t.Errorf("QueueDepth of %q = %d, %d, %v", tt.page, p, r, err)
		}
	}
}
