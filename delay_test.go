package p4p_test

import (
	"fmt"
	"testing"
	"time"

	"p4p"
)

func TestParseDelay(t *testing.T) {
	tests := []struct {
		in      string
		want    p4p.Delay
		wantErr bool
	}{
		{"0", p4p.Delay{}, false},
		{"90s", p4p.Delay{Min: 90 * time.Second, Max: 90 * time.Second}, false},
		{"1m-10m", p4p.Delay{Min: time.Minute, Max: 10 * time.Minute}, false},
		{"0-5s", p4p.Delay{Max: 5 * time.Second}, false},
		{"10m-1m", p4p.Delay{}, true},
		{"-1s", p4p.Delay{}, true},
		{"x", p4p.Delay{}, true},
		{"1m-", p4p.Delay{}, true},
		{"", p4p.Delay{}, true},
	}
	for _, tt := range tests {
		got, err := p4p.ParseDelay(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseDelay(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestDelayString(t *testing.T) {
	tests := []struct {
		d    p4p.Delay
		want string
	}{
		{p4p.Delay{}, "0s"},
		{p4p.Delay{Min: 90 * time.Second, Max: 90 * time.Second}, "1m30s"},
		{p4p.Delay{Min: time.Minute, Max: 10 * time.Minute}, "1m0s-10m0s"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.want)
		}
		if back, err := p4p.ParseDelay(tt.d.String()); err != nil || back != tt.d {
			t.Errorf("ParseDelay(%q) = %v, %v; want %v", tt.d.String(), back, err, tt.d)
		}
	}
}

func TestDelayDraw(t *testing.T) {
	tests := []p4p.Delay{{}, {Min: time.Second, Max: time.Second}, {Min: time.Millisecond, Max: 3 * time.Millisecond}}
	for _, d := range tests {
		for range 100 {
			if got := d.Draw(); got < d.Min || got > d.Max {
				t.Fatalf("%v.Draw() = %s, outside the range", d, got)
			}
		}
	}
}

func FuzzParseDelay(f *testing.F) {
	for _, s := range []string{"0", "1m-10m", "-5s", "1h-", "1e9s-2s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := p4p.ParseDelay(s)
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

func ExampleParseDelay() {
	d, err := p4p.ParseDelay("1m-10m")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Min, d.Max)
	fmt.Println(d)
	// Output:
	// 1m0s 10m0s
	// 1m0s-10m0s
}
