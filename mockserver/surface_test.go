package mockserver_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/token"
)

// TestRegister covers every form the SDKs send the registration in (spec
// 3.2, 6.3) and the errors.
func TestRegister(t *testing.T) {
	s := startMock(t, nil)
	good := systemToken(t)
	other, _ := token.System("other.fyre.co", key, time.Hour, time.Now())
	const tmpl = "https://example.com/p?id={id}"
	tests := []struct {
		name        string
		query       url.Values
		body        string
		contentType string
		want        int
		wantMsg     string
	}{
		{"form body (Node, PHP, Ruby)", nil, form("actor_token", good, "pull_profile_url", tmpl), "application/x-www-form-urlencoded", 204, ""},
		{"form body labelled JSON (Python)", nil, form("actor_token", good, "pull_profile_url", tmpl), "application/json", 204, ""},
		{"query, empty body (Java, V2)", url.Values{"actor_token": {good}, "pull_profile_url": {tmpl}}, "", "", 204, ""},
		{"pull_profile (C#)", nil, form("actor_token", good, "pull_profile", tmpl), "application/x-www-form-urlencoded", 204, ""},
		{"JSON object body", nil, `{"actor_token":"` + good + `","pull_profile_url":"` + tmpl + `"}`, "application/json", 204, ""},
		{"template without a query", nil, form("actor_token", good, "pull_profile_url", "http://example.com/livefyre/{id}/pull"), "", 204, ""},
		{"missing token", nil, form("pull_profile_url", tmpl), "", 403, "token missing"},
		{"token for another network", nil, form("actor_token", other, "pull_profile_url", tmpl), "", 403, "another network"},
		{"missing template", nil, form("actor_token", good), "", 400, "pull_profile_url missing"},
		{"template without {id}", nil, form("actor_token", good, "pull_profile_url", "https://example.com/p"), "", 400, "{id}"},
		{"not http", nil, form("actor_token", good, "pull_profile_url", "ftp://example.com/{id}"), "", 400, "http or https"},
		{"no host", nil, form("actor_token", good, "pull_profile_url", "http:///{id}"), "", 400, "no host"},
		{"{id} in the host", nil, form("actor_token", good, "pull_profile_url", "https://{id}.example.com/p"), "", 400, "path or query"},
		{"{id} in the user info", nil, form("actor_token", good, "pull_profile_url", "https://{id}@example.com/p"), "", 400, "path or query"},
		{"{id} in the fragment only", nil, form("actor_token", good, "pull_profile_url", "https://example.com/p#{id}"), "", 400, "path or query"},
		{"template too long", nil, form("actor_token", good, "pull_profile_url", "https://e.com/{id}?"+strings.Repeat("a", 3000)), "", 400, "over the limit of 2048"},
		{"body too large", nil, form("actor_token", good, "pull_profile_url", tmpl, "pad", strings.Repeat("x", 70<<10)), "", 413, "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := s.URL + "/"
			if tt.query != nil {
				u += "?" + tt.query.Encode()
			}
			if tt.contentType == "" {
				tt.contentType = "application/x-www-form-urlencoded"
			}
			resp, err := http.Post(u, tt.contentType, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == http.StatusNoContent {
				return
			}
			if env := decodeEnvelope(t, resp); !strings.Contains(env.Msg, tt.wantMsg) || env.Code != tt.want {
				t.Errorf("error %d %q, want %d and %q", env.Code, env.Msg, tt.want, tt.wantMsg)
			}
		})
	}
}

