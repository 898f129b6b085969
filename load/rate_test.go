package load

import (
	"encoding/json"
	"flag"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"p4p/schemas"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    Rate
		wantErr string // a part of the error; "" for none
	}{
		{in: "500/s", want: Rate{500, time.Second}},
		{in: "500/1s", want: Rate{500, time.Second}},
		{in: "50/1m", want: Rate{50, time.Minute}},
		{in: "50/m", want: Rate{50, time.Minute}},
		{in: "10/100ms", want: Rate{10, 100 * time.Millisecond}},
		{in: "3/1.5s", want: Rate{3, 1500 * time.Millisecond}},
		{in: "1/1h30m", want: Rate{1, 90 * time.Minute}},
		{in: "7/µs", want: Rate{7, time.Microsecond}},
		{in: "500", want: Rate{500, time.Second}},
		{in: "0500/s", want: Rate{500, time.Second}},
		{in: "10000000", want: Rate{10_000_000, time.Second}},
		{in: "0", want: Rate{}},
		{in: "00", want: Rate{}},
		{in: "", wantErr: `"" is not a rate such as 500/s`},
		{in: "fast", wantErr: `"fast" is not a rate such as 500/s, 50/1m or 0`},
		{in: "NaN", wantErr: "is not a rate"},
		{in: "infinity", wantErr: "is not a rate"},
		{in: "1.5/s", wantErr: "is not a rate"},
		{in: "+5/s", wantErr: "is not a rate"},
		{in: " 5/s", wantErr: "is not a rate"},
		{in: "5/1d", wantErr: "is not a rate"},
		{in: "5/s/s", wantErr: "is not a rate"},
		{in: "-5/s", wantErr: "a rate cannot be negative"},
		{in: "-0", wantErr: "a rate cannot be negative"},
		{in: "5/-1s", wantErr: "the period must be a positive duration"},
		{in: "5/+1s", wantErr: "the period must be a positive duration"},
		{in: "5/0s", wantErr: "the period must be a positive duration"},
		{in: "5/0", wantErr: "the period must be a positive duration"},
		{in: "5/", wantErr: "the period must be a positive duration"},
		{in: "0/s", wantErr: "write 0 alone for as fast as possible"},
		{in: "10000001", wantErr: "over the limit of 1e+07"},
		{in: "20000000/s", wantErr: `"20000000/s" is 2e+07 requests per second, over the limit of 1e+07`},
		{in: "1/1ns", wantErr: "over the limit"},
		{in: "99999999999999999999999/s", wantErr: "over the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRate(tt.in)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestRateString(t *testing.T) {
	tests := []struct {
		in   Rate
		want string
	}{
		{Rate{}, "0"},
		{Rate{0, time.Second}, "0"},
		{Rate{500, time.Second}, "500/s"},
		{Rate{50, time.Minute}, "50/1m"},
		{Rate{10, 100 * time.Millisecond}, "10/100ms"},
		{Rate{1, time.Hour}, "1/1h"},
		{Rate{1, 90 * time.Minute}, "1/1h30m"},
		{Rate{3, 1500 * time.Millisecond}, "3/1.5s"},
		{Rate{1, time.Hour + 30*time.Second}, "1/1h0m30s"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%#v: got %q, want %q", tt.in, got, tt.want)
		}
		if back, err := ParseRate(tt.want); err != nil || back.String() != tt.want {
			t.Errorf("ParseRate(%q): got %v, %v; want it back", tt.want, back, err)
		}
	}
}

func TestRatePerSecond(t *testing.T) {
	tests := []struct {
		in      Rate
		want    float64
		wantMax bool
	}{
		{Rate{}, 0, true},
		{Rate{500, time.Second}, 500, false},
		{Rate{10, 100 * time.Millisecond}, 100, false},
		{Rate{60, time.Minute}, 1, false},
		{Rate{-5, time.Second}, 0, false},
	}
	for _, tt := range tests {
		if got := tt.in.PerSecond(); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%v: got %g per second, want %g", tt.in, got, tt.want)
		}
		if got := tt.in.IsMax(); got != tt.wantMax {
			t.Errorf("%v: got IsMax %v, want %v", tt.in, got, tt.wantMax)
		}
	}
}

