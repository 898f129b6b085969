package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"p4p/refapp"
	"p4p/reports"
)

// brokenUser is the one user the proxy breaks: not the first.
const brokenUser = "user_0003"

// proxyEnv starts the reference endpoint behind a proxy that hands each
// pull's answer to edit, and an Env that certifies the proxy, with the
// reference endpoint's four kinds of id as users.
func proxyEnv(t *testing.T, edit func(w http.ResponseWriter, r *http.Request, id string, body []byte) []byte) *Env {
	t.Helper()
	return proxyEnvAt(t, func(proxy string) string { return proxy + "/pull?id={id}" }, edit)
}

// proxyEnvAt is proxyEnv with the Pull URL template made from the
// proxy's URL.
func proxyEnvAt(t *testing.T, template func(proxy string) string, edit func(w http.ResponseWriter, r *http.Request, id string, body []byte) []byte) *Env {
	t.Helper()
	const key = "every-user-network-key"
	ref, err := refapp.Start(refapp.Config{Network: DefaultNetwork, Key: key, Users: refapp.SyntheticUsers(4)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ref.Close() })
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get(ref.URL + r.URL.RequestURI())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		body = edit(w, r, r.URL.Query().Get("id"), body)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(resp.StatusCode)
		w.Write(body)
	}))
	t.Cleanup(proxy.Close)
	var users []string
	for _, u := range refapp.SyntheticUsers(4) {
		users = append(users, u.ID)
	}
	env, err := Start(context.Background(), Config{PullURL: template(proxy.URL), Network: DefaultNetwork,
		Key: key, Users: users, PropagationBudget: DefaultTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

// editField sets (or with nil removes) a field of brokenUser's profile.
func editField(name string, value any) func(http.ResponseWriter, *http.Request, string, []byte) []byte {
	return func(_ http.ResponseWriter, _ *http.Request, id string, body []byte) []byte {
		var m map[string]any
		if id != brokenUser || json.Unmarshal(body, &m) != nil {
			return body
		}
		if value == nil {
			delete(m, name)
		} else {
			m[name] = value
		}
		out, _ := json.Marshal(m)
		return out
	}
}

// TestEveryUserChecked: the response-field specs and P4P-PIPE-002 look at
// every user's profile, not only the first, and name the user at fault.
func TestEveryUserChecked(t *testing.T) {
	var pulls atomic.Int64
	tests := []struct {
		spec string
		edit func(http.ResponseWriter, *http.Request, string, []byte) []byte
		want reports.Outcome
	}{
		{"P4P-RESP-003", editField("display_name", nil), reports.Failed},
		{"P4P-RESP-004", editField("tags", []string{"not-a-tag"}), reports.Failed},
		{"P4P-RESP-006", editField("first_name", "Ann"), reports.Warned},
		{"P4P-PIPE-002", func(w http.ResponseWriter, r *http.Request, id string, body []byte) []byte {
			return editField("bio", "pull "+strconv.FormatInt(pulls.Add(1), 10))(w, r, id, body)
		}, reports.Failed},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			env := proxyEnv(t, tt.edit)
			if tt.spec == "P4P-PIPE-002" {
				if res := executeID(t, env, "P4P-PIPE-001"); res.Outcome != reports.Passed {
					t.Fatalf("P4P-PIPE-001: %s %s", res.Outcome, res.Message)
				}
			}
			res := executeID(t, env, tt.spec)
			if res.Outcome != tt.want || !strings.Contains(res.Message, `"`+brokenUser+`"`) {
				t.Errorf("%s: %s %q, want %s naming %q", tt.spec, res.Outcome, res.Message, tt.want, brokenUser)
			}
			if strings.Contains(res.Message, `"u-0001"`) {
				t.Errorf("%s: the message names the first user, whose profile is fine: %s", tt.spec, res.Message)
			}
		})
	}
}

