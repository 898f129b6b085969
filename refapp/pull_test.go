package refapp_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"p4p/refapp"
	"p4p/token"
)

func TestPull(t *testing.T) {
	s := start(t, nil)
	v := newValidator(t)
	for _, id := range []string{"u-0001", "user.0002", "user_0003", "a.b-c_0004"} {
		for name, tok := range map[string]string{"system": systemToken(t), "node": nodeToken(t)} {
			resp, body := do(t, http.MethodGet, pullURL(s, id, tok), "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s with a %s token: status %d, want 200: %s", id, name, resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("%s: Content-Type %q, want application/json; charset=utf-8", id, ct)
			}
			if _, err := v.Check(body, id); err != nil {
				t.Errorf("%s: the answer fails the profile schema: %v\n%s", id, err, body)
			}
			p, _ := s.User(id)
			if want, _ := p.JSON(); !bytes.Equal(body, want) {
				t.Errorf("%s: got %s, want %s", id, body, want)
			}
		}
	}
}

func TestPullRefused(t *testing.T) {
	s := start(t, nil)
	hour := time.Hour
	mint := func(f func() (string, error)) string {
		tok, err := f()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tests := []struct{ name, tok string }{
		{"missing", ""},
		{"garbage", "not.a.token"},
		{"wrong key", mint(func() (string, error) { return token.System(network, "another-key", hour, time.Now()) })},
		{"other domain", mint(func() (string, error) { return token.System("other.fyre.co", key, hour, time.Now()) })},
		{"not system", mint(func() (string, error) {
			return token.User(network, key, "u-0001", "Ada", hour, time.Now(), token.StyleInteger)
		})},
		{"expired", mint(func() (string, error) { return token.System(network, key, hour, time.Now().Add(-2*hour)) })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, id := range []string{"u-0001", "nobody", ""} {
				resp, body := do(t, http.MethodGet, pullURL(s, id, tt.tok), "")
				if resp.StatusCode != http.StatusForbidden || len(body) != 0 {
					t.Errorf("id %q: got %d %q, want 403 with an empty body", id, resp.StatusCode, body)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "" {
					t.Errorf("id %q: got Content-Type %q, want none", id, ct)
				}
			}
		})
	}
}

func TestPullStatuses(t *testing.T) {
	s := start(t, func(c *refapp.Config) { c.PullPath = "/livefyre/profile" })
	tok := systemToken(t)
	tests := []struct {
		name, method, url string
		want              int
	}{
		{"unknown user", http.MethodGet, pullURL(s, "nobody", tok), http.StatusNotFound},
		{"missing id", http.MethodGet, pullURL(s, "", tok), http.StatusBadRequest},
		{"POST", http.MethodPost, pullURL(s, "u-0001", tok), http.StatusMethodNotAllowed},
		{"HEAD", http.MethodHead, pullURL(s, "u-0001", tok), http.StatusOK},
		{"other path", http.MethodGet, s.URL + "/pull?id=u-0001&lftoken=" + tok, http.StatusNotFound},
		{"healthz", http.MethodGet, s.URL + "/healthz", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, tt.method, tt.url, "")
			if resp.StatusCode != tt.want {
				t.Errorf("got %d %s, want %d", resp.StatusCode, body, tt.want)
			}
			if tt.want == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("got Allow %q, want \"GET, HEAD\"", resp.Header.Get("Allow"))
			}
		})
	}
}

// TestPullVaryBodies: with VaryBodies every pull of a user gets a body
// never served before, and each one is a valid profile for that user.
func TestPullVaryBodies(t *testing.T) {
	s := start(t, func(c *refapp.Config) { c.VaryBodies = true })
	v := newValidator(t)
	seen := map[string]bool{}
	for range 3 {
		for _, id := range []string{"u-0001", "user.0002"} {
			resp, body := do(t, http.MethodGet, pullURL(s, id, systemToken(t)), "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d, want 200: %s", id, resp.StatusCode, body)
			}
			doc, err := v.Check(body, id)
			if err != nil {
				t.Fatalf("%s: the answer fails the profile schema: %v\n%s", id, err, body)
			}
			if len(doc.Ignored) != 1 || doc.Ignored[0] != refapp.VaryField {
				t.Errorf("%s: ignored fields %q, want only %s", id, doc.Ignored, refapp.VaryField)
			}
			if seen[string(body)] {
				t.Fatalf("%s: body served twice: %s", id, body)
			}
			seen[string(body)] = true
		}
	}
}
