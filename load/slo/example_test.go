package slo_test

import (
	"errors"
	"fmt"

	"p4p/load/slo"
)

// A pull run gated by three objectives, one of which fails.
func Example() {
	objectives, err := slo.ParseAll([]string{"p99<800ms", "success >= 99.9%", "p(95) < 1s"}, "pull")
	if err != nil {
		fmt.Println(err)
		return
	}
	measured := map[string]float64{"p99": 912.4, "success": 0.9995, "p95": 640.27}
	for _, o := range objectives {
		r := o.Check(measured)
		fmt.Println(r.Passed, r.Message)
	}
	// Output:
	// false p99 was 912.4ms, not < 800ms
	// true success was 99.95% (>= 99.9%)
	// true p95 was 640.3ms (< 1s)
}

func ExampleParse() {
	o, err := slo.Parse("p(99.9) <= 1.5s")
	fmt.Println(o.Metric.Name, o.Op, o.Threshold, o.Metric.Unit, err)
	fmt.Println(o)

	_, err = slo.Parse("p99 < 800")
	fmt.Println(errors.Is(err, slo.ErrSLO), err)
	// Output:
	// p999 <= 1500 ms <nil>
	// p999<=1.5s
	// true bad SLO "p99 < 800": p99 is a latency: write a duration such as 800ms
}

func ExampleParseAll() {
	_, err := slo.ParseAll([]string{"propagation_p99<10m", "lost==0"}, "pull")
	fmt.Println(err)
	// Output:
	// bad SLO "propagation_p99<10m": propagation_p99 is not measured by the pull scenario, only by the propagation scenario
	// bad SLO "lost==0": lost is not measured by the pull scenario, only by the propagation scenario
}