// TestTokenEchoAnywhere: P4P-SEC-002 finds the lftoken echoed in the
// unknown user's answer and in a redirect the client followed.
func TestTokenEchoAnywhere(t *testing.T) {
	tests := []struct {
		name string
		edit func(http.ResponseWriter, *http.Request, string, []byte) []byte
		want string
	}{
		{"unknown user's Location", func(w http.ResponseWriter, r *http.Request, id string, body []byte) []byte {
			if strings.HasPrefix(id, "p4p-unknown-") {
				w.Header().Set("Location", "/login?next="+url.QueryEscape(r.URL.RequestURI()))
			}
			return body
		}, "the header Location"},
		{"unknown user's body", func(w http.ResponseWriter, r *http.Request, id string, body []byte) []byte {
			if strings.HasPrefix(id, "p4p-unknown-") {
				return []byte("no user for " + r.URL.RequestURI())
			}
			return body
		}, "the body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := proxyEnv(t, tt.edit)
			res := executeID(t, env, "P4P-SEC-002")
			if res.Outcome != reports.Failed || !strings.Contains(res.Message, tt.want) {
				t.Errorf("%s %q, want failed naming %s", res.Outcome, res.Message, tt.want)
			}
		})
	}
	t.Run("redirect", func(t *testing.T) {
		t.Parallel()
		env := proxyEnv(t, func(_ http.ResponseWriter, _ *http.Request, _ string, body []byte) []byte { return body })
		// Another spec's pulls were redirected once, echoing the token on
		// the way; the final answers are clean.
		redirected := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("hop") == "" {
				http.Redirect(w, r, r.URL.RequestURI()+"&hop=1", http.StatusFound)
				return
			}
			w.Write(bytes.Repeat([]byte("x"), 10))
		}))
		t.Cleanup(redirected.Close)
		p := NewProbe(env)
		req, _ := http.NewRequest(http.MethodGet, redirected.URL+"/pull?id=u-0001&lftoken="+mustMint(t, env), nil)
		if _, err := p.do(req, "a redirected pull"); err != nil {
			t.Fatal(err)
		}
		res := executeID(t, env, "P4P-SEC-002")
		if res.Outcome != reports.Failed || !strings.Contains(res.Message, "Found response from") || !strings.Contains(res.Message, "the header Location") {
			t.Errorf("%s %q, want failed naming the redirect's Location", res.Outcome, res.Message)
		}
	})
}

func mustMint(t *testing.T, env *Env) string {
	t.Helper()
	tok, err := env.mint(systemInteger)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func executeID(t *testing.T, env *Env, id string) reports.Result {
	t.Helper()
	s, ok := Lookup(id)
	if !ok {
		t.Fatalf("no spec %s", id)
	}
	return Execute(context.Background(), env, s)
}

// TestCulpritMarked: in a multi-user spec's evidence, the pull of the user
// at fault is marked, and only that one.
func TestCulpritMarked(t *testing.T) {
	env := proxyEnv(t, editField("display_name", nil))
	res := executeID(t, env, "P4P-RESP-003")
	var marked []string
	for _, ex := range res.Evidence {
		if ex.Culprit {
			marked = append(marked, ex.Title)
		}
	}
	if len(res.Evidence) < 2 || len(marked) != 1 || !strings.Contains(marked[0], brokenUser) {
		t.Errorf("marked %q among %d exchanges, want only the pull of %q", marked, len(res.Evidence), brokenUser)
	}
}

// TestErrorObjectNamed: a 200 whose body is an error object is named as
// such by P4P-RESP-003, with the fix for its cause, and is not reported
// again as a profile with ignored fields or the wrong id.
func TestErrorObjectNamed(t *testing.T) {
	env := proxyEnv(t, func(_ http.ResponseWriter, _ *http.Request, id string, body []byte) []byte {
		if id == brokenUser {
			return []byte(`{"stat":"error","message":"user service down"}`)
		}
		return body
	})
	res := executeID(t, env, "P4P-RESP-003")
	if res.Outcome != reports.Failed || !strings.Contains(res.Message, "error object") || res.Fix != sendErrorsAs4xx {
		t.Errorf("P4P-RESP-003: %s %q, fix %q; want failed naming the error object, with the 4xx fix", res.Outcome, res.Message, res.Fix)
	}
	for _, id := range []string{"P4P-RESP-005", "P4P-RESP-006"} {
		if res := executeID(t, env, id); res.Outcome != reports.Passed {
			t.Errorf("%s: %s %q, want passed (the error object is P4P-RESP-003's)", id, res.Outcome, res.Message)
		}
	}
}

// TestReproducerOfGoneServers: a reproducer aimed at the run's in-process
// mock or reference endpoint says that it stopped with the run and how to
// run a lasting one; one aimed at the integrator's endpoint does not.
func TestReproducerOfGoneServers(t *testing.T) {
	embedded, err := Start(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { embedded.Close() })
	p := NewProbe(embedded)
	if _, err := p.livefyre("read the mock's health").Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.pull(context.Background(), "a pull", embedded.cfg.primary(), systemInteger); err != nil {
		t.Fatal(err)
	}
	external := proxyEnv(t, func(_ http.ResponseWriter, _ *http.Request, _ string, body []byte) []byte { return body })
	q := NewProbe(external)
	if _, err := q.pull(context.Background(), "a pull", external.cfg.primary(), systemInteger); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ex   reports.Exchange
		want string // "" for no note
	}{
		{p.evidence[0], "p4p mock --network"},
		{p.evidence[1], "p4p refapp --network"},
		{q.evidence[0], ""},
	} {
		gone := strings.Contains(tt.ex.Curl, "stopped with the run")
		if (tt.want == "") == gone || !strings.Contains(tt.ex.Curl, tt.want) {
			t.Errorf("reproducer of %q:\n%s\nwant a note naming %q", tt.ex.Request.URL, tt.ex.Curl, tt.want)
		}
	}
}
