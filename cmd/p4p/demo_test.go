package main

import (
	"strings"
	"testing"
)

// TestDemoShowsBothMoments: the demo renames a user and shows when the
// name was stored (Studio) and when a bootstrap refresh showed it (the
// app), and what the Auth API answers with the session's old token (the
// old name: the token wins) and with a fresh one (the new name).
func TestDemoShowsBothMoments(t *testing.T) {
	out := run(t, nil, "demo", "--time-scale", "600")
	for _, want := range []string{
		"stored (Studio > Users)", "visible (app, bootstrap)", "app.visible: collection ",
		`Auth API with the session's token (minted before the rename): displayName "Grace Lovelace 1" (`,
		`Auth API with a fresh token from a re-login: displayName "Grace Lovelace 1 (renamed by p4p demo)"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "stored (Studio") > strings.Index(out, "visible (app") {
		t.Errorf("demo shows visible before stored:\n%s", out)
	}
}