func TestRateJSON(t *testing.T) {
	type doc struct{ R Rate }
	tests := []struct {
		in      string
		want    Rate
		wantErr string
	}{
		{in: `{"R":"500/s"}`, want: Rate{500, time.Second}},
		{in: `{"R":"50/1m"}`, want: Rate{50, time.Minute}},
		{in: `{"R":500}`, want: Rate{500, time.Second}},
		{in: `{"R":1e3}`, want: Rate{1000, time.Second}},
		{in: `{"R":0}`, want: Rate{}},
		{in: `{"R":null}`, want: Rate{}},
		{in: `{"R":1.5}`, wantErr: `"1.5" is not a rate`},
		{in: `{"R":-5}`, wantErr: "cannot be negative"},
		{in: `{"R":1e300}`, wantErr: "over the limit"},
		{in: `{"R":"fast"}`, wantErr: `"fast" is not a rate`},
		{in: `{"R":true}`, wantErr: `"true" is not a rate`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got doc
			checkErr(t, json.Unmarshal([]byte(tt.in), &got), tt.wantErr)
			if got.R != tt.want {
				t.Errorf("got %#v, want %#v", got.R, tt.want)
			}
		})
	}
	out, err := json.Marshal(doc{Rate{50, time.Minute}})
	if got, want := string(out), `{"R":"50/1m"}`; err != nil || got != want {
		t.Errorf("Marshal: got %s, %v; want %s", got, err, want)
	}
}

func TestRateFlag(t *testing.T) {
	tests := []struct {
		args    []string
		want    Rate
		wantErr string
	}{
		{args: nil, want: Rate{100, time.Second}},
		{args: []string{"-rate", "50/1m"}, want: Rate{50, time.Minute}},
		{args: []string{"-rate=0"}, want: Rate{}},
		{args: []string{"-rate", "fast"}, want: Rate{100, time.Second}, wantErr: `invalid value "fast" for flag -rate: "fast" is not a rate`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := flag.NewFlagSet("load", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			got := Rate{100, time.Second}
			fs.Var(&got, "rate", "requests per period")
			checkErr(t, fs.Parse(tt.args), tt.wantErr)
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// checkErr fails unless err contains want, or is nil when want is "".
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("got error %v, want none", err)
	case want != "" && err == nil:
		t.Fatalf("got no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("got error %q, want one containing %q", err, want)
	}
}

// ratePattern is the schema's pattern for a rate written as a string.
func ratePattern(t testing.TB) *regexp.Regexp {
	t.Helper()
	data, err := schemas.FS.ReadFile(schemas.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs struct {
			Rate struct {
				AnyOf []struct{ Pattern string } `json:"anyOf"`
			} `json:"rate"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &s); err != nil || len(s.Defs.Rate.AnyOf) == 0 {
		t.Fatalf("no rate pattern in %s: %v", schemas.Scenario, err)
	}
	return regexp.MustCompile(s.Defs.Rate.AnyOf[0].Pattern)
}

// FuzzParseRate checks that every rate ParseRate accepts is within the
// limit, reads back from its String unchanged, and matches the schema's
// pattern, so that a file never refuses what a flag accepts.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"500/s", "500/1s", "50/1m", "10/100ms", "500", "0", "3/1.5s", "1/1h30m", "7/µs",
		"-5/s", "5/0s", "0/s", "fast", "20000000/s", "1/.5s", "9/1h1m1s1ms"} {
		f.Add(s)
	}
	pattern := ratePattern(f)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if !pattern.MatchString(s) {
			t.Errorf("ParseRate accepts %q, which the schema's pattern refuses", s)
		}
		if r.PerSecond() > MaxPerSecond || r.Freq < 0 || (r.Freq > 0) != (r.Per > 0) {
			t.Errorf("ParseRate(%q): got %#v", s, r)
		}
		back, err := ParseRate(r.String())
		if err != nil || back != r || back.String() != r.String() {
			t.Errorf("ParseRate(%q) = %#v, String %q, read back as %#v, %v", s, r, r.String(), back, err)
		}
	})
}
