package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"p4p/token"
)

// sdkValidates judges each token with the Node SDK's
// validateLivefyreToken (spec 2.4), for network and key.
func sdkValidates(t *testing.T, network, key string, tokens []string) []bool {
	t.Helper()
	node, _ := nodeSDK(t)
	in, err := json.Marshal(tokens)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("node", "sdk_validate.js"))
	cmd.Env = append(os.Environ(), "NETWORK="+network, "NETWORK_KEY="+key)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node: %v: %s", err, stderr.String())
	}
	var verdicts []bool
	if err := json.Unmarshal(stdout.Bytes(), &verdicts); err != nil || len(verdicts) != len(tokens) {
		t.Fatalf("node: %d verdicts for %d tokens, %v: %q", len(verdicts), len(tokens), err, stdout.String())
	}
	return verdicts
}

// TestNearMissesAgainstTheSDK: the line between the near misses an
// endpoint must refuse and those the official SDK lets through is the
// SDK's own. Every generated near miss is judged by the Node SDK's
// validateLivefyreToken, for keys of the shapes real networks have and
// longer, and the SDK must accept exactly those marked SDKAccepts; the
// valid system tokens the SDKs build must pass it. A near miss added to
// the generator is held to the SDK here with no other change.
func TestNearMissesAgainstTheSDK(t *testing.T) {
	now := time.Now()
	for _, key := range []string{key, "M5X4rTeKsGNRsV2RekagqSIE9UM=", strings.Repeat("a-key-longer-than-32-bytes-", 2)} {
		ms, err := token.NearMisses(network, key, now)
		if err != nil {
			t.Fatal(err)
		}
		integer, err := token.System(network, key, token.DefaultTTL, now)
		if err != nil {
			t.Fatal(err)
		}
		node, err := token.User(network, key, token.SystemUser, token.SystemUser, token.DefaultTTL, now, token.StyleNode)
		if err != nil {
			t.Fatal(err)
		}
		forms, err := token.ValidForms(network, key, now)
		if err != nil {
			t.Fatal(err)
		}
		tokens := []string{integer, node}
		for _, m := range ms {
			tokens = append(tokens, m.Token)
		}
		for _, f := range forms {
			tokens = append(tokens, f.Token)
		}
		verdicts := sdkValidates(t, network, key, tokens)
		if !verdicts[0] || !verdicts[1] {
			t.Fatalf("key %q: the SDK refuses the valid system tokens (integer %v, node %v)", key, verdicts[0], verdicts[1])
		}
		for i, f := range forms {
			if !verdicts[2+len(ms)+i] {
				t.Errorf("key %q: the SDK refuses the valid form %q", key, f.Name)
			}
		}
		accepted := 0
		for i, m := range ms {
			if got := verdicts[i+2]; got != m.SDKAccepts {
				t.Errorf("key %q: %s (%s): the SDK accepts it: %v; the generator says %v", key, m.Name, m.Rule, got, m.SDKAccepts)
			}
			if m.SDKAccepts {
				accepted++
			}
		}
		t.Logf("key of %d bytes: %d near misses, %d of them accepted by the SDK", len(key), len(ms), accepted)
	}
}