// TestPingForms covers both ping paths and every place the SDKs put the
// token (spec 3.3, 6.1, 6.2), and the errors.
func TestPingForms(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) { c.Owners = []string{"owner-1"} })
	good := systemToken(t)
	owner, _ := token.User(network, key, "owner-1", "Owner", time.Hour, time.Now(), token.StyleInteger)
	user, _ := token.User(network, key, "someone", "Someone", time.Hour, time.Now(), token.StyleInteger)
	node, _ := token.User(network, key, "system", "system", time.Hour, time.Now(), token.StyleNode)
	expired, _ := token.System(network, key, time.Hour, time.Now().Add(-2*time.Hour))
	v30 := "/api/v3.0/user/u-1/refresh"
	v3_0 := "/api/v3_0/user/u-1/refresh"
	tests := []struct {
		name, method, path, query, body, contentType string
		want                                         int
	}{
		{"v3_0, form body (SDKs)", "POST", v3_0, "", form("lftoken", good), "application/x-www-form-urlencoded", 200},
		{"v3.0, query (docs, Java)", "POST", v30, "lftoken=" + good, "", "", 200},
		{"form body labelled JSON (Python)", "POST", v3_0, "", form("lftoken", good), "application/json", 200},
		{"C# malformed body", "POST", v3_0, "", "https://test.quill.fyre.co&lftoken=" + good, "application/json", 200},
		{"Node token (float expires, iat)", "POST", v3_0, "", form("lftoken", node), "", 200},
		{"network owner", "POST", v3_0, "", form("lftoken", owner), "", 200},
		{"ids with . - _", "POST", "/api/v3_0/user/a.b-c_d/refresh", "", form("lftoken", good), "", 200},
		{"missing token", "POST", v3_0, "", "", "", 403},
		{"ordinary user's token", "POST", v3_0, "", form("lftoken", user), "", 403},
		{"expired token", "POST", v3_0, "", form("lftoken", expired), "", 403},
		{"garbage token", "POST", v3_0, "", form("lftoken", "not.a.jwt"), "", 403},
		{"id with a space", "POST", "/api/v3_0/user/a%20b/refresh", "", form("lftoken", good), "", 400},
		{"id with a slash", "POST", "/api/v3_0/user/a%2Fb/refresh", "", form("lftoken", good), "", 400},
		{"id .. as a dot segment", "POST", "/api/v3_0/user/%2E%2E/refresh", "", form("lftoken", good), "", 400},
		{"id . as a dot segment", "POST", "/api/v3_0/user/%2E/refresh", "", form("lftoken", good), "", 400},
		{"id ... is an id", "POST", "/api/v3_0/user/.../refresh", "", form("lftoken", good), "", 200},
		{"id too long", "POST", "/api/v3_0/user/" + strings.Repeat("a", 300) + "/refresh", "", form("lftoken", good), "", 400},
		{"body too large", "POST", v3_0, "", form("lftoken", good, "pad", strings.Repeat("x", 70<<10)), "", 413},
		{"GET is not a ping", "GET", v3_0, "lftoken=" + good, "", "", 405},
		{"unknown route", "POST", "/api/v3_0/user/u-1/refresh/extra", "", "", "", 404},
		{"unknown API", "GET", "/api/v3.0/nothing", "", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := s.URL + tt.path
			if tt.query != "" {
				u += "?" + tt.query
			}
			req, _ := http.NewRequest(tt.method, u, strings.NewReader(tt.body))
			if tt.contentType == "" {
				tt.contentType = "application/x-www-form-urlencoded"
			}
			req.Header.Set("Content-Type", tt.contentType)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			env := decodeEnvelope(t, resp)
			if resp.StatusCode != tt.want || env.Code != tt.want {
				t.Fatalf("status %d (envelope code %d, %q), want %d", resp.StatusCode, env.Code, env.Msg, tt.want)
			}
			if strings.Contains(env.Msg, good) {
				t.Errorf("error message contains the token")
			}
		})
	}
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

func TestProfilesAuth(t *testing.T) {
	s := startMock(t, nil)
	for _, path := range []string{"/profiles/", "/profiles/u-1"} {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s without actor_token: status %d, want 403", path, resp.StatusCode)
		}
	}
	if _, ok := getProfile(t, s, "never-pinged"); ok {
		t.Errorf("GET /profiles/never-pinged: found, want 404")
	}
}

// TestProfilesListing: the V2 listing (spec 4) is a JSON array of every
// stored remote profile, empty before any pull.
func TestProfilesListing(t *testing.T) {
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, nil)
	list := func() []livefyre.RemoteProfile {
		t.Helper()
		resp, err := http.Get(s.URL + "/profiles/?actor_token=" + url.QueryEscape(systemToken(t)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got []livefyre.RemoteProfile
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /profiles/: status %d, %v", resp.StatusCode, err)
		}
		return got
	}
	if got := list(); got == nil || len(got) != 0 {
		t.Fatalf("empty store: %v, want []", got)
	}
	register(t, s, e.template())
	for _, id := range []string{"u-1", "u.2", "u_3"} {
		ping(t, s, id)
		awaitOutcome(t, s, id)
	}
	got := list()
	ids := map[string]bool{}
	for _, rp := range got {
		ids[rp.ID] = rp.Sync.Outcome == livefyre.OutcomeSucceeded && displayName(t, rp) == "Ada"
	}
	if len(got) != 3 || !ids["u-1"] || !ids["u.2"] || !ids["u_3"] {
		t.Errorf("listing %+v, want the three stored profiles", got)
	}
}
