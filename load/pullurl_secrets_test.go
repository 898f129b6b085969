package load_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"p4p/load"
)

// TestPullURLSecretsRedacted: the reports of a run against a Pull URL
// with user info and an API key show neither, raw results included.
func TestPullURLSecretsRedacted(t *testing.T) {
	const password, apiKey = "hunter2-password", "SECRET-API-KEY"
	e := startEndpoint(t, "", 5, 0)
	e.URL = strings.Replace(e.URL, "://", "://p4p-user:"+password+"@", 1) + "&api_key=" + apiKey
	s := pullScenario(t, e, "20/s", time.Second)
	l, err := load.Run(context.Background(), s, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if requests, _, _ := e.counts(); requests == 0 {
		t.Fatal("the endpoint saw no pull")
	}
	if !strings.Contains(l.Endpoint, "api_key=[redacted]") || strings.Contains(l.Endpoint, password) {
		t.Errorf("endpoint %q, want the password and the API key redacted", l.Endpoint)
	}
	checkReportFiles(t, s.ReportDir, password, apiKey)
}
