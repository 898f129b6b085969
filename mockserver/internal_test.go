package mockserver

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	for attempt := 1; attempt <= 10; attempt++ {
		d := backoff(attempt, time.Second, time.Minute)
		full := min(time.Second<<(attempt-1), time.Minute)
		if d < full/2 || d > full {
			t.Errorf("backoff(%d) = %s, want within [%s, %s]", attempt, d, full/2, full)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		h    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false}, {"3", 3 * time.Second, true}, {"-1", 0, false}, {"soon", 0, false},
		{"999999", time.Hour, true}, {now.Add(90 * time.Second).Format(httpTime), 90 * time.Second, true},
	}
	for _, tt := range tests {
		if got, ok := retryAfter(tt.h, now); got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tt.h, got, ok, tt.want, tt.ok)
		}
	}
}

const httpTime = "Mon, 02 Jan 2006 15:04:05 GMT"

func FuzzParseBody(f *testing.F) {
	for _, s := range []string{"lftoken=a.b.c", `{"lftoken":"x"}`, "https://x.quill.fyre.co&lftoken=t", "%zz=1&lftoken=t", "{", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v, _ := parseBody([]byte(body))
		if v == nil {
			t.Fatalf("parseBody(%q) returned nil values", body)
		}
	})
}

// FuzzParseEventID: an /events id the mock reads back is one it could
// have written, and writes back the same.
func FuzzParseEventID(f *testing.F) {
	f.Add("0123456789ab-42")
	f.Add("0123456789ab-0")
	f.Add("0123456789AB-1")
	f.Add("0123456789ab-007")
	f.Add("0123456789ab-18446744073709551616")
	f.Add("-1")
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := parseEventID(s)
		if !ok {
			return
		}
		if got := id.String(); got != s {
			t.Fatalf("parseEventID(%q) = %+v, written back as %q", s, id, got)
		}
		if len(s) > maxEventIDLen {
			t.Fatalf("parseEventID accepted %d bytes, over %d", len(s), maxEventIDLen)
		}
	})
}
