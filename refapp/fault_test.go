package refapp_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"p4p/refapp"
)

// allFaults are the Fault constants, as written in fault.go.
var allFaults = []refapp.Fault{
	refapp.FaultNoAuth, refapp.FaultNoSignatureCheck, refapp.FaultAnyDomain, refapp.FaultAnyUser,
	refapp.FaultNoExpiryCheck, refapp.FaultAlgNone, refapp.FaultLooseClaims, refapp.FaultForbiddenBody, refapp.FaultRequireIAT,
	refapp.FaultIntegerExpiresOnly, refapp.FaultTextHTML, refapp.FaultJSONP, refapp.FaultNoDisplayName,
	refapp.FaultBadTags, refapp.FaultNormalizedID, refapp.FaultExtraFields, refapp.FaultLocalURLs, refapp.FaultUnknown200, refapp.FaultSamePerson,
	refapp.FaultUnknown503, refapp.FaultDottedIDs, refapp.FaultEncodedTemplate, refapp.FaultUnstableProfile,
	refapp.FaultStaleCache, refapp.FaultSlow, refapp.FaultPlainHTTP, refapp.FaultEchoToken, refapp.FaultEchoTokenEncoded,
	refapp.FaultHookNoPing, refapp.FaultForbiddenProfile, refapp.FaultBadRequest, refapp.FaultTrustConnection,
	refapp.FaultRequireTyp, refapp.FaultFirstChangeOnly, refapp.FaultSharedUpdate,
	refapp.FaultStaleUserToken,
}

func TestFaultList(t *testing.T) {
	var got []refapp.Fault
	for _, fi := range refapp.Faults() {
		got = append(got, fi.Fault)
		if d := fi.Description; !strings.HasSuffix(d, ".") || strings.Count(d, ". ") > 0 {
			t.Errorf("%s: got description %q, want one sentence", fi.Fault, d)
		}
	}
	want := slices.Sorted(slices.Values(allFaults))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Faults() (-want +got):\n%s", diff)
	}
}

func TestParseFault(t *testing.T) {
	for _, f := range append([]refapp.Fault{""}, allFaults...) {
		if got, err := refapp.ParseFault(string(f)); got != f || err != nil {
			t.Errorf("ParseFault(%q): got %q, %v; want %q, nil", f, got, err, f)
		}
	}
	_, err := refapp.ParseFault("nope")
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "no-auth, no-display-name") {
		t.Errorf(`ParseFault("nope"): got %v, want an error naming it and listing the faults`, err)
	}
}

// faultCase is a fault, any other config it needs, and the check that it
// breaks its requirement and leaves the others alone.
type faultCase struct {
	fault  refapp.Fault
	change func(*refapp.Config)
	check  func(t *testing.T, s *refapp.Server)
}

// TestFaults starts a refapp, over HTTPS, with each fault in turn.
func TestFaults(t *testing.T) {
	cases := append(tokenFaultCases(t), responseFaultCases()...)
	cases = append(cases, hookFaultCases(t)...)
	cases = append(cases, userTokenFaultCases()...)
	var covered []refapp.Fault
	for _, tc := range cases {
		covered = append(covered, tc.fault)
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(allFaults)), slices.Sorted(slices.Values(covered))); diff != "" {
		t.Errorf("faults tested (-want +got):\n%s", diff)
	}
	for _, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			t.Parallel()
			s := start(t, func(c *refapp.Config) {
				c.Fault, c.TLS = tc.fault, true
				if tc.change != nil {
					tc.change(c)
				}
			})
			tc.check(t, s)
		})
	}
}

// pull pulls id with tok through s.Client, at the default pull path.
func pull(t *testing.T, s *refapp.Server, id, tok string) (*http.Response, []byte) {
	t.Helper()
	q := url.Values{}
	if id != "" {
		q.Set("id", id)
	}
	if tok != "" {
		q.Set("lftoken", tok)
	}
	return get(t, s.Client(), s.URL+"/pull?"+q.Encode())
}

// get sends a GET with c and reads the whole answer.
func get(t *testing.T, c *http.Client, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// wantJSON is the profile s should serve for id.
func wantJSON(t *testing.T, s *refapp.Server, id string) []byte {
	t.Helper()
	p, ok := s.User(id)
	if !ok {
		t.Fatalf("no user %q", id)
	}
	body, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// served fails unless a pull of id with tok gets the user's profile, as
// the correct endpoint serves it.
func served(t *testing.T, s *refapp.Server, id, tok string) {
	t.Helper()
	resp, body := pull(t, s, id, tok)
	if want := wantJSON(t, s, id); resp.StatusCode != http.StatusOK || string(body) != string(want) {
		t.Errorf("pull %s: got %d %s, want 200 %s", id, resp.StatusCode, body, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("pull %s: got Content-Type %q, want application/json; charset=utf-8", id, ct)
	}
}

// refused fails unless a pull of id with tok is 403 with no body.
func refused(t *testing.T, s *refapp.Server, id, tok string) {
	t.Helper()
	resp, body := pull(t, s, id, tok)
	if resp.StatusCode != http.StatusForbidden || len(body) != 0 || resp.Header.Get("Content-Type") != "" {
		t.Errorf("pull %s: got %d %q (Content-Type %q), want 403 with no body",
			id, resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
}

// fields decodes a JSON object.
func fields(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return m
}

func TestFaultDelayBeyond(t *testing.T) {
	tests := []struct{ budget, want time.Duration }{
		{0, 0},
		{100 * time.Millisecond, 250 * time.Millisecond},
		{500 * time.Millisecond, 1250 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := refapp.FaultDelayBeyond(tt.budget); got != tt.want {
			t.Errorf("FaultDelayBeyond(%v) = %v, want %v", tt.budget, got, tt.want)
		}
	}
}
