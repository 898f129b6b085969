package mockserver_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"p4p"
	"p4p/livefyre"
	"p4p/mockserver"
)

// adminGet reads an admin API answer with the system token as Bearer.
func adminGet(t *testing.T, s *mockserver.Server, path string, data any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+systemToken(t))
	return adminDo(t, http.DefaultClient, req, data)
}

func adminDo(t *testing.T, c *http.Client, req *http.Request, data any) int {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	env := decodeEnvelope(t, resp)
	if resp.StatusCode == http.StatusOK && data != nil {
		if err := json.Unmarshal(env.Data, data); err != nil {
			t.Fatalf("%s: %v", req.URL.Path, err)
		}
	}
	return resp.StatusCode
}

// awaitTimeline polls a user's timeline until it has n records.
func awaitTimeline(t *testing.T, s *mockserver.Server, id string, n int) []livefyre.Record {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var tl livefyre.Timeline
	for time.Now().Before(deadline) {
		if adminGet(t, s, "/admin/v1/users/"+id+"/timeline?limit=500", &tl) == http.StatusOK && len(tl.Records) >= n {
			return tl.Records
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timeline of %s: %d records after 30 s, want %d: %+v", id, len(tl.Records), n, tl.Records)
	return nil
}

// TestTimelineShowsEachAttempt: a pull that fails twice then succeeds
// leaves, newest first, profile.updated, pull.succeeded, two pull.failed
// with their status, body and wait, and the ping; the request is redacted.
func TestTimelineShowsEachAttempt(t *testing.T) {
	e := newEndpoint(t, func(n int64, r *http.Request, w http.ResponseWriter) {
		if n <= 2 {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "down for maintenance; you sent %s %s", r.URL.Query().Get("lftoken"), strings.Repeat("x", 4000))
			return
		}
		serveProfile("Ada")(n, r, w)
	})
	s := startMock(t, nil)
	register(t, s, e.template())
	ping(t, s, "ada")
	awaitOutcome(t, s, "ada")
	recs := awaitTimeline(t, s, "ada", 5)
	var types []string
	for _, r := range recs {
		types = append(types, string(r.Type))
	}
	if got, want := strings.Join(types, " "), "profile.updated pull.succeeded pull.failed pull.failed ping.accepted"; got != want {
		t.Fatalf("timeline types:\n got %s\nwant %s", got, want)
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].ID >= recs[i-1].ID {
			t.Errorf("record %d id %d not below %d: not newest first", i, recs[i].ID, recs[i-1].ID)
		}
	}
	failed := recs[3]
	if failed.Status != 503 || failed.Attempt != 1 || failed.RetryInMS <= 0 || failed.Final {
		t.Errorf("first attempt: status %d attempt %d retry %v final %v; want 503, 1, a wait, not final", failed.Status, failed.Attempt, failed.RetryInMS, failed.Final)
	}
	if !strings.HasPrefix(failed.Body, "down for maintenance") || !failed.BodyTruncated || len(failed.Body) > 2048 {
		t.Errorf("body %d bytes, truncated %v: want the first 2 KiB, cut", len(failed.Body), failed.BodyTruncated)
	}
	if failed.Headers["Content-Type"] != "text/plain" {
		t.Errorf("headers %v: want Content-Type", failed.Headers)
	}
	if !strings.Contains(failed.Request, "/pull?id=ada") || !strings.Contains(failed.Request, "lftoken=") {
		t.Errorf("request %q: want the Pull URL with its token parameter", failed.Request)
	}
	for _, tok := range e.tokens {
		for _, r := range recs {
			if b, _ := json.Marshal(r); strings.Contains(string(b), tok) {
				t.Fatalf("record %s carries the system token", b)
			}
		}
	}
	if ok := recs[1]; ok.Status != 200 || ok.Attempt != 3 {
		t.Errorf("success: status %d attempt %d, want 200, 3", ok.Status, ok.Attempt)
	}
}

