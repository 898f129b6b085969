package main

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"p4p/mockserver"
	"p4p/token"
)

// These tests hold each rule of the protocol to one behaviour in every
// command: each rule has one home, the root package p4p, and a command
// that took its own copy would drift from the others, as p4p mock once
// started on a network p4p conformance refused.

// mustRefuse runs p4p with args and wants a usage error whose message
// says want.
func mustRefuse(t *testing.T, want string, args ...string) {
	t.Helper()
	var stderr strings.Builder
	if got := Main(args, io.Discard, &stderr); got != exitUsage {
		t.Errorf("p4p %s: exit %d, want %d (usage); stderr: %s", strings.Join(args, " "), got, exitUsage, stderr.String())
		return
	}
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("p4p %s: stderr %q, want it to say %q", strings.Join(args, " "), stderr.String(), want)
	}
}

// endpoint and loadArgs make a command line valid but for what a test
// changes.
const endpoint = "https://e.example/pull?id={id}"

func loadArgs(extra ...string) []string {
	return append([]string{"load", "pull", "--rate", "1/s", "--duration", "1s", "--report-dir", os.DevNull}, extra...)
}

// TestNetworkRuleEverywhere: spec 3.1's network name is the same for the
// mock, the reference endpoint, conformance, load and token: evilfyre.co
// ends in "fyre.co", as Python's check wants, but not in ".fyre.co", as
// every real network name does, and every command refuses it the same way.
func TestNetworkRuleEverywhere(t *testing.T) {
	t.Setenv("P4P_NETWORK", "")
	t.Setenv("P4P_NETWORK_KEY", "k")
	const want = `"evilfyre.co" does not end in .fyre.co after a name`
	net := []string{"--network", "evilfyre.co"}
	mustRefuse(t, want, append([]string{"mock"}, net...)...)
	mustRefuse(t, want, append([]string{"refapp"}, net...)...)
	mustRefuse(t, want, append([]string{"token"}, net...)...)
	mustRefuse(t, want, append([]string{"conformance", "--pull-url", endpoint, "--user", "u-1"}, net...)...)
	mustRefuse(t, want, loadArgs(append([]string{"--pull-url", endpoint}, net...)...)...)
	mustRefuse(t, want, loadArgs("--scenario", writeFile(t, "s.yaml", "scenario: pull\nrate: 1/s\nduration: 1s\nnetwork: evilfyre.co\n"))...)
	if err := (mockserver.Config{Network: "evilfyre.co", Key: "k"}).Validate(); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("mockserver.Config.Validate = %v, want it to say %q", err, want)
	}
}

