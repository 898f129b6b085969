package livefyre_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"p4p"
	"p4p/livefyre"
	"p4p/token"
)

const (
	network = "test.fyre.co"
	key     = "M5X4rTeKsGNRsV2RekagqSIE9UM="
)

// request is what a fake Livefyre saw.
type request struct {
	Method, Path, ContentType string
	Query, Form               url.Values
}

// fake is a Livefyre that records requests and answers with a script.
type fake struct {
	*httptest.Server
	mu       sync.Mutex
	requests []request
}

func newFake(t *testing.T, answer http.HandlerFunc) *fake {
	t.Helper()
	f := &fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		f.mu.Lock()
		f.requests = append(f.requests, request{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.URL.Query(), form})
		f.mu.Unlock()
		answer(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) seen() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

func (f *fake) client() *livefyre.Client {
	return &livefyre.Client{BaseURL: f.URL + "/", Network: network, Key: key}
}

// jwt matches a token's header and claims.
var jwt = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// checkSystemToken fails unless tok is a valid system token for the network.
func checkSystemToken(t *testing.T, tok string) {
	t.Helper()
	v := token.Validator{Network: network, Key: key, Users: []string{"system"}, Now: time.Now}
	if _, err := v.Validate(tok); err != nil {
		t.Errorf("token %s: %v; want a valid system token", token.Redact(tok), err)
	}
}

func envelope(w http.ResponseWriter, code int, data any) {
	raw, _ := json.Marshal(data)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(livefyre.Envelope{Status: "ok", Code: code, Data: raw})
}

func TestPing(t *testing.T) {
	want := livefyre.PingResult{UserID: "a.b-c_1", PullID: "p-7", Coalesced: true}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, http.StatusOK, want) })
	got, err := f.client().Ping(context.Background(), "a.b-c_1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PingResult (-want +got):\n%s", diff)
	}
	reqs := f.seen()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/api/v3_0/user/a.b-c_1/refresh" {
		t.Errorf("got %s %s, want POST /api/v3_0/user/a.b-c_1/refresh", r.Method, r.Path)
	}
	if r.ContentType != "application/x-www-form-urlencoded" {
		t.Errorf("got Content-Type %q, want a form", r.ContentType)
	}
	if len(r.Query) != 0 {
		t.Errorf("got query %v, want the token in the body only", r.Query)
	}
	checkSystemToken(t, r.Form.Get("lftoken"))
}

func TestPingErrors(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
		want   string
	}{
		{"forbidden", func(w http.ResponseWriter, r *http.Request) {
			// A server that quotes the token back must not get it into the error.
			r.ParseForm()
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, "bad token "+r.PostForm.Get("lftoken"))
		}, "ping u-1: status 403 Forbidden: bad token "},
		{"204 is not 200", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
			"ping u-1: status 204 No Content"},
		{"not an envelope", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "OK") },
			"ping u-1: decoding the answer"},
		{"error envelope", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			json.NewEncoder(w).Encode(livefyre.Envelope{Status: "error", Code: 503, Msg: "queue full"})
		}, "ping u-1: status 503 Service Unavailable: queue full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.answer)
			_, err := f.client().Ping(context.Background(), "u-1")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one starting %q", err, tt.want)
			}
			if tok := f.seen()[0].Form.Get("lftoken"); strings.Contains(err.Error(), tok) {
				t.Errorf("error %q quotes the token", err)
			}
		})
	}
}

func TestStatusError(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, strings.Repeat("x", 2000))
	})
	_, err := f.client().Ping(context.Background(), "u-1")
	var se *livefyre.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("got %T %v, want a *StatusError", err, err)
	}
	if se.Op != "ping u-1" || se.Status != http.StatusForbidden || len(se.Body) != 512 {
		t.Errorf("got Op %q Status %d len(Body) %d, want \"ping u-1\" 403 512", se.Op, se.Status, len(se.Body))
	}
	if errors.Is(err, livefyre.ErrNotFound) {
		t.Error("a 403 matches ErrNotFound")
	}
}

