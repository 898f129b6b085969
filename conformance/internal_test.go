package conformance

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"p4p"
	"p4p/refapp"
	"p4p/reports"
	"p4p/token"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{PullURL: "https://example.com/pull?id={id}", Network: "example.fyre.co", Key: "k", Users: []string{"u-1"}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("Validate(%+v) = %v", ok, err)
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("the embedded default does not validate: %v", err)
	}
	bad := []func(*Config){
		func(c *Config) { c.Network = "example.com" },
		func(c *Config) { c.Key = "" },
		func(c *Config) { c.Users = nil },
		func(c *Config) { c.PullURL = "https://example.com/pull" },
		func(c *Config) { c.PullURL = "mailto:{id}@example.com" },
		func(c *Config) { c.Fault = string(refapp.FaultSlow) },
		func(c *Config) { c.PullURL, c.Fault = "", "sloow" },
		func(c *Config) { c.UpdateHook = "https://example.com/hook" },
		func(c *Config) { c.Burst, c.Concurrency = 2, 3 },
		func(c *Config) { c.LabelFilter = "((auth" },
		func(c *Config) { c.UnknownUser = "u-1" },
		func(c *Config) { c.Livefyre = "not a url" },
	}
	for i, mutate := range bad {
		c := ok
		mutate(&c)
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("case %d: Validate(%+v) = %v, want ErrConfig", i, c, err)
		}
	}
}