// TestTemplateRuleEverywhere: spec 1.3's {id} is the same for every
// command: {ID} is no placeholder, and conformance, load and the mock's
// registration all refuse it; %7Bid%7D, {id} as a URL library encodes it,
// is a placeholder the tools fill, so that conformance can report what
// Livefyre makes of it, and the mock's registration refuses it, as every
// SDK refuses a template without the literal {id}.
func TestTemplateRuleEverywhere(t *testing.T) {
	t.Setenv("P4P_NETWORK", "x.fyre.co")
	t.Setenv("P4P_NETWORK_KEY", "k")
	const upper, encoded = "https://e.example/pull?id={ID}", "https://e.example/pull?id=%7Bid%7D"
	const want = "has no {id}: write the literal {id} where the user id goes, e.g. https://example.com/pull?id={id}; {ID} is not it"
	mustRefuse(t, want, "conformance", "--pull-url", upper, "--user", "u-1")
	mustRefuse(t, want, loadArgs("--pull-url", upper)...)
	mustRefuse(t, want, loadArgs("--scenario", writeFile(t, "s.yaml", "scenario: pull\nrate: 1/s\nduration: 1s\npull_url: '"+upper+"'\nnetwork: x.fyre.co\n"))...)

	c, _, err := conformanceConfig([]string{"--pull-url", encoded, "--user", "u-1"}, io.Discard)
	if err == nil {
		err = c.Validate()
	}
	if err != nil {
		t.Errorf("p4p conformance --pull-url %s: %v; want it accepted, for P4P-PIPE-001 to report", encoded, err)
	}
	if _, _, err := loadScenario(loadArgs("--pull-url", encoded)[1:], io.Discard); err != nil {
		t.Errorf("p4p load --pull-url %s: %v; want it accepted", encoded, err)
	}

	m, err := mockserver.Start(mockserver.Config{Network: "x.fyre.co", Key: "k", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	tok, err := token.System("x.fyre.co", "k", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// By hand, not with livefyre.Client, which refuses both before
	// sending them, as the SDKs do.
	for _, tt := range []struct {
		template string
		want     int
	}{{upper, http.StatusBadRequest}, {encoded, http.StatusBadRequest}, {endpoint, http.StatusNoContent}} {
		resp, err := http.PostForm(m.URL+"/", url.Values{"actor_token": {tok}, "pull_profile_url": {tt.template}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("registering %s: status %d (%s), want %d", tt.template, resp.StatusCode, body, tt.want)
		}
	}
}

// TestUsersFileRuleEverywhere: a users file is read one way (spec 2.3's
// user ids, unique, ids or profiles) by p4p refapp --users-file and p4p
// load --users.
func TestUsersFileRuleEverywhere(t *testing.T) {
	t.Setenv("P4P_NETWORK", "x.fyre.co")
	t.Setenv("P4P_NETWORK_KEY", "k")
	for _, tt := range []struct{ name, content, want string }{
		{"id with a space and a slash", `["u-1", "a b/c"]`, `user id at index 1: not a user id: "a b/c"`},
		{"profile id with a space and a slash", `[{"id":"a b/c","display_name":"A"}]`, `user id at index 0: not a user id: "a b/c"`},
		{"duplicate", `["u-1", "u-1"]`, "already at index 0"},
		{"not an array", `{"id":"u-1"}`, "want a JSON array of user ids or of profiles"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := writeFile(t, "users.json", tt.content)
			mustRefuse(t, tt.want, "refapp", "--users-file", f)
			mustRefuse(t, tt.want, loadArgs("--users", f)...)
		})
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTokenNearMiss: p4p token --near-miss prints each near miss that
// --near-miss list names, and p4p token --check refuses every one, as the
// reproducers of P4P-AUTH-010 rely on.
func TestTokenNearMiss(t *testing.T) {
	base := []string{"token", "--network", "x.fyre.co", "--key", "secret-key"}
	var list, stderr strings.Builder
	if code := Main(append(base, "--near-miss", "list"), &list, &stderr); code != exitOK {
		t.Fatalf("--near-miss list: exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(list.String()), "\n")
	if len(lines) < 40 {
		t.Fatalf("--near-miss list: %d near misses, want the whole family:\n%s", len(lines), list.String())
	}
	for _, line := range lines {
		name := strings.TrimSpace(line[strings.Index(line, "  "):])
		var tok strings.Builder
		if code := Main(append(base, "--near-miss", name), &tok, &stderr); code != exitOK {
			t.Fatalf("--near-miss %q: exit %d: %s", name, code, stderr.String())
		}
		if code := Main(append(base, "--check", strings.TrimSpace(tok.String())), io.Discard, io.Discard); code != exitFail {
			t.Errorf("--check of the near miss %q: exit %d, want %d (refused)", name, code, exitFail)
		}
	}
}

// TestTokenValidForm: p4p token --valid-form prints each valid form that
// --valid-form list names, and p4p token --check accepts every one, as the
// reproducers of P4P-AUTH-011 rely on.
func TestTokenValidForm(t *testing.T) {
	base := []string{"token", "--network", "x.fyre.co", "--key", "secret-key"}
	var list, stderr strings.Builder
	if code := Main(append(base, "--valid-form", "list"), &list, &stderr); code != exitOK {
		t.Fatalf("--valid-form list: exit %d: %s", code, stderr.String())
	}
	names := strings.Split(strings.TrimSpace(list.String()), "\n")
	if len(names) < 4 {
		t.Fatalf("--valid-form list: %d forms, want every one:\n%s", len(names), list.String())
	}
	for _, name := range names {
		var tok strings.Builder
		if code := Main(append(base, "--valid-form", name), &tok, &stderr); code != exitOK {
			t.Fatalf("--valid-form %q: exit %d: %s", name, code, stderr.String())
		}
		if code := Main(append(base, "--check", strings.TrimSpace(tok.String())), io.Discard, &stderr); code != exitOK {
			t.Errorf("--check of the valid form %q: exit %d, want %d (accepted): %s", name, code, exitOK, stderr.String())
		}
	}
}
