package reports_test

import (
	"log"
	"os"
	"time"

	"p4p/reports"
)

// A producer fills in the results, tallies them and renders the
// terminal summary.
func ExampleConformance_WriteText() {
	c := &reports.Conformance{
		Suite:          "p4p conformance",
		SuiteVersion:   "1.0.0",
		HarnessVersion: "v0.3.0",
		Endpoint:       "https://app.example.org/p4p/pull?id={id}",
		Network:        "example.fyre.co",
		Livefyre:       "embedded mock",
		Started:        time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		DurationMS:     1520,
		Results: []reports.Result{
			{ID: "P4P-AUTH-001", Requirement: "A pull without lftoken is refused with 403", Level: reports.Must, Outcome: reports.Passed},
			{ID: "P4P-AUTH-007", Requirement: "A refused pull's 403 has an empty body", Level: reports.Must, Outcome: reports.Deviated,
				Message: `The 403 came with the body "Forbidden".`, Fix: "Answer a refused pull with 403 and no body."},
			{ID: "P4P-RESP-004", Requirement: "A profile response forbids caching", Level: reports.Should, Outcome: reports.Warned,
				Message: "No Cache-Control header.", Fix: "Send Cache-Control: no-store."},
		},
	}
	c.Tally()
	if err := c.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// p4p conformance 1.0.0
	//   Endpoint: https://app.example.org/p4p/pull?id={id}
	//   Network:  example.fyre.co
	//   Livefyre: embedded mock
	//   Started:  2025-03-14T09:26:53Z, took 1.52s
	//   Harness:  v0.3.0
	//
	// PASS  P4P-AUTH-001  MUST    A pull without lftoken is refused with 403
	// DEV   P4P-AUTH-007  MUST    A refused pull's 403 has an empty body
	// WARN  P4P-RESP-004  SHOULD  A profile response forbids caching
	//
	// Deviations (the sync works; the documented contract is not followed to the letter)
	// ----------------------------------------------------------------------------------
	//
	// DEV   P4P-AUTH-007: A refused pull's 403 has an empty body
	//   The 403 came with the body "Forbidden".
	//   Fix: Answer a refused pull with 403 and no body.
	//
	// Warnings (advice)
	// -----------------
	//
	// WARN  P4P-RESP-004: A profile response forbids caching
	//   No Cache-Control header.
	//   Fix: Send Cache-Control: no-store.
	//
	// CERTIFIED WITH DEVIATIONS: 1 passed, 1 deviation, 1 warning, 0 failed, 0 skipped
}
