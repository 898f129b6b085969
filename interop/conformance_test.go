package interop

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"p4p/conformance"
	"p4p/reports"
)

// TestConformanceAgreesWithSDK certifies a Pull endpoint whose token check
// is the official Node SDK's validateLivefyreToken: every auth spec must
// pass, so the suite refuses and accepts exactly the tokens the SDK does
// (spec 2.4), and the response specs pass on what such an endpoint serves.
func TestConformanceAgreesWithSDK(t *testing.T) {
	node, _ := nodeSDK(t)
	users := []string{"u-1001", "user.1002", "user_1003"}
	endpoint := startNode(t, node, filepath.Join("node", "sdk_endpoint.js"),
		"NETWORK="+network, "NETWORK_KEY="+key, "USERS="+strings.Join(users, ","))
	env, err := conformance.Start(context.Background(), conformance.Config{
		PullURL: endpoint + "/pull?id={id}", Network: network, Key: key, Users: users})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	run := conformance.NewRun(env)
	for _, s := range conformance.Specs() {
		res := run.Execute(context.Background(), s)
		want := reports.Passed
		switch {
		case s.ID == "P4P-PIPE-003", s.ID == "P4P-PIPE-004":
			want = reports.Skipped // no update hook, no user-token URL
		case s.ID == "P4P-SEC-001":
			want = reports.Warned // plain http on loopback
		}
		if res.Outcome != want {
			t.Errorf("%s against the SDK endpoint: %s (%s), want %s", s.ID, res.Outcome, res.Message, want)
		}
		if s.ID == "P4P-AUTH-010" {
			// The near misses the SDK lets through are served, and
			// noted, not held against the endpoint.
			notes := strings.Join(res.Notes, "\n")
			for _, m := range []string{`alg "HS384", signed with the key`, "user_id a list holding the right value",
				"expires a future time as a numeric string"} {
				if !strings.Contains(notes, m) || !strings.Contains(notes, "not held against the endpoint") {
					t.Errorf("P4P-AUTH-010's notes do not name %q as served but not held against it:\n%s", m, notes)
				}
			}
		}
	}
}
