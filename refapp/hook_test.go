package refapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"p4p/refapp"
)

// pulledName is the display_name the Pull endpoint serves for id.
func pulledName(t *testing.T, s *refapp.Server, id string) string {
	t.Helper()
	resp, body := do(t, http.MethodGet, pullURL(s, id, systemToken(t)), "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pull %s: status %d", id, resp.StatusCode)
	}
	var p struct {
		DisplayName string `json:"display_name"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	return p.DisplayName
}

func TestHookPings(t *testing.T) {
	lf := newFakeLivefyre(t, http.StatusOK)
	s := start(t, func(c *refapp.Config) { c.Livefyre = lf.URL })
	const id = "a.b-c_0004"
	resp, body := do(t, http.MethodPost, s.URL+"/hook", `{"id":"a.b-c_0004","display_name":"Renamed","tags":["vip"]}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("hook: status %d %s, want 200", resp.StatusCode, body)
	}
	var got map[string]any
	json.Unmarshal(body, &got)
	want := map[string]any{"id": id, "pinged": true, "pull_id": "pull-" + id}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hook answer (-want +got):\n%s", diff)
	}
	reqs := lf.seen()
	if len(reqs) != 1 || reqs[0].Method != http.MethodPost || reqs[0].Path != "/api/v3_0/user/"+id+"/refresh" {
		t.Fatalf("Livefyre saw %+v, want one POST /api/v3_0/user/%s/refresh", reqs, id)
	}
	checkSystemToken(t, reqs[0].Form.Get("lftoken"))
	if got := pulledName(t, s, id); got != "Renamed" {
		t.Errorf("pulled display_name %q, want Renamed", got)
	}
	if p, _ := s.User(id); !cmp.Equal(p.Tags, []string{"vip"}) || p.Email != id+"@example.org" {
		t.Errorf("got tags %v email %q, want [vip] and the email unchanged", p.Tags, p.Email)
	}
}

// hookFaultCases are the faults of the update hook; each has a Livefyre
// of its own, whose pings it counts.
func hookFaultCases(t *testing.T) []faultCase {
	noPing, firstOnly, shared := newFakeLivefyre(t, http.StatusOK), newFakeLivefyre(t, http.StatusOK), newFakeLivefyre(t, http.StatusOK)
	return []faultCase{{fault: refapp.FaultHookNoPing,
		change: func(c *refapp.Config) { c.TLS, c.Livefyre = false, noPing.URL },
		check: func(t *testing.T, s *refapp.Server) {
			resp, body := do(t, http.MethodPost, s.URL+"/hook", `{"id":"u-0001","display_name":"Not announced"}`)
			var got map[string]any
			json.Unmarshal(body, &got)
			if want := map[string]any{"id": "u-0001", "pinged": false}; resp.StatusCode != http.StatusOK || !cmp.Equal(got, want) {
				t.Errorf("hook: got %d %s, want 200 %v", resp.StatusCode, body, want)
			}
			if reqs := noPing.seen(); len(reqs) != 0 {
				t.Errorf("Livefyre saw %+v, want no ping", reqs)
			}
			if got := pulledName(t, s, "u-0001"); got != "Not announced" {
				t.Errorf("pulled display_name %q, want the change applied", got)
			}
		}}, {fault: refapp.FaultFirstChangeOnly,
		change: func(c *refapp.Config) { c.TLS, c.Livefyre = false, firstOnly.URL },
		check: func(t *testing.T, s *refapp.Server) {
			for _, name := range []string{"First", "Second", "Third"} {
				hookPinged(t, s, "u-0001", name)
			}
			hookPinged(t, s, "user.0002", "Other user's first")
			if n := len(firstOnly.seen()); n != 4 {
				t.Errorf("Livefyre saw %d pings, want 4, one per change", n)
			}
			for id, want := range map[string]string{"u-0001": "First", "user.0002": "Other user's first"} {
				if got := pulledName(t, s, id); got != want {
					t.Errorf("pulled %s's display_name %q, want %q, the first change only", id, got, want)
				}
			}
			resp, body := do(t, http.MethodPost, s.URL+"/hook", `{"id":"u-0001","display_name":" "}`)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("a blank display name after the first change: got %d %s, want 400", resp.StatusCode, body)
			}
		}}, {fault: refapp.FaultSharedUpdate,
		change: func(c *refapp.Config) { c.TLS, c.Livefyre = false, shared.URL },
		check: func(t *testing.T, s *refapp.Server) {
			before, _ := s.User("user.0002")
			hookPinged(t, s, "u-0001", "Everyone")
			if reqs := shared.seen(); len(reqs) != 1 || reqs[0].Path != "/api/v3_0/user/u-0001/refresh" {
				t.Errorf("Livefyre saw %+v, want one ping, for u-0001", reqs)
			}
			for _, id := range []string{"u-0001", "user.0002", "user_0003"} {
				if got := pulledName(t, s, id); got != "Everyone" {
					t.Errorf("pulled %s's display_name %q, want the change to u-0001's", id, got)
				}
			}
			after, _ := s.User("user.0002")
			after.DisplayName = before.DisplayName
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("user.0002 changed beyond its display name (-before +after):\n%s", diff)
			}
		}}}
}

