package conformance

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"p4p/reports"
	"p4p/token"
)

// TestJudgeRefusal: a refusal fails only when it gives profile data away,
// and deviates when it is not a 403.
func TestJudgeRefusal(t *testing.T) {
	jsonType := http.Header{"Content-Type": {"application/json"}}
	textType := http.Header{"Content-Type": {"text/plain"}}
	tests := []struct {
		name   string
		r      reply
		want   string // "pass", "deviation" or "failure"
		saying string
	}{
		{"empty 403", reply{status: 403}, "pass", ""},
		{"403 with text", reply{status: 403, header: textType, body: []byte("Forbidden")}, "pass", ""}, // AUTH-007's business
		{"400 with text", reply{status: 400, header: textType, body: []byte("missing lftoken")}, "deviation", "400 Bad Request with a 15-byte text/plain body"},
		{"401 empty", reply{status: 401}, "deviation", "401 Unauthorized;"},
		{"500", reply{status: 500}, "deviation", "500 Internal Server Error"},
		{"200 error object", reply{status: 200, header: jsonType, body: []byte(`{"stat":"error","message":"bad token"}`)}, "deviation", "with an error object"},
		{"200 empty", reply{status: 200}, "deviation", "200 OK;"},
		{"200 profile", reply{status: 200, header: jsonType, body: []byte(`{"id":"u1","display_name":"Ada"}`)}, "failure", "carried profile data"},
		{"200 html", reply{status: 200, header: http.Header{"Content-Type": {"text/html"}}, body: []byte("<p>Ada</p>")}, "failure", "said yes"},
		{"404 profile", reply{status: 404, header: jsonType, body: []byte(`{"id":"u1"}`)}, "failure", "404 Not Found"},
		{"404 error", reply{status: 404, header: jsonType, body: []byte(`{"error":"no such user"}`)}, "deviation", "error object"},
		{"200 wrapped profile, empty errors", reply{status: 200, header: jsonType,
			body: []byte(`{"data":{"id":"u-1","display_name":"Ada","email":"ada@example.com"},"errors":[]}`)}, "failure", "carried profile data"},
		{"200 profile, null error", reply{status: 200, header: jsonType, body: []byte(`{"id":"u-1","email":"ada@example.com","error":null}`)}, "failure", "carried profile data"},
		{"400 error beside a profile", reply{status: 400, header: jsonType,
			body: []byte(`{"error":"bad token","user":{"email":"ada@example.com"}}`)}, "failure", "400 Bad Request; want 403 Forbidden: the response carried profile data"},
		{"401 error, empty profile fields", reply{status: 401, header: jsonType, body: []byte(`{"error":"unauthorized","id":null}`)}, "deviation", "error object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := judgeRefusal(tt.r, "u-1", noToken)
			var dev deviationError
			got := "failure"
			switch {
			case err == nil:
				got = "pass"
			case errors.As(err, &dev):
				got = "deviation"
			}
			if got != tt.want || (err != nil && !strings.Contains(err.Error(), tt.saying)) {
				t.Errorf("got %s (%v), want %s saying %q", got, err, tt.want, tt.saying)
			}
		})
	}
}

// rememberingEndpoint is a Pull endpoint that checks tokens as
// validateLivefyreToken does, until trusted says a request need not be
// checked; remember is told of each valid pull.
type rememberingEndpoint struct {
	v        token.Validator
	mu       sync.Mutex
	trusted  func(r *http.Request) bool
	remember func(w http.ResponseWriter, r *http.Request)
}

func (e *rememberingEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	e.mu.Lock()
	trusted := e.trusted(r)
	e.mu.Unlock()
	if !trusted {
		if _, err := e.v.Validate(r.URL.Query().Get("lftoken")); err != nil {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		e.mu.Lock()
		e.remember(w, r)
		e.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"id":"` + id + `","display_name":"User ` + id + `","email":"` + id + `@example.com"}`))
}

// TestRememberedDecisions: P4P-AUTH-012 fails an endpoint that authorises
// once and remembers, whatever it remembers by, and passes one that
// checks every pull.
func TestRememberedDecisions(t *testing.T) {
	type conn struct{}
	tests := []struct {
		name  string
		setup func(e *rememberingEndpoint, srv *httptest.Server)
		want  reports.Outcome
	}{
		{"checks every pull", func(e *rememberingEndpoint, _ *httptest.Server) {
			e.trusted = func(*http.Request) bool { return false }
			e.remember = func(http.ResponseWriter, *http.Request) {}
		}, reports.Passed},
		{"per connection", func(e *rememberingEndpoint, srv *httptest.Server) {
			conns := map[any]bool{}
			srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
				return context.WithValue(ctx, conn{}, c)
			}
			e.trusted = func(r *http.Request) bool { return conns[r.Context().Value(conn{})] }
			e.remember = func(_ http.ResponseWriter, r *http.Request) { conns[r.Context().Value(conn{})] = true }
		}, reports.Failed},
		{"per session cookie", func(e *rememberingEndpoint, _ *httptest.Server) {
			e.trusted = func(r *http.Request) bool { c, err := r.Cookie("sid"); return err == nil && c.Value == "ok" }
			e.remember = func(w http.ResponseWriter, _ *http.Request) {
				http.SetCookie(w, &http.Cookie{Name: "sid", Value: "ok", Path: "/"})
			}
		}, reports.Failed},
		{"per user", func(e *rememberingEndpoint, _ *httptest.Server) {
			users := map[string]bool{}
			e.trusted = func(r *http.Request) bool { return users[r.URL.Query().Get("id")] }
			e.remember = func(_ http.ResponseWriter, r *http.Request) { users[r.URL.Query().Get("id")] = true }
		}, reports.Failed},
		{"per address, for a while", func(e *rememberingEndpoint, _ *httptest.Server) {
			until := map[string]time.Time{}
			host := func(r *http.Request) string { h, _, _ := net.SplitHostPort(r.RemoteAddr); return h }
			e.trusted = func(r *http.Request) bool { return time.Now().Before(until[host(r)]) }
			e.remember = func(_ http.ResponseWriter, r *http.Request) { until[host(r)] = time.Now().Add(time.Minute) }
		}, reports.Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const key = "remembering-network-key"
			e := &rememberingEndpoint{v: token.Validator{Network: DefaultNetwork, Key: key, Now: time.Now}}
			srv := httptest.NewUnstartedServer(e)
			tt.setup(e, srv)
			srv.Start()
			t.Cleanup(srv.Close)
			env, err := Start(context.Background(), Config{PullURL: srv.URL + "/pull?id={id}", Network: DefaultNetwork,
				Key: key, Users: []string{"u-1", "u-2"}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { env.Close() })
			res := executeID(t, env, "P4P-AUTH-012")
			if res.Outcome != tt.want {
				t.Fatalf("%s (%s), want %s", res.Outcome, res.Message, tt.want)
			}
			if tt.want == reports.Failed && !hasCulprit(res) {
				t.Errorf("no exchange is marked as the culprit: %+v", res.Evidence)
			}
		})
	}
}

func hasCulprit(res reports.Result) bool {
	for _, ex := range res.Evidence {
		if ex.Culprit {
			return true
		}
	}
	return false
}
