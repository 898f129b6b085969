package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/token"
)

const (
	network = "interop.fyre.co"
	key     = "exampleprodbase64key"
)

// nodeSDK returns the node binary and the SDK script, skipping the test
// where they are missing, except in CI, where missing is a failure.
func nodeSDK(t *testing.T) (string, string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join("node", "node_modules", "livefyre", "package.json"))
	}
	if err != nil {
		missing(t, "the Node SDK is not installed (run make interop-deps): %v", err)
	}
	return node, filepath.Join("node", "sdk_interop.js")
}

type sdkResult struct {
	Registered               bool   `json:"registered"`
	RefusedTemplateWithoutID bool   `json:"refused_template_without_id"`
	Synced                   bool   `json:"synced"`
	Error                    string `json:"error"`
	Pulls                    []struct {
		Method string `json:"method"`
		ID     string `json:"id"`
		Valid  bool   `json:"valid"`
		Error  string `json:"error"`
	} `json:"pulls"`
}

// TestNodeSDK: setUserSyncUrl and syncUser from the official Node SDK
// register and ping the mock (spec 3.2, 3.3: form bodies, the v3_0 path,
// 204 and 200 exactly, float expires with iat); the mock's pull reaches the
// SDK's own endpoint, whose validateLivefyreToken accepts the mock's token;
// and the profile the SDK served is stored.
func TestNodeSDK(t *testing.T) {
	node, script := nodeSDK(t)
	mock, err := mockserver.Start(mockserver.Config{Network: network, Key: key, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	const user = "sdk.user-1_x"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(os.Environ(), "LIVEFYRE_URL="+mock.URL, "NETWORK="+network, "NETWORK_KEY="+key, "USER_ID="+user)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var got sdkResult
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("node: %v; stdout %q, stderr %q", runErr, stdout.String(), stderr.String())
	}
	if runErr != nil || got.Error != "" {
		t.Fatalf("node: %v: %s (stderr %q)", runErr, got.Error, stderr.String())
	}
	if !got.Registered || !got.Synced || !got.RefusedTemplateWithoutID {
		t.Errorf("SDK result %+v: want registered, synced, and a template without {id} refused", got)
	}
	if len(got.Pulls) != 1 || !got.Pulls[0].Valid || got.Pulls[0].ID != user || got.Pulls[0].Method != http.MethodGet {
		t.Fatalf("pulls seen by the SDK endpoint: %+v; want one GET for %s whose lftoken validateLivefyreToken accepts", got.Pulls, user)
	}
	rp := awaitStored(t, mock.URL, user)
	var p struct {
		DisplayName string `json:"display_name"`
	}
	json.Unmarshal(rp.Profile, &p)
	if rp.Sync.Outcome != livefyre.OutcomeSucceeded || p.DisplayName != "Node SDK user" {
		t.Errorf("stored %+v, %q; want the SDK endpoint's profile", rp.Sync, p.DisplayName)
	}
}

func awaitStored(t *testing.T, base, id string) livefyre.RemoteProfile {
	t.Helper()
	tok, _ := token.System(network, key, time.Hour, time.Now())
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get(base + "/profiles/" + id + "?actor_token=" + url.QueryEscape(tok))
		if err != nil {
			t.Fatal(err)
		}
		var rp livefyre.RemoteProfile
		err = json.NewDecoder(resp.Body).Decode(&rp)
		resp.Body.Close()
		if err == nil && resp.StatusCode == http.StatusOK && rp.Sync.Outcome != livefyre.OutcomePending {
			return rp
		}
	}
	t.Fatalf("no stored profile for %s after 20s", id)
	return livefyre.RemoteProfile{}
}