func TestUnreachableHidesToken(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {})
	c := f.client()
	f.Close()
	_, err := c.Profiles(context.Background())
	if err == nil {
		t.Fatal("got no error from a closed server")
	}
	if jwt.MatchString(err.Error()) {
		t.Errorf("error %q quotes a token", err)
	}
	if !strings.HasPrefix(err.Error(), "profiles: ") {
		t.Errorf("error %q does not name the operation", err)
	}
}

func TestRegister(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	const tmpl = "https://example.org/pull?id={id}"
	if err := f.client().Register(context.Background(), tmpl); err != nil {
		t.Fatal(err)
	}
	r := f.seen()[0]
	if r.Method != http.MethodPost || r.Path != "/" {
		t.Errorf("got %s %s, want POST /", r.Method, r.Path)
	}
	if got := r.Form.Get("pull_profile_url"); got != tmpl {
		t.Errorf("got pull_profile_url %q, want %q", got, tmpl)
	}
	checkSystemToken(t, r.Form.Get("actor_token"))
}

func TestRegisterErrors(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	err := f.client().Register(context.Background(), "https://example.org/pull?id=")
	if !errors.Is(err, p4p.ErrTemplate) {
		t.Errorf("template without {id}: got %v, want ErrTemplate", err)
	}
	if n := len(f.seen()); n != 0 {
		t.Errorf("template without {id}: %d requests sent, want 0", n)
	}
	err = f.client().Register(context.Background(), "https://example.org/pull?id={id}")
	var se *livefyre.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusForbidden {
		t.Errorf("got %v, want a 403 StatusError", err)
	}
}

func TestProfile(t *testing.T) {
	stored := livefyre.RemoteProfile{ID: "user.0002", Profile: json.RawMessage(`{"id":"user.0002","display_name":"Bo"}`),
		Sync: livefyre.SyncRecord{Pulls: 1, Attempts: 1, Outcome: livefyre.OutcomeSucceeded}}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/profiles/user.0002":
			json.NewEncoder(w).Encode(stored)
		case "/profiles/":
			json.NewEncoder(w).Encode([]livefyre.RemoteProfile{stored})
		default:
			http.NotFound(w, r)
		}
	})
	c := f.client()
	got, err := c.Profile(context.Background(), "user.0002")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stored, got); diff != "" {
		t.Errorf("Profile (-want +got):\n%s", diff)
	}
	all, err := c.Profiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]livefyre.RemoteProfile{stored}, all); diff != "" {
		t.Errorf("Profiles (-want +got):\n%s", diff)
	}
	if _, err := c.Profile(context.Background(), "nobody"); !errors.Is(err, livefyre.ErrNotFound) {
		t.Errorf("unknown user: got %v, want ErrNotFound", err)
	}
	for _, r := range f.seen() {
		if r.Method != http.MethodGet {
			t.Errorf("%s: got method %s, want GET", r.Path, r.Method)
		}
		checkSystemToken(t, r.Query.Get("actor_token"))
	}
}

// TestMinted: every token the client sends was handed to Minted first, so
// that a caller can redact all of them.
func TestMinted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/":
			w.WriteHeader(http.StatusNoContent)
		case strings.HasPrefix(r.URL.Path, "/profiles/"):
			json.NewEncoder(w).Encode(livefyre.RemoteProfile{ID: "u-1", Profile: json.RawMessage(`{}`)})
		default:
			envelope(w, http.StatusOK, livefyre.PingResult{UserID: "u-1", PullID: "p-1"})
		}
	})
	var minted []string
	c := f.client()
	clock := time.Unix(1700000000, 0)
	c.Now = func() time.Time { clock = clock.Add(time.Second); return clock } // a new token every call
	c.Minted = func(tok string) { minted = append(minted, tok) }
	ctx := context.Background()
	if err := c.Register(ctx, "https://example.org/pull?id={id}"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(ctx, "u-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Profile(ctx, "u-1"); err != nil {
		t.Fatal(err)
	}
	reqs := f.seen()
	if len(minted) != len(reqs) {
		t.Fatalf("Minted called %d times for %d requests", len(minted), len(reqs))
	}
	for i, r := range reqs {
		sent := r.Form.Get("actor_token") + r.Form.Get("lftoken") + r.Query.Get("actor_token")
		if sent != minted[i] {
			t.Errorf("request %d (%s) sent a token Minted was not told of", i, r.Path)
		}
	}
}
