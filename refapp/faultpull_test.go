package refapp_test

import (
	"context"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"p4p/refapp"
)

func responseFaultCases() []faultCase {
	return []faultCase{
		{fault: refapp.FaultTextHTML, check: checkTextHTML},
		{fault: refapp.FaultJSONP, check: checkJSONP},
		{fault: refapp.FaultNoDisplayName, check: checkEdited("u-0001", func(want map[string]any) {
			delete(want, "display_name")
		})},
		{fault: refapp.FaultBadTags, check: checkEdited("user_0003", func(want map[string]any) {
			want["tags"] = append(want["tags"].([]any), "beta-tester")
		})},
		{fault: refapp.FaultNormalizedID, check: checkNormalizedID},
		{fault: refapp.FaultExtraFields, check: checkEdited("u-0001", func(want map[string]any) {
			name := want["name"].(map[string]any)
			want["first_name"], want["last_name"] = name["first"], name["last"]
		})},
		{fault: refapp.FaultLocalURLs, check: checkEdited("user.0002", func(want map[string]any) {
			want["image_url"] = "http://localhost:8080/avatars/user.0002.png"
		})},
		{fault: refapp.FaultUnknown200, check: checkUnknown200},
		{fault: refapp.FaultSamePerson, check: func(t *testing.T, s *refapp.Server) {
			// The first user is served as they are; every other user
			// gets the first user's profile under their own id.
			checkEdited("u-0001", func(map[string]any) {})(t, s)
			checkEdited("user.0002", func(want map[string]any) {
				first := fields(t, wantJSON(t, s, "u-0001"))
				clear(want)
				maps.Copy(want, first)
				want["id"] = "user.0002"
			})(t, s)
		}},
		{fault: refapp.FaultUnknown503, check: checkUnknown503},
		{fault: refapp.FaultDottedIDs, check: checkDottedIDs},
		{fault: refapp.FaultEncodedTemplate, check: checkEncodedTemplate},
		{fault: refapp.FaultUnstableProfile, check: checkUnstableProfile},
		{fault: refapp.FaultStaleCache, check: checkStaleCache},
		{fault: refapp.FaultSlow, change: func(c *refapp.Config) { c.FaultDelay = 50 * time.Millisecond }, check: checkSlow},
		{fault: refapp.FaultPlainHTTP, check: checkPlainHTTP},
		{fault: refapp.FaultEchoToken, check: checkEchoToken},
		{fault: refapp.FaultEchoTokenEncoded, check: checkEchoTokenEncoded},
	}
}

func checkTextHTML(t *testing.T, s *refapp.Server) {
	resp, body := pull(t, s, "u-0001", systemToken(t))
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/html; charset=utf-8" {
		t.Errorf("got %d Content-Type %q, want 200 text/html; charset=utf-8", resp.StatusCode, ct)
	}
	if want := wantJSON(t, s, "u-0001"); string(body) != string(want) {
		t.Errorf("got body %s, want %s", body, want)
	}
	refused(t, s, "u-0001", "")
}

func checkJSONP(t *testing.T, s *refapp.Server) {
	resp, body := pull(t, s, "user.0002", systemToken(t))
	want := "callback(" + string(wantJSON(t, s, "user.0002")) + ");"
	if resp.StatusCode != http.StatusOK || string(body) != want {
		t.Errorf("got %d %s, want 200 %s", resp.StatusCode, body, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("got Content-Type %q, want application/json; charset=utf-8", ct)
	}
	if resp, _ := pull(t, s, "nobody", systemToken(t)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown user: got %d, want 404", resp.StatusCode)
	}
}

// checkEdited is a check that a pull of id serves the correct profile
// with edit applied, and nothing else changed.
func checkEdited(id string, edit func(want map[string]any)) func(*testing.T, *refapp.Server) {
	return func(t *testing.T, s *refapp.Server) {
		resp, body := pull(t, s, id, systemToken(t))
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "application/json; charset=utf-8" {
			t.Errorf("got %d Content-Type %q, want 200 application/json", resp.StatusCode, ct)
		}
		want := fields(t, wantJSON(t, s, id))
		edit(want)
		if diff := cmp.Diff(want, fields(t, body)); diff != "" {
			t.Errorf("pulled profile (-want +got):\n%s", diff)
		}
		refused(t, s, id, "")
	}
}

func checkNormalizedID(t *testing.T, s *refapp.Server) {
	checkEdited("a.b-c_0004", func(want map[string]any) { want["id"] = "a.b-c-0004" })(t, s)
	served(t, s, "u-0001", systemToken(t))
	served(t, s, "user.0002", systemToken(t))
}

func checkUnknown200(t *testing.T, s *refapp.Server) {
	resp, body := pull(t, s, "nobody", systemToken(t))
	if got := strings.TrimSpace(string(body)); resp.StatusCode != http.StatusOK || got != `{"id":"nobody","display_name":"Guest"}` {
		t.Errorf(`got %d %s, want 200 {"id":"nobody","display_name":"Guest"}`, resp.StatusCode, got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("got Content-Type %q, want application/json; charset=utf-8", ct)
	}
	served(t, s, "u-0001", systemToken(t))
	refused(t, s, "nobody", "")
}

func checkUnknown503(t *testing.T, s *refapp.Server) {
	resp, body := pull(t, s, "nobody", systemToken(t))
	if resp.StatusCode != http.StatusServiceUnavailable || fields(t, body)["error"] == nil {
		t.Errorf("got %d %s, want 503 with a JSON error", resp.StatusCode, body)
	}
	served(t, s, "a.b-c_0004", systemToken(t))
	if resp, _ := pull(t, s, "", systemToken(t)); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("missing id: got %d, want 400", resp.StatusCode)
	}
}

func checkDottedIDs(t *testing.T, s *refapp.Server) {
	for _, id := range []string{"user.0002", "a.b-c_0004"} {
		if resp, body := pull(t, s, id, systemToken(t)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: got %d %s, want 404", id, resp.StatusCode, body)
		}
	}
	served(t, s, "u-0001", systemToken(t))
	served(t, s, "user_0003", systemToken(t))
	refused(t, s, "user.0002", "")
}

func checkEncodedTemplate(t *testing.T, s *refapp.Server) {
	if tpl := s.PullTemplate(); !strings.HasSuffix(tpl, "/pull?id=%7Bid%7D") || strings.Contains(tpl, "{id}") {
		t.Errorf("got PullTemplate %q, want it to end /pull?id=%%7Bid%%7D", tpl)
	}
	served(t, s, "user_0003", systemToken(t))
	lf := newFakeLivefyre(t, http.StatusOK)
	reg := start(t, func(c *refapp.Config) {
		c.Fault, c.Livefyre, c.Register = refapp.FaultEncodedTemplate, lf.URL, true
	})
	if n := len(lf.seen()); n != 0 {
		t.Errorf("Livefyre saw %d registrations, want 0: the client refuses a template without {id}", n)
	}
	served(t, reg, "u-0001", systemToken(t))
}

func checkUnstableProfile(t *testing.T, s *refapp.Server) {
	p, _ := s.User("user.0002")
	var images []any
	for range 2 {
		_, body := pull(t, s, "user.0002", systemToken(t))
		got, want := fields(t, body), fields(t, wantJSON(t, s, "user.0002"))
		images = append(images, got["image_url"])
		if img, _ := got["image_url"].(string); !strings.HasPrefix(img, p.ImageURL+"&t=") {
			t.Errorf("got image_url %q, want %s&t=…", img, p.ImageURL)
		}
		delete(got, "image_url")
		delete(want, "image_url")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("all but image_url (-want +got):\n%s", diff)
		}
	}
	if images[0] == images[1] {
		t.Errorf("two pulls both got image_url %v, want them to differ", images[0])
	}
}

