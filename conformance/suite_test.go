package conformance

import (
	"context"
	"testing"

	"p4p/reports"
)

// TestSuite runs the Ginkgo suite under go test against the embedded
// default, as `ginkgo ./conformance` or `go test ./conformance` would:
// every spec passes. The Ginkgo suite runs once per process, so this is
// the package's only RunSuite; other tests call Execute.
func TestSuite(t *testing.T) {
	env, err := Start(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	report, err := RunSuite(env, t, Output{NoColor: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range report.Results {
		if res.Outcome != reports.Passed {
			t.Errorf("%s: %s: %s", res.ID, res.Outcome, res.Message)
		}
	}
	if _, err := RunSuite(env, t, Output{}); err != ErrRan {
		t.Errorf("a second RunSuite: %v, want ErrRan", err)
	}
}
