package refapp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"p4p/refapp"
	"p4p/token"
)

// userTokenName asks s for a user token for id and returns the
// display_name it carries, once the token validates as id's.
func userTokenName(t *testing.T, s *refapp.Server, id string) string {
	t.Helper()
	resp, body := get(t, s.Client(), s.URL+refapp.UserTokenPath+"?id="+id)
	var answer struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(body, &answer); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("token for %s: got %d %s, want 200 {\"token\": …}", id, resp.StatusCode, body)
	}
	c, err := token.Validator{Network: network, Key: key, AnyUser: true}.Validate(answer.Token)
	if err != nil || c.UserID != id {
		t.Fatalf("token for %s: user_id %q, %v; want a valid token for %s", id, c.UserID, err, id)
	}
	return c.DisplayName
}

// rename changes id's display name through Server.Update.
func rename(t *testing.T, s *refapp.Server, id, name string) {
	t.Helper()
	if _, err := s.Update(context.Background(), refapp.Update{ID: id, DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
}

func TestUserToken(t *testing.T) {
	s := start(t, nil)
	p, _ := s.User("u-0001")
	if got := userTokenName(t, s, "u-0001"); got != p.DisplayName {
		t.Errorf("display_name %q, want the user's %q", got, p.DisplayName)
	}
	rename(t, s, "u-0001", "Renamed")
	if got := userTokenName(t, s, "u-0001"); got != "Renamed" {
		t.Errorf("after the change: display_name %q, want %q", got, "Renamed")
	}
	tests := []struct {
		name, method, query string
		want                int
	}{
		{"unknown user", http.MethodGet, "?id=nobody", http.StatusNotFound},
		{"no id", http.MethodGet, "", http.StatusBadRequest},
		{"bad id", http.MethodGet, "?id=a%2Fb", http.StatusBadRequest},
		{"POST", http.MethodPost, "?id=u-0001", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		if resp, body := do(t, tt.method, s.URL+refapp.UserTokenPath+tt.query, ""); resp.StatusCode != tt.want {
			t.Errorf("%s: got %d %s, want %d", tt.name, resp.StatusCode, body, tt.want)
		}
	}
}

// userTokenFaultCases: FaultStaleUserToken keeps a user's first token's
// display name, and the rest of the site (pulls) serves the change.
func userTokenFaultCases() []faultCase {
	return []faultCase{{fault: refapp.FaultStaleUserToken,
		change: func(c *refapp.Config) { c.TLS = false },
		check: func(t *testing.T, s *refapp.Server) {
			p, _ := s.User("u-0001")
			if got := userTokenName(t, s, "u-0001"); got != p.DisplayName {
				t.Errorf("first token: display_name %q, want %q", got, p.DisplayName)
			}
			rename(t, s, "u-0001", "Renamed")
			if got := userTokenName(t, s, "u-0001"); got != p.DisplayName {
				t.Errorf("after the change: display_name %q, want the stale %q", got, p.DisplayName)
			}
			if got := pulledName(t, s, "u-0001"); got != "Renamed" {
				t.Errorf("pulled display_name %q, want the change served", got)
			}
			if got := userTokenName(t, s, "user.0002"); got == "Renamed" {
				t.Errorf("another user's token: display_name %q", got)
			}
		}}}
}