func checkStaleCache(t *testing.T, s *refapp.Server) {
	tok := systemToken(t)
	before := wantJSON(t, s, "u-0001")
	served(t, s, "u-0001", tok)
	for _, id := range []string{"u-0001", "user.0002"} {
		if _, err := s.Update(context.Background(), refapp.Update{ID: id, DisplayName: ptr("Renamed")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, body := pull(t, s, "u-0001", tok); string(body) != string(before) {
		t.Errorf("pull after the change: got %s, want the stale %s", body, before)
	}
	_, body := get(t, s.Client(), s.URL+"/users")
	if !strings.Contains(string(body), `{"id":"u-0001","display_name":"Renamed"}`) {
		t.Errorf("/users: got %s, want u-0001 Renamed", body)
	}
	served(t, s, "user.0002", tok) // never pulled before the change
}

func checkSlow(t *testing.T, s *refapp.Server) {
	served(t, s, "u-0001", systemToken(t))
	refused(t, s, "u-0001", "")
}

func checkPlainHTTP(t *testing.T, s *refapp.Server) {
	if !strings.HasPrefix(s.URL, "http://") || s.Certificate() != nil {
		t.Errorf("got URL %s and a certificate %v, want http:// and none", s.URL, s.Certificate() != nil)
	}
	if resp, _ := get(t, http.DefaultClient, s.URL+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("plain GET /healthz: got %d, want 200", resp.StatusCode)
	}
	served(t, s, "u-0001", systemToken(t))
	refused(t, s, "u-0001", "")
}

func checkEchoToken(t *testing.T, s *refapp.Server) {
	tok := systemToken(t)
	resp, _ := pull(t, s, "u-0001", tok)
	want := "/pull?" + url.Values{"id": {"u-0001"}, "lftoken": {tok}}.Encode()
	if got := resp.Header.Get("X-Request-Uri"); got != want {
		t.Errorf("got X-Request-Uri %q, want %q", got, want)
	}
	served(t, s, "u-0001", tok)
	if resp, _ := pull(t, s, "u-0001", ""); resp.Header.Get("X-Request-Uri") != "" {
		t.Errorf("a refusal echoes X-Request-Uri %q, want none", resp.Header.Get("X-Request-Uri"))
	}
}

func checkEchoTokenEncoded(t *testing.T, s *refapp.Server) {
	tok := systemToken(t)
	resp, _ := pull(t, s, "u-0001", tok)
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == "p4p_debug" {
			cookie = c.Value
		}
	}
	uri, err := base64.URLEncoding.DecodeString(cookie)
	if err != nil || !strings.Contains(string(uri), url.QueryEscape(tok)) {
		t.Errorf("p4p_debug cookie %q decodes to %q (%v), want the request URI with the token", cookie, uri, err)
	}
	if strings.Contains(resp.Header.Get("Set-Cookie"), tok) {
		t.Error("the token is in the cookie as it is; want it base64url-encoded only")
	}
	served(t, s, "u-0001", tok)
}

func ptr[T any](v T) *T { return &v }
