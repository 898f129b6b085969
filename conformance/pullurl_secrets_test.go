package conformance

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"p4p/reports"
)

// TestPullURLSecretsRedacted: a Pull URL with user info and an API key is
// called with them, and the report of its run, in every file and on the
// terminal, shows neither, even where the endpoint echoes the request.
func TestPullURLSecretsRedacted(t *testing.T) {
	const user, password, apiKey = "p4p-user", "hunter2-password", "SECRET-API-KEY"
	var credentialed atomic.Int64
	env := proxyEnvAt(t, func(proxy string) string {
		return strings.Replace(proxy, "://", "://"+user+":"+password+"@", 1) + "/pull?api_key=" + apiKey + "&id={id}"
	}, func(_ http.ResponseWriter, r *http.Request, id string, body []byte) []byte {
		if u, p, _ := r.BasicAuth(); u == user && p == password && r.URL.Query().Get("api_key") == apiKey {
			credentialed.Add(1)
		}
		if strings.HasPrefix(id, "p4p-unknown-") {
			return []byte("Cannot GET " + r.URL.RequestURI()) // as some frameworks answer
		}
		return body
	})
	run := NewRun(env)
	for _, id := range []string{"P4P-RESP-001", "P4P-USER-002", "P4P-SEC-001"} {
		run.Execute(context.Background(), mustLookup(t, id))
	}
	if credentialed.Load() == 0 {
		t.Fatal("the endpoint never saw the user info and API key: the suite must send them")
	}
	report := run.Report()
	dir := t.TempDir()
	if _, err := reports.WriteDir(dir, report, env.Secrets()...); err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := report.Redact(env.Secrets()...).WriteText(&text); err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{"terminal": text.String()}
	for _, name := range []string{"report.json", "junit.xml", "report.html"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		shown[name] = string(data)
	}
	for where, s := range shown {
		for _, secret := range []string{password, apiKey} {
			if strings.Contains(s, secret) {
				t.Errorf("%s shows %q", where, secret)
			}
		}
	}
	if !strings.Contains(report.Endpoint, "api_key=[redacted]") {
		t.Errorf("endpoint %q, want the API key's name with its value redacted", report.Endpoint)
	}
}