// TestTimelineShowsValidationProblems: an invalid profile's problems are
// in the record.
func TestTimelineShowsValidationProblems(t *testing.T) {
	e := newEndpoint(t, func(_ int64, r *http.Request, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"display_name":"A","tags":["bad tag!"],"autofollow_conversations":"false"}`, r.URL.Query().Get("id"))
	})
	s := startMock(t, nil)
	register(t, s, e.template())
	ping(t, s, "bea")
	awaitOutcome(t, s, "bea")
	recs := awaitTimeline(t, s, "bea", 2)
	if r := recs[0]; r.Type != livefyre.PullFailed || !r.Final || r.DeadLetter == 0 || len(r.Problems) == 0 || !strings.Contains(r.Problems[0], "/tags/0") {
		t.Fatalf("final failure record %+v: want final, a dead letter id, and the problem at /tags/0", r)
	}
}

// TestHistorySurvivesRestart: records written before a restart on the same
// data dir are read back after it.
func TestHistorySurvivesRestart(t *testing.T) {
	e := newEndpoint(t, serveProfile("Cy"))
	dir := t.TempDir()
	s := startMock(t, func(c *mockserver.Config) { c.DataDir = dir })
	register(t, s, e.template())
	ping(t, s, "cy")
	awaitOutcome(t, s, "cy")
	before := awaitTimeline(t, s, "cy", 3)
	s.Close()
	s2 := startMock(t, func(c *mockserver.Config) { c.DataDir = dir })
	after := awaitTimeline(t, s2, "cy", 3)
	if len(after) != len(before) || after[0].ID != before[0].ID || after[0].Type != before[0].Type {
		t.Fatalf("after restart: %d records, newest %d %s; before: %d, newest %d %s", len(after), after[0].ID, after[0].Type, len(before), before[0].ID, before[0].Type)
	}
}

// TestHistoryPerUserBound: past HistoryPerUser records the oldest go.
func TestHistoryPerUserBound(t *testing.T) {
	s := startMock(t, func(c *mockserver.Config) {
		c.HistoryPerUser = 5
		c.Delay = mustDelay(t, "1h") // the pings coalesce, no pull runs
	})
	var first, last string
	for i := range 8 {
		r := ping(t, s, "dee")
		if i == 0 {
			first = r.PullID
		}
		last = r.PullID
	}
	awaitTimeline(t, s, "dee", 5)
	time.Sleep(100 * time.Millisecond) // let any excess record land
	recs := awaitTimeline(t, s, "dee", 5)
	if len(recs) != 5 {
		t.Fatalf("%d records, want 5", len(recs))
	}
	// The first ping (the one not coalesced) and the two after it are gone.
	if first != last || recs[4].ID != recs[0].ID-4 || !recs[4].Coalesced {
		t.Errorf("the 5 kept should be the last pings, all coalesced: %+v", recs)
	}
}

// TestAdminUsersSearchFilterPage: the users list finds by id, name and
// email, case-insensitively, filters by outcome, orders most recently
// updated first, and pages with a cursor.
func TestAdminUsersSearchFilterPage(t *testing.T) {
	e := newEndpoint(t, func(n int64, r *http.Request, w http.ResponseWriter) {
		id := r.URL.Query().Get("id")
		if id == "bad" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": id, "display_name": "Name " + strings.ToUpper(id),
			"email": id + "@Example.org", "autofollow_conversations": "false"})
	})
	s := startMock(t, nil)
	register(t, s, e.template())
	for _, id := range []string{"u1", "u2", "u3", "bad"} {
		ping(t, s, id)
		awaitOutcome(t, s, id)
	}
	list := func(q string) livefyre.UserList {
		t.Helper()
		var l livefyre.UserList
		deadline := time.Now().Add(10 * time.Second)
		for {
			if code := adminGet(t, s, "/admin/v1/users?"+q, &l); code != http.StatusOK {
				t.Fatalf("users?%s: status %d", q, code)
			}
			if !l.Loading && l.Indexed == 4 || time.Now().After(deadline) {
				return l
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	ids := func(l livefyre.UserList) string {
		var out []string
		for _, u := range l.Users {
			out = append(out, u.ID)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct{ query, want string }{
		{"", "bad,u3,u2,u1"},
		{"q=NAME+U2", "u2"},
		{"q=u3%40example", "u3"},
		{"q=u", "u3,u2,u1"},
		{"outcome=failed", "bad"},
		{"outcome=dead", "bad"},
		{"outcome=succeeded&q=u1", "u1"},
		{"outcome=pending", ""},
	} {
		if got := ids(list(c.query)); got != c.want {
			t.Errorf("users?%s: got %q, want %q", c.query, got, c.want)
		}
	}
	p1 := list("limit=3")
	if ids(p1) != "bad,u3,u2" || p1.NextCursor == "" {
		t.Fatalf("first page %q cursor %q", ids(p1), p1.NextCursor)
	}
	if p2 := list("limit=3&cursor=" + p1.NextCursor); ids(p2) != "u1" || p2.NextCursor != "" {
		t.Errorf("second page %q cursor %q, want u1 and no cursor", ids(p2), p2.NextCursor)
	}
	if code := adminGet(t, s, "/admin/v1/users?outcome=nope", nil); code != http.StatusBadRequest {
		t.Errorf("bad outcome: status %d, want 400", code)
	}
}

// TestDeadLetterReplay: a pull that failed for good is listed, replayed,
// succeeds, and the replay shows in the timeline.
func TestDeadLetterReplay(t *testing.T) {
	e := newEndpoint(t, func(n int64, r *http.Request, w http.ResponseWriter) {
		if n == 1 {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		serveProfile("Eve")(n, r, w)
	})
	s := startMock(t, nil)
	register(t, s, e.template())
	ping(t, s, "eve")
	if rp := awaitOutcome(t, s, "eve"); rp.Sync.Outcome != livefyre.OutcomeFailed {
		t.Fatalf("outcome %s, want failed", rp.Sync.Outcome)
	}
	var dl livefyre.DeadLetterList
	adminGet(t, s, "/admin/v1/dead?q=EVE", &dl)
	if len(dl.DeadLetters) != 1 || dl.DeadLetters[0].UserID != "eve" || !strings.Contains(dl.DeadLetters[0].Reason, "404") {
		t.Fatalf("dead letters %+v: want eve's 404", dl.DeadLetters)
	}
	// A cookie session, as the page uses it: login, then a same-origin POST.
	c := loginClient(t, s)
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/admin/v1/dead/%d/replay", s.URL, dl.DeadLetters[0].ID), nil)
	req.Header.Set("Origin", s.URL)
	var res livefyre.ReplayResult
	if code := adminDo(t, c, req, &res); code != http.StatusOK || len(res.Replayed) != 1 || res.Replayed[0].PullID == "" {
		t.Fatalf("replay: status %d, %+v", code, res)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		rp, _ := getProfile(t, s, "eve")
		if rp.Sync.Outcome == livefyre.OutcomeSucceeded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after replay: outcome %s, want succeeded", rp.Sync.Outcome)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var d livefyre.UserDetail
	adminGet(t, s, "/admin/v1/users/eve", &d)
	if len(d.DeadLetters) != 0 {
		t.Errorf("dead letters after replay: %+v, want none", d.DeadLetters)
	}
	recs := awaitTimeline(t, s, "eve", 5)
	var replayed bool
	for _, r := range recs {
		replayed = replayed || r.Type == livefyre.PullReplayed && r.DeadLetter == dl.DeadLetters[0].ID
	}
	if !replayed || recs[0].Type != livefyre.ProfileUpdated {
		t.Errorf("timeline %+v: want a pull.replayed of the dead letter, then the update", recs)
	}
	if code := adminDo(t, c, req.Clone(req.Context()), nil); code != http.StatusNotFound {
		t.Errorf("second replay of the same dead letter: status %d, want 404", code)
	}
}

// loginClient logs in with a cookie jar, as a browser would.
func loginClient(t *testing.T, s *mockserver.Server) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/v1/session", strings.NewReader(url.Values{"token": {systemToken(t)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.URL)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("login: status %d: %s", resp.StatusCode, b)
	}
	return c
}

// TestAdminAuth: no credential is 403; a bad token is 403; the cookie is
// HttpOnly, SameSite=Strict, not the token, and works until logout; a
// cross-site POST with the cookie is refused.
func TestAdminAuth(t *testing.T) {
	s := startMock(t, nil)
	tok := systemToken(t)
	get := func(c *http.Client, path string, h map[string]string) int {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		return adminDo(t, c, req, nil)
	}
	for _, c := range []struct {
		name string
		path string
		h    map[string]string
		want int
	}{
		{"none", "/admin/v1/users", nil, 403},
		{"bad bearer", "/admin/v1/users", map[string]string{"Authorization": "Bearer x.y.z"}, 403},
		{"bearer", "/admin/v1/users", map[string]string{"Authorization": "Bearer " + tok}, 200},
		{"actor_token", "/admin/v1/users?actor_token=" + url.QueryEscape(tok), nil, 200},
		{"forged cookie", "/admin/v1/users", map[string]string{"Cookie": mockserver.SessionCookie + "=" + tok}, 403},
	} {
		if got := get(http.DefaultClient, c.path, c.h); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
	c := loginClient(t, s)
	u, _ := url.Parse(s.URL)
	cookies := c.Jar.Cookies(u)
	if len(cookies) != 1 || cookies[0].Value == "" || strings.Contains(cookies[0].Value, tok) {
		t.Fatalf("session cookie %v: want one, not the token", cookies)
	}
	if got := get(c, "/admin/v1/users", nil); got != 200 {
		t.Fatalf("with the session cookie: status %d, want 200", got)
	}
	for _, h := range []map[string]string{
		{"Origin": "http://evil.example"},
		{"Sec-Fetch-Site": "cross-site"},
		{}, // neither: no browser sends a cookie-bearing POST so
	} {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/v1/dead/replay", nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		if got := adminDo(t, c, req, nil); got != http.StatusForbidden {
			t.Errorf("POST with the cookie and %v: status %d, want 403", h, got)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/v1/session", strings.NewReader("token="+url.QueryEscape(tok)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if got := adminDo(t, http.DefaultClient, req, nil); got != http.StatusForbidden {
		t.Errorf("cross-site login: status %d, want 403", got)
	}
	// The Set-Cookie attributes.
	req, _ = http.NewRequest(http.MethodPost, s.URL+"/admin/v1/session", strings.NewReader("token="+url.QueryEscape(tok)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	sc := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %s", sc, want)
		}
	}
	if strings.Contains(sc, tok) || strings.Contains(string(body), tok) {
		t.Errorf("login answer carries the token")
	}
	// Logout revokes the session.
	stolen := c.Jar.Cookies(u)[0].Value
	req, _ = http.NewRequest(http.MethodDelete, s.URL+"/admin/v1/session", nil)
	req.Header.Set("Origin", s.URL)
	if got := adminDo(t, c, req, nil); got != 200 {
		t.Fatalf("logout: status %d", got)
	}
	if got := get(http.DefaultClient, "/admin/v1/users", map[string]string{"Cookie": mockserver.SessionCookie + "=" + stolen}); got != 403 {
		t.Errorf("the cookie after logout: status %d, want 403", got)
	}
}

func mustDelay(t *testing.T, s string) p4p.Delay {
	t.Helper()
	d, err := p4p.ParseDelay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
