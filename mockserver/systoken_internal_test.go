package mockserver

import (
	"testing"
	"time"
)

func TestSystemTokensReuse(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 5e8, time.UTC) // mid-second: a step of the reuse crosses into the next
	s := &systemTokens{network: "test.fyre.co", key: "k", now: func() time.Time { return now }}
	get := func() string {
		t.Helper()
		tok, err := s.get()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	first := get()
	for _, step := range []struct {
		name string
		by   time.Duration
		same bool
	}{
		{"within the reuse", tokenReuse - time.Millisecond, true},
		{"past it", time.Millisecond, false},
		{"the clock moved back", -600 * time.Millisecond, false},
	} {
		now = now.Add(step.by)
		if got := get(); (got == first) != step.same {
			t.Errorf("%s: same token %v, want %v", step.name, got == first, step.same)
		}
		first = get()
	}
}
