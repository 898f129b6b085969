package load

import (
	"encoding/json"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestDurationSet(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "90s", want: 90 * time.Second},
		{in: "1m30s", want: 90 * time.Second},
		{in: "0", want: 0},
		{in: "-5s", want: -5 * time.Second},
		{in: "1.5h", want: 90 * time.Minute},
		{in: "", wantErr: `"" is not a duration such as 90s`},
		{in: "60", wantErr: `"60" is not a duration`},
		{in: "1 minute", wantErr: `"1 minute" is not a duration`},
		{in: "9999999999h", wantErr: "is not a duration"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got Duration
			checkErr(t, got.Set(tt.in), tt.wantErr)
			if got.D() != tt.want {
				t.Errorf("got %v, want %v", got.D(), tt.want)
			}
		})
	}
}

func TestDurationString(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{90 * time.Second, "1m30s"},
		{time.Minute, "1m"},
		{time.Hour, "1h"},
		{90 * time.Minute, "1h30m"},
		{time.Hour + time.Second, "1h0m1s"},
		{250 * time.Millisecond, "250ms"},
		{-time.Minute, "-1m"},
	}
	for _, tt := range tests {
		if got := Duration(tt.in).String(); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDurationJSON(t *testing.T) {
	type doc struct {
		D Duration `json:"d,omitempty"`
	}
	out, err := json.Marshal(doc{Duration(time.Minute)})
	if got, want := string(out), `{"d":"1m"}`; err != nil || got != want {
		t.Errorf("Marshal: got %s, %v; want %s", got, err, want)
	}
	var got doc
	if err := json.Unmarshal([]byte(`{"d":"1h30m"}`), &got); err != nil || got.D.D() != 90*time.Minute {
		t.Errorf("Unmarshal: got %v, %v; want 1h30m", got.D, err)
	}
	checkErr(t, json.Unmarshal([]byte(`{"d":"soon"}`), &got), `"soon" is not a duration`)
}

func TestDurationFlag(t *testing.T) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	got := Duration(time.Minute)
	fs.Var(&got, "duration", "how long")
	if err := fs.Parse([]string{"-duration", "2h"}); err != nil || got.D() != 2*time.Hour {
		t.Errorf("got %v, %v; want 2h", got, err)
	}
	err := fs.Parse([]string{"-duration", "2 hours"})
	if err == nil || !strings.Contains(err.Error(), `"2 hours" is not a duration`) {
		t.Errorf("got error %v, want one naming the value", err)
	}
}

// FuzzDuration checks that every duration's String reads back unchanged.
func FuzzDuration(f *testing.F) {
	for _, d := range []int64{0, 1, int64(time.Minute), int64(90 * time.Minute), -int64(time.Hour), 1<<63 - 1, -1 << 63} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		var back Duration
		if err := back.Set(Duration(n).String()); err != nil || back != Duration(n) {
			t.Errorf("%d: String %q read back as %d, %v", n, Duration(n).String(), back, err)
		}
	})
}