// hookPinged posts a new display name for id to the hook, which must
// answer 200 and say it pinged.
func hookPinged(t *testing.T, s *refapp.Server, id, name string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"id": id, "display_name": name})
	resp, answer := do(t, http.MethodPost, s.URL+"/hook", string(body))
	var got struct {
		Pinged bool `json:"pinged"`
	}
	if json.Unmarshal(answer, &got); resp.StatusCode != http.StatusOK || !got.Pinged {
		t.Errorf("hook %s %q: got %d %s, want 200 and pinged", id, name, resp.StatusCode, answer)
	}
}

func TestHookPingFails(t *testing.T) {
	lf := newFakeLivefyre(t, http.StatusInternalServerError)
	s := start(t, func(c *refapp.Config) { c.Livefyre = lf.URL })
	resp, body := do(t, http.MethodPost, s.URL+"/hook", `{"id":"u-0001","display_name":"Still applied"}`)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), "ping") {
		t.Errorf("hook: got %d %s, want 502 saying the ping failed", resp.StatusCode, body)
	}
	if got := pulledName(t, s, "u-0001"); got != "Still applied" {
		t.Errorf("pulled display_name %q, want the change applied", got)
	}
	_, err := s.Update(context.Background(), refapp.Update{ID: "u-0001"})
	if !errors.Is(err, refapp.ErrPing) {
		t.Errorf("Update: got %v, want ErrPing", err)
	}
}

func TestHookRefused(t *testing.T) {
	lf := newFakeLivefyre(t, http.StatusOK)
	s := start(t, func(c *refapp.Config) { c.Livefyre = lf.URL })
	tests := []struct {
		name, method, body string
		want               int
	}{
		{"unknown user", http.MethodPost, `{"id":"nobody","display_name":"X"}`, http.StatusNotFound},
		{"no id", http.MethodPost, `{"display_name":"X"}`, http.StatusBadRequest},
		{"empty display_name", http.MethodPost, `{"id":"u-0001","display_name":" "}`, http.StatusBadRequest},
		{"unknown field", http.MethodPost, `{"id":"u-0001","nickname":"X"}`, http.StatusBadRequest},
		{"not JSON", http.MethodPost, `id=u-0001`, http.StatusBadRequest},
		{"two objects", http.MethodPost, `{"id":"u-0001"}{"id":"u-0001"}`, http.StatusBadRequest},
		{"invalid result", http.MethodPost, `{"id":"u-0001","websites":["https://a.example","https://b.example","https://c.example"]}`, http.StatusBadRequest},
		{"bad tag", http.MethodPost, `{"id":"u-0001","tags":["no spaces allowed"]}`, http.StatusBadRequest},
		{"too large", http.MethodPost, `{"id":"u-0001","bio":"` + strings.Repeat("x", 70<<10) + `"}`, http.StatusRequestEntityTooLarge},
		{"GET", http.MethodGet, "", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.User("u-0001")
			resp, body := do(t, tt.method, s.URL+"/hook", tt.body)
			if resp.StatusCode != tt.want {
				t.Errorf("got %d %s, want %d", resp.StatusCode, body, tt.want)
			}
			after, _ := s.User("u-0001")
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("a refused update changed the user (-before +after):\n%s", diff)
			}
		})
	}
	if n := len(lf.seen()); n != 0 {
		t.Errorf("refused updates sent %d pings, want 0", n)
	}
}

func TestHookWithoutLivefyre(t *testing.T) {
	s := start(t, nil)
	resp, body := do(t, http.MethodPost, s.URL+"/hook", `{"id":"user.0002","display_name":"Quiet"}`)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != `{"id":"user.0002","pinged":false}` {
		t.Errorf("got %d %s, want 200 and pinged false", resp.StatusCode, body)
	}
}

func TestUsers(t *testing.T) {
	s := start(t, func(c *refapp.Config) { c.Users = refapp.SyntheticUsers(3) })
	resp, body := do(t, http.MethodGet, s.URL+"/users", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var got []map[string]string
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	var want []map[string]string
	for _, id := range []string{"u-0001", "user.0002", "user_0003"} {
		p, _ := s.User(id)
		want = append(want, map[string]string{"id": id, "display_name": p.DisplayName})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/users (-want +got):\n%s", diff)
	}
}
