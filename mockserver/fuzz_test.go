package mockserver_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"p4p/token"
)

// FuzzPing sends arbitrary ids, bodies and content types to the ping
// handler over real HTTP. Whatever arrives, the answer is one of the
// documented statuses with a JSON envelope, and 200 only for a valid token
// and a valid id.
func FuzzPing(f *testing.F) {
	s := startMock(f, nil)
	good := systemToken(f)
	f.Add("u-1", "lftoken="+good, "application/x-www-form-urlencoded", false)
	f.Add("u-1", "lftoken="+good, "application/json", true)
	f.Add("a%2Fb", `{"lftoken":"x"}`, "application/json", false)
	f.Add("..", "lftoken=%zz&lftoken="+good, "text/plain", false)
	f.Fuzz(func(t *testing.T, id, body, contentType string, query bool) {
		u := s.URL + "/api/v3_0/user/" + url.PathEscape(id) + "/refresh"
		if query {
			u += "?" + body
		}
		req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return // the client refused to send it
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		switch resp.StatusCode {
		case 200:
			if !carriesValidToken(body) {
				t.Fatalf("ping %q with body %q: 200 without a valid token", id, body)
			}
		case 400, 403, 404, 413:
		default:
			t.Fatalf("ping %q with body %q (%s): status %d", id, body, contentType, resp.StatusCode)
		}
	})
}

// jwtLike finds the token-shaped parts of a request.
var jwtLike = regexp.MustCompile(`[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// carriesValidToken reports whether any token-shaped part of s (unescaped
// as a query would be, or not) is a valid system token. Seeds from earlier
// runs carry tokens of their own, still valid, so the oracle cannot look
// for this run's token alone.
func carriesValidToken(s string) bool {
	v := token.Validator{Network: network, Key: key}
	candidates := jwtLike.FindAllString(s, -1)
	if u, err := url.QueryUnescape(s); err == nil {
		candidates = append(candidates, jwtLike.FindAllString(u, -1)...)
	}
	for _, c := range candidates {
		if _, err := v.Validate(c); err == nil {
			return true
		}
	}
	return false
}

// FuzzRegister: the registration handler answers 204, 400, 403 or 413, and
// 204 only for a valid token and a template with {id}.
func FuzzRegister(f *testing.F) {
	s := startMock(f, nil)
	good := systemToken(f)
	f.Add("https://e.com/p?id={id}", "application/x-www-form-urlencoded", true)
	f.Add("http://[::1]/{id}", "application/json", true)
	f.Add("javascript:{id}", "", false)
	f.Fuzz(func(t *testing.T, template, contentType string, withToken bool) {
		v := url.Values{"pull_profile_url": {template}}
		if withToken {
			v.Set("actor_token", good)
		}
		resp, err := http.Post(s.URL+"/", contentType, strings.NewReader(v.Encode()))
		if err != nil {
			return
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		switch resp.StatusCode {
		case 204:
			if !withToken || !strings.Contains(template, "{id}") {
				t.Fatalf("register %q (token %v): 204, want a refusal", template, withToken)
			}
		case 400, 403, 413:
		default:
			t.Fatalf("register %q: status %d", template, resp.StatusCode)
		}
	})
}
