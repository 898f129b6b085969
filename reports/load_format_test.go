package reports

import (
	"math"
	"strings"
	"testing"
)

func TestLatencyText(t *testing.T) {
	tests := []struct {
		ms   float64
		want string
	}{
		{0, "0ms"},
		{0.0042, "4.2µs"},
		{0.412, "412µs"},
		{0.9994, "999µs"},
		{0.9999, "1ms"},
		{999.7, "1s"},
		{59_970, "1m0s"},
		{1, "1ms"},
		{1.84, "1.84ms"},
		{18.2, "18.2ms"},
		{55.03, "55ms"},
		{112.4, "112ms"},
		{999.4, "999ms"},
		{1012.6, "1.01s"},
		{10_000, "10s"},
		{59_940, "59.9s"},
		{60_012.4, "1m0s"},
		{71_240.8, "1m11.2s"},
		{3_600_087.5, "1h0m0.1s"},
		{-5, "-5ms"},
		{1e300, "1e+297s"},
		{math.NaN(), "n/a"},
		{math.Inf(1), "n/a"},
	}
	for _, tt := range tests {
		if got := latencyText(tt.ms); got != tt.want {
			t.Errorf("latencyText(%g): got %q, want %q", tt.ms, got, tt.want)
		}
	}
}

func TestPercentText(t *testing.T) {
	tests := []struct {
		ratio float64
		want  string
	}{
		{0, "0%"},
		{1, "100%"},
		{0.998067, "99.81%"},
		{0.99999, ">99.99%"},
		{0.00001, "<0.01%"},
		{0.5, "50.00%"},
		{1.25, "125.00%"},
		{math.NaN(), "n/a"},
	}
	for _, tt := range tests {
		if got := percentText(tt.ratio); got != tt.want {
			t.Errorf("percentText(%g): got %q, want %q", tt.ratio, got, tt.want)
		}
	}
}

func TestCountsAndSizes(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{countText(0), "0"},
		{countText(999), "999"},
		{countText(1000), "1,000"},
		{countText(359_991), "359,991"},
		{countText(-1234567), "-1,234,567"},
		{countText(math.MinInt64), "-9,223,372,036,854,775,808"},
		{bytesText(512), "512 B"},
		{bytesText(40_265_318), "38.4 MiB"},
		{bytesText(math.MaxInt64), "8.0 EiB"},
		{rateText(499.9), "499.9/s"},
		{rateText(12_345.4), "12,345/s"},
		{rateText(math.Inf(1)), "n/a"},
		{signedText(3.2, 1, " MB"), "+3.2 MB"},
		{signedText(-0.04, 1, " MB"), "±0 MB"},
		{signedText(-1.5, 1, " MB"), "-1.5 MB"},
		{pointsText(0.0004), "+0.04 percentage points"},
		{ratioText(1.12), "1.12×"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestSLOValueText(t *testing.T) {
	tests := []struct {
		value float64
		unit  string
		want  string
	}{
		{912.4, "ms", "912ms"},
		{0.99521, "ratio", "99.52%"},
		{1.12, "ratio", "1.12×"},
		{9, "count", "9"},
		{2.5, "count", "2.5"},
		{498.9, "per_s", "498.9/s"},
		{3.2, "MB", "3.2 MB"},
		{7, "", "7"},
	}
	for _, tt := range tests {
		if got := sloValueText(SLOResult{Value: tt.value, Unit: tt.unit}); got != tt.want {
			t.Errorf("%g %s: got %q, want %q", tt.value, tt.unit, got, tt.want)
		}
	}
}

func TestRateTargetText(t *testing.T) {
	tests := []struct {
		rate RateReport
		want string
	}{
		{RateReport{Ramp: "constant", Target: "500/s"}, "500/s constant"},
		{RateReport{Ramp: "linear", Target: "50/s", RampTo: "200/s"}, "50/s → 200/s linear"},
		{RateReport{Ramp: "sine", Target: "100/s", Amplitude: "40/s", PeriodMS: 600_000}, "100/s ± 40/s sine, period 10m0s"},
		{RateReport{Ramp: "max", Target: "0"}, "max rate"},
		{RateReport{Target: "500/s"}, "500/s"},
	}
	for _, tt := range tests {
		if got := rateTargetText(tt.rate); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.rate, got, tt.want)
		}
	}
}

func TestStatusRows(t *testing.T) {
	l := &Load{Status: map[string]int{"0": 1, "503": 2, "200": 5, "07": 1, "7": 1, "teapot": 1, "429": 0}}
	var got []string
	for _, r := range l.statusRows() {
		got = append(got, r.Code+"="+r.Label)
	}
	want := "07=7|7=7|200=200 OK|429=429 Too Many Requests|503=503 Service Unavailable|0=no response|teapot=teapot"
	if strings.Join(got, "|") != want {
		t.Errorf("got rows %s, want %s", strings.Join(got, "|"), want)
	}
}

func TestErrorRows(t *testing.T) {
	l := &Load{Requests: RequestReport{Total: 100}, Errors: []ErrorCount{
		{Class: "transport", Kind: "timeout", Count: 3},
		{Class: "status", Kind: "status 503", Count: 9},
		{Class: "schema", Kind: "bad", Count: 3},
	}}
	rows := l.errorRows(2)
	if len(rows) != 2 || rows[0].Kind != "status 503" || rows[1].Class != "schema" || rows[0].Share != 0.09 {
		t.Errorf("got rows %+v, want status 503 (share 0.09) then schema", rows)
	}
	if l.Errors[0].Kind != "timeout" {
		t.Errorf("errorRows reordered l.Errors")
	}
}