func TestJSONDiff(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{`{"id":"1","x":[1,2]}`, `{"x":[1,2],"id":"1"}`, ""},
		{`{"id":"1","image_url":"a"}`, `{"id":"1","image_url":"b"}`, `image_url stored as "a", served as "b"`},
		{`{"id":"1","bio":"x"}`, `{"id":"1"}`, "bio stored but no longer served"},
		{`{"id":"1"}`, `{"id":"1","bio":"x"}`, "bio served but not stored"},
		{`[1]`, `{}`, "the stored profile is not a JSON object"},
	}
	for _, tt := range tests {
		if got := jsonDiff([]byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("jsonDiff(%s, %s) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 20; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 10 * time.Millisecond}, {0.95, 19 * time.Millisecond}, {1, 20 * time.Millisecond}, {0, time.Millisecond}} {
		if got := percentile(d, tt.q); got != tt.want {
			t.Errorf("percentile(1..20ms, %v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := percentile(nil, 0.95); got != 0 {
		t.Errorf("percentile(nil) = %v", got)
	}
}

func TestCurl(t *testing.T) {
	s := newSecrets("the-network-key", nil)
	tok := "eyJhbGciOiJIUzI1NiJ9.eyJkb21haW4iOiJ4In0.c2lnbmF0dXJl"
	const mint = `$(p4p token --network x.fyre.co --key "$P4P_NETWORK_KEY")`
	s.add(tok, mint)
	request := func(method, u, ct, body string) *http.Request {
		req, err := http.NewRequest(method, u, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body == "" {
			req, _ = http.NewRequest(method, u, nil)
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		return req
	}
	tests := []struct {
		name string
		req  *http.Request
		want string
	}{
		{"GET with token", request(http.MethodGet, p4p.AppendToken("https://e.example/pull?id=u-1", tok), "", ""),
			`curl -sS -i -G 'https://e.example/pull?id=u-1' --data-urlencode "lftoken=` + mint + `"`},
		{"form with token", request(http.MethodPost, "https://lf.example/api/v3_0/user/u-1/refresh", "application/x-www-form-urlencoded",
			"lftoken="+tok+"&note=a+b%27c"),
			`curl -sS -i -X POST 'https://lf.example/api/v3_0/user/u-1/refresh' --data-urlencode "lftoken=` + mint + `" --data-urlencode 'note=a b'\''c'`},
		{"form with charset", request(http.MethodPost, "https://e.example/f", "application/x-www-form-urlencoded; charset=utf-8", "a=1"),
			`curl -sS -i -X POST 'https://e.example/f' -H 'Content-Type: application/x-www-form-urlencoded; charset=utf-8' --data-urlencode 'a=1'`},
		{"JSON", request(http.MethodPost, "https://e.example/hook", "application/json", `{"id":"u-1","display_name":"O'Brien the-network-key"}`),
			`curl -sS -i -X POST 'https://e.example/hook' -H 'Content-Type: application/json' --data-raw '{"id":"u-1","display_name":"O'\''Brien [network key]"}'`},
		{"JSON with token", request(http.MethodPost, "https://e.example/hook", "application/json", `{"t":"`+tok+`"}`),
			`curl -sS -i -X POST 'https://e.example/hook' -H 'Content-Type: application/json' --data-raw '{"t":"` + token.Redact(tok) + `"}'`},
	}
	for _, tt := range tests {
		if got := s.curl(tt.req, false); got != tt.want {
			t.Errorf("%s: curl =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
	if strings.Contains(s.scrub("x "+tok+" the-network-key"), tok) || strings.Contains(s.scrub("the-network-key"), "the-network-key") {
		t.Error("scrub left a secret")
	}
}

// TestScrubJWTShaped: a token the run never added is redacted all the
// same, by its shape.
func TestScrubJWTShaped(t *testing.T) {
	s := newSecrets("the-network-key", nil)
	stranger, err := token.System("x.fyre.co", "another-key", time.Hour, time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"actor_token=" + stranger + "&x=1", `{"t":"` + stranger + `"}`, stranger[:strings.LastIndexByte(stranger, '.')+1]} {
		got := s.scrub(text)
		if strings.Contains(got, "eyJ") && !strings.Contains(got, "…[redacted") {
			t.Errorf("scrub(%q) = %q, want the token redacted", text, got)
		}
		if strings.Contains(got, stranger) {
			t.Errorf("scrub(%q) kept the token", text)
		}
	}
}

// TestExecuteEvidence runs SEC-002 against the reference endpoint broken
// by each of its faults and checks the result: failed, naming where the
// token leaked, with the exchange, a curl command and a fix as evidence,
// and no secret anywhere, as it is or base64url-encoded.
func TestExecuteEvidence(t *testing.T) {
	const key = "M5X4rTeKsGNRsV2RekagqSIE9UM="
	for _, tt := range []struct {
		fault refapp.Fault
		where string
	}{
		{refapp.FaultEchoToken, "X-Request-Uri"},
		{refapp.FaultEchoTokenEncoded, "Set-Cookie (base64-encoded)"},
	} {
		t.Run(string(tt.fault), func(t *testing.T) {
			env, err := Start(context.Background(), Config{Key: key, Fault: string(tt.fault)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { env.Close() })
			s, _ := Lookup("P4P-SEC-002")
			res := Execute(context.Background(), env, s)
			if res.Outcome != reports.Failed || !strings.Contains(res.Message, tt.where) || res.Fix == "" {
				t.Fatalf("result %s %q, want failed naming %s", res.Outcome, res.Message, tt.where)
			}
			if len(res.Evidence) == 0 || res.Evidence[0].Response == nil || !strings.Contains(res.Evidence[0].Curl, "$(p4p token") {
				t.Fatalf("evidence %+v lacks the exchange or the curl command", res.Evidence)
			}
			data, _ := json.Marshal(res)
			for _, secret := range env.Secrets() {
				for _, form := range []string{secret, base64.URLEncoding.EncodeToString([]byte(secret))} {
					if strings.Contains(string(data), form) {
						t.Errorf("the result contains a secret (%s)", token.Redact(secret))
					}
				}
			}
		})
	}
}

// TestEncodedEcho: a token echoed base64- or base64url-encoded, padded or
// not, inside a longer text, is found by SEC-002 and scrubbed from the
// evidence; text that merely looks like base64 is left alone.
func TestEncodedEcho(t *testing.T) {
	const key = "M5X4rTeKsGNRsV2RekagqSIE9UM="
	tok, err := token.System("labs.fyre.co", key, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := newSecrets(key, nil)
	s.add(tok, "$(p4p token)")
	uri := "/pull?id=u-1&lftoken=" + tok
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		for _, text := range []string{enc.EncodeToString([]byte(uri)), enc.EncodeToString([]byte("sig " + tok[strings.LastIndexByte(tok, '.')+1:]))} {
			header := http.Header{"Set-Cookie": {"debug=" + text + "; Path=/"}}
			if where := echoes(header, nil, []string{tok}); where != "the header Set-Cookie (base64-encoded)" {
				t.Errorf("echoes(%q) = %q, want the Set-Cookie header, base64-encoded", text, where)
			}
			if where := echoes(nil, []byte(`{"state":"`+text+`"}`), []string{tok}); where != "the body (base64-encoded)" {
				t.Errorf("echoes(body %q) = %q, want the body, base64-encoded", text, where)
			}
			if got := s.scrub("Set-Cookie: debug=" + text); strings.Contains(got, text) || !strings.Contains(got, "[base64 of a secret]") {
				t.Errorf("scrub kept the encoded token: %q", got)
			}
		}
	}
	innocent := base64.StdEncoding.EncodeToString([]byte("a profile that holds nothing secret"))
	if where := echoes(http.Header{"X-State": {innocent}}, nil, []string{tok}); where != "" {
		t.Errorf("echoes found a token in %q: %s", innocent, where)
	}
	if got := s.scrub(innocent); got != innocent {
		t.Errorf("scrub(%q) = %q, want it unchanged", innocent, got)
	}
}

// FuzzScrub: whatever a response says around a token, the evidence never
// carries the token, its signature or the key.
func FuzzScrub(f *testing.F) {
	f.Add("before ", " after")
	f.Add("lftoken=", "&x=1")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, before, after string) {
		const key = "fuzz-network-key-0123"
		s := newSecrets(key, nil)
		tok, err := token.System("x.fyre.co", key, time.Hour, time.Unix(1700000000, 0))
		if err != nil {
			t.Fatal(err)
		}
		s.add(tok, "$(p4p token)")
		sig := tok[strings.LastIndexByte(tok, '.')+1:]
		for _, text := range []string{before + tok + after, before + key + after, before + sig + after} {
			got := s.scrub(text)
			if strings.Contains(got, tok) || strings.Contains(got, sig) || strings.Contains(got, key) {
				t.Fatalf("scrub(%q) = %q still holds a secret", text, got)
			}
		}
	})
}

func TestReportNamesTheHarness(t *testing.T) {
	env := &Env{cfg: Config{Livefyre: "http://127.0.0.1:1", HarnessVersion: "v0.9.0"}, secrets: &secrets{}}
	if got, want := NewRun(env).Report().HarnessVersion, "v0.9.0"; got != want {
		t.Errorf("got harness version %q, want %q", got, want)
	}
}

// tokenCheckingEndpoint is a Pull endpoint that refuses, with an empty
// 403, any pull whose lftoken is not a valid system token for key, and
// answers the others 200 application/json with body(id).
func tokenCheckingEndpoint(key string, body func(id string) string) *httptest.Server {
	v := token.Validator{Network: DefaultNetwork, Key: key}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := v.Validate(r.URL.Query().Get("lftoken")); err != nil {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body(r.URL.Query().Get("id")))
	}))
}

// TestDistinctUsers: two users served the same profile but for the id
// fail P4P-USER-003 only when an email, avatar or profile URL says whose
// it is; a display name alone, which two people may share, is a note.
func TestDistinctUsers(t *testing.T) {
	const key = "M5X4rTeKsGNRsV2RekagqSIE9UM="
	for _, tt := range []struct {
		name, profile string
		want          reports.Outcome
	}{
		{"same name and email", `"display_name":"Ada","email":"ada@example.org"`, reports.Failed},
		{"same name only", `"display_name":"Ada"`, reports.Passed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := tokenCheckingEndpoint(key, func(id string) string { return fmt.Sprintf(`{"id":%q,%s}`, id, tt.profile) })
			defer srv.Close()
			env, err := Start(context.Background(), Config{PullURL: srv.URL + "/pull?id={id}", Network: DefaultNetwork, Key: key,
				Users: []string{"u-1", "u-2", "u-3"}})
			if err != nil {
				t.Fatal(err)
			}
			defer env.Close()
			s, _ := Lookup("P4P-USER-003")
			res := Execute(context.Background(), env, s)
			if res.Outcome != tt.want {
				t.Fatalf("%s (%s), want %s", res.Outcome, res.Message, tt.want)
			}
			if tt.want == reports.Failed && !strings.Contains(res.Message, `"u-1" and "u-2", "u-1" and "u-3"`) {
				t.Errorf("message %q does not name the pairs", res.Message)
			}
			if tt.want == reports.Passed && len(res.Notes) == 0 {
				t.Errorf("no note of the users served the same display name")
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	for _, tt := range []struct {
		url  string
		want string // a word of the reason; "" for reachable
	}{
		{"https://images.example.org/a.png", ""},
		{"https://203.0.113.7/a.png", ""},
		{"http://[2001:db8::1]/a.png", ""},
		{"http://localhost:8080/a.png", "localhost"},
		{"http://LOCALHOST./a.png", "localhost"},
		{"http://app.localhost/a.png", "local network"},
		{"http://127.0.0.1/a.png", "loopback"},
		{"http://[::1]/a.png", "loopback"},
		{"http://10.1.2.3/a.png", "private"},
		{"http://192.168.0.10/a.png", "private"},
		{"http://172.16.5.4/a.png", "private"},
		{"http://[fd00::1]/a.png", "private"},
		{"http://169.254.169.254/latest", "link-local"},
		{"http://0.0.0.0/a.png", "unspecified"},
		{"http://printer.local/a.png", "local network"},
		{"http://cms.corp/a.png", "local network"},
		{"http://intranet/a.png", "single-label"},
		{"ftp://images.example.org/a.png", ""}, // not http(s): P4P-RESP-004's business
		{"", ""},
	} {
		if got := unreachable(tt.url); (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("unreachable(%q) = %q, want one saying %q", tt.url, got, tt.want)
		}
	}
}

// TestErrorObject: a 200 whose body is an error object is named as such by
// P4P-RESP-003, and is not listed as a profile with ignored fields by
// P4P-RESP-006; a profile that merely has an error-looking field is
// judged as a profile.
func TestErrorObject(t *testing.T) {
	const key = "M5X4rTeKsGNRsV2RekagqSIE9UM="
	for _, tt := range []struct {
		body             string
		resp003, resp006 reports.Outcome
		says             string
	}{
		{`{"stat":"error","code":500,"msg":"db down"}`, reports.Failed, reports.Passed, `answered 200 with an error object, {"stat":"error","code":500,"msg":"db down"}`},
		{`{"error":"user not found"}`, reports.Failed, reports.Passed, "answered 200 with an error object"},
		{`{"display_name":"Ada","error":"none"}`, reports.Passed, reports.Warned, ""},
	} {
		srv := tokenCheckingEndpoint(key, func(id string) string {
			return strings.Replace(tt.body, `{"display_name"`, `{"id":"`+id+`","display_name"`, 1)
		})
		env, err := Start(context.Background(), Config{PullURL: srv.URL + "/pull?id={id}", Network: DefaultNetwork, Key: key, Users: []string{"u-1"}})
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]reports.Outcome{"P4P-RESP-003": tt.resp003, "P4P-RESP-006": tt.resp006} {
			s, _ := Lookup(id)
			res := Execute(context.Background(), env, s)
			if res.Outcome != want {
				t.Errorf("%s: %s %s (%s), want %s", tt.body, id, res.Outcome, res.Message, want)
			}
			if id == "P4P-RESP-003" && tt.says != "" && !strings.Contains(res.Message, tt.says) {
				t.Errorf("%s: message %q, want it to say %q", tt.body, res.Message, tt.says)
			}
		}
		env.Close()
		srv.Close()
	}
}
