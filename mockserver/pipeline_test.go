package mockserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/token"
)

func TestPullOutcomes(t *testing.T) {
	tests := []struct {
		name         string
		answer       func(n int64, r *http.Request, w http.ResponseWriter)
		wantOutcome  livefyre.Outcome
		wantAttempts int
		wantError    string // part of the recorded error
	}{
		{"valid profile", serveProfile("Ada"), livefyre.OutcomeSucceeded, 1, ""},
		{"403 is final", status(http.StatusForbidden, ""), livefyre.OutcomeFailed, 1, "refused Livefyre's system token"},
		{"404 is final", status(http.StatusNotFound, ""), livefyre.OutcomeFailed, 1, "does not know this user"},
		{"500 then success", failFirst(2, http.StatusInternalServerError), livefyre.OutcomeSucceeded, 3, ""},
		{"503 until attempts run out", status(http.StatusServiceUnavailable, "down"), livefyre.OutcomeFailed, 3, "status 503"},
		{"429 is retried", failFirst(1, http.StatusTooManyRequests), livefyre.OutcomeSucceeded, 2, ""},
		{"not JSON", body("text/html", "<html>oops</html>"), livefyre.OutcomeFailed, 1, "application/json"},
		{"truncated JSON", body("application/json", `{"id":"u-1","display_na`), livefyre.OutcomeFailed, 1, "not JSON"},
		{"id mismatch", body("application/json", `{"id":"someone-else","display_name":"X"}`), livefyre.OutcomeFailed, 1, "id differs"},
		{"schema violation", body("application/json", `{"id":"u-1","display_name":"X","tags":["no spaces"]}`), livefyre.OutcomeFailed, 1, "/tags/0"},
		{"echoes the token", echoToken(), livefyre.OutcomeFailed, 1, "redacted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEndpoint(t, tt.answer)
			s := startMock(t, func(c *mockserver.Config) { c.MaxAttempts = 3 })
			register(t, s, e.template())
			ping(t, s, "u-1")
			rp := awaitOutcome(t, s, "u-1")
			if rp.Sync.Outcome != tt.wantOutcome {
				t.Errorf("outcome %s (%s), want %s", rp.Sync.Outcome, rp.Sync.LastError, tt.wantOutcome)
			}
			if rp.Sync.Attempts != tt.wantAttempts {
				t.Errorf("attempts %d, want %d", rp.Sync.Attempts, tt.wantAttempts)
			}
			if got := e.requests.Load(); got != int64(tt.wantAttempts) {
				t.Errorf("endpoint saw %d requests, want %d", got, tt.wantAttempts)
			}
			if !strings.Contains(rp.Sync.LastError, tt.wantError) {
				t.Errorf("last error %q, want it to contain %q", rp.Sync.LastError, tt.wantError)
			}
			if tt.wantOutcome == livefyre.OutcomeSucceeded && displayName(t, rp) != "Ada" {
				t.Errorf("stored display_name %q, want Ada", displayName(t, rp))
			}
			for _, tok := range e.tokens {
				if strings.Contains(rp.Sync.LastError, tok) {
					t.Errorf("last error contains the system token")
				}
			}
		})
	}
}

// TestPullToken checks the request Livefyre makes (spec 1.5): GET, the id
// substituted, and a system token that validates like the SDKs validate.
func TestPullToken(t *testing.T) {
	var got *http.Request
	e := newEndpoint(t, func(n int64, r *http.Request, w http.ResponseWriter) {
		got = r.Clone(r.Context())
		serveProfile("Ada")(n, r, w)
	})
	s := startMock(t, nil)
	register(t, s, e.URL+"/users/get_remote_profile?id={id}")
	ping(t, s, "a.b-c_1")
	if rp := awaitOutcome(t, s, "a.b-c_1"); rp.Sync.Outcome != livefyre.OutcomeSucceeded {
		t.Fatalf("outcome %s: %s", rp.Sync.Outcome, rp.Sync.LastError)
	}
	if got.Method != http.MethodGet || got.URL.Path != "/users/get_remote_profile" || got.URL.Query().Get("id") != "a.b-c_1" {
		t.Errorf("request %s %s, want GET /users/get_remote_profile?id=a.b-c_1&lftoken=…", got.Method, got.URL.Path)
	}
	claims, err := token.Validator{Network: network, Key: key}.Validate(got.URL.Query().Get("lftoken"))
	if err != nil {
		t.Fatalf("lftoken does not validate: %v", err)
	}
	if claims.UserID != "system" || time.Until(claims.ExpiresAt()) < 23*time.Hour {
		t.Errorf("claims %+v, want user system expiring in 24h", claims)
	}
}

func status(code int, msg string) func(int64, *http.Request, http.ResponseWriter) {
	return func(_ int64, _ *http.Request, w http.ResponseWriter) {
		w.WriteHeader(code)
		fmt.Fprint(w, msg)
	}
}

func body(contentType, text string) func(int64, *http.Request, http.ResponseWriter) {
	return func(_ int64, _ *http.Request, w http.ResponseWriter) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, text)
	}
}

func failFirst(n int64, code int) func(int64, *http.Request, http.ResponseWriter) {
	return func(i int64, r *http.Request, w http.ResponseWriter) {
		if i <= n {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(code)
			return
		}
		serveProfile("Ada")(i, r, w)
	}
}

// echoToken answers 400 with the token in the body, as careless endpoints do.
func echoToken() func(int64, *http.Request, http.ResponseWriter) {
	return func(_ int64, r *http.Request, w http.ResponseWriter) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "bad request %s", r.URL.RawQuery)
	}
}
