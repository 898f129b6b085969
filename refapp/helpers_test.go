package refapp_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/profile"
	"p4p/refapp"
	"p4p/token"
)

const (
	network = "test.fyre.co"
	key     = "M5X4rTeKsGNRsV2RekagqSIE9UM="
)

// start starts a refapp on loopback; change adjusts the config.
func start(t *testing.T, change func(*refapp.Config)) *refapp.Server {
	t.Helper()
	cfg := refapp.Config{Network: network, Key: key, Users: refapp.SyntheticUsers(8)}
	if change != nil {
		change(&cfg)
	}
	s, err := refapp.Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func systemToken(t *testing.T) string {
	t.Helper()
	tok, err := token.System(network, key, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// nodeToken is a system token as the Node SDK made them, by hand: a float
// expires and an iat claim (spec 2.3).
func nodeToken(t *testing.T) string {
	t.Helper()
	now := float64(time.Now().UnixMilli()) / 1000
	claims := fmt.Sprintf(`{"domain":%q,"user_id":"system","display_name":"system","expires":%.3f,"iat":%d}`,
		network, now+3600.125, int64(now))
	enc := base64.RawURLEncoding
	unsigned := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(claims))
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(unsigned))
	return unsigned + "." + enc.EncodeToString(mac.Sum(nil))
}

// pullURL is the Pull URL Livefyre would call for id with tok.
func pullURL(s *refapp.Server, id, tok string) string {
	q := url.Values{}
	if id != "" {
		q.Set("id", id)
	}
	if tok != "" {
		q.Set("lftoken", tok)
	}
	return strings.Replace(s.PullTemplate(), "?id={id}", "?"+q.Encode(), 1)
}

// do sends a request and reads the whole answer.
func do(t *testing.T, method, u, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

func newValidator(t *testing.T) *profile.Validator {
	t.Helper()
	v, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fakeLivefyre answers pings and registrations as the mock does, with the
// status status, and records them.
type fakeLivefyre struct {
	*httptest.Server
	status   int
	mu       sync.Mutex
	requests []recorded
}

type recorded struct {
	Method, Path string
	Form         url.Values
}

func newFakeLivefyre(t *testing.T, status int) *fakeLivefyre {
	t.Helper()
	f := &fakeLivefyre{status: status}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeLivefyre) serve(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	f.requests = append(f.requests, recorded{r.Method, r.URL.Path, r.PostForm})
	f.mu.Unlock()
	switch {
	case f.status != http.StatusOK:
		w.WriteHeader(f.status)
		json.NewEncoder(w).Encode(livefyre.Envelope{Status: "error", Code: f.status, Msg: "scripted failure"})
	case r.URL.Path == "/":
		w.WriteHeader(http.StatusNoContent)
	default:
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v3_0/user/"), "/refresh")
		data, _ := json.Marshal(livefyre.PingResult{UserID: id, PullID: "pull-" + id})
		json.NewEncoder(w).Encode(livefyre.Envelope{Status: "ok", Code: http.StatusOK, Data: data})
	}
}

func (f *fakeLivefyre) seen() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

// checkSystemToken fails unless tok is a valid system token.
func checkSystemToken(t *testing.T, tok string) {
	t.Helper()
	v := token.Validator{Network: network, Key: key, Users: []string{"system"}, Now: time.Now}
	if _, err := v.Validate(tok); err != nil {
		t.Errorf("token %s: %v; want a valid system token", token.Redact(tok), err)
	}
}
