package load_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"p4p/load"
)

// A soak as a scenario file writes it: Check fills in what the file left
// out, and Run would then run it.
func ExampleScenario_Check() {
	s, err := load.DecodeScenario([]byte(`
scenario: soak
rate: 100/s
duration: 1h
slo: ["success>=99.9%", "error_drift<=0.1%"]
`), "yaml")
	if err != nil {
		log.Fatal(err)
	}
	s, err = s.Check()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("a soak of", s.Of, "at", s.Rate, "for", s.Duration, "in windows of", s.Window)
	fmt.Println("users:", s.UserCount, "synthetic; workers:", s.Workers, "timeout:", s.Timeout)
	fmt.Println("key from $"+s.KeyEnv+"; reports in", s.ReportDir)
	// Output:
	// a soak of pull at 100/s for 1h in windows of 1m
	// users: 100 synthetic; workers: 10 timeout: 10s
	// key from $P4P_NETWORK_KEY; reports in reports/load
}

// Check names every problem with a scenario, as a file and as the command
// line write the field.
func ExampleScenario_Check_problems() {
	s := load.Scenario{Kind: load.Pull, Rate: load.Rate{Freq: 50, Per: time.Second},
		PullURL: "https://example.com/pull", Network: "example.fyre.co", Key: "network-key"}
	_, err := s.Check()
	fmt.Println(errors.Is(err, load.ErrScenario))
	fmt.Println(err)
	// Output:
	// true
	// pull_url (--pull-url): not a Pull URL template: "https://example.com/pull" has no {id}: write the literal {id} where the user id goes, e.g. https://example.com/pull?id={id} (spec 1.3)
	// duration (--duration): required, and positive, such as 60s
}
