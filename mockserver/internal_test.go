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

func TestParseDelay(t *testing.T) {
	tests := []struct {
		in      string
		want    Delay
		wantErr bool
	}{
		{"0", Delay{}, false}, {"90s", Delay{90 * time.Second, 90 * time.Second}, false},
		{"1m-10m", Delay{time.Minute, 10 * time.Minute}, false},
		{"10m-1m", Delay{}, true}, {"-1s", Delay{}, true}, {"x", Delay{}, true}, {"1m-", Delay{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDelay(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseDelay(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzParseDelay(f *testing.F) {
	for _, s := range []string{"0", "1m-10m", "-5s", "1h-", "1e9s-2s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDelay(s)
		if err != nil {
			return
		}
		if d.Min < 0 || d.Max < d.Min {
			t.Fatalf("ParseDelay(%q) = %v: accepted an invalid range", s, d)
		}
		if got := d.Draw(); got < d.Min || got > d.Max {
			t.Fatalf("Draw() = %s outside %v", got, d)
		}
	})
}

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
