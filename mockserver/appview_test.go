package mockserver_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"p4p"
	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/token"
)

// serveNamed answers like a correct endpoint, with the display name name
// holds at the time of the request and an avatar.
func serveNamed(name *atomic.Value) func(int64, *http.Request, http.ResponseWriter) {
	return func(_ int64, r *http.Request, w http.ResponseWriter) {
		id := r.URL.Query().Get("id")
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": id, "display_name": name.Load().(string),
			"image_url": "https://img.example/" + id + ".png", "profile_url": "https://example.com/u/" + id})
	}
}

func userToken(t *testing.T, userID, displayName string) string {
	t.Helper()
	tok, err := token.User(network, key, userID, displayName, time.Hour, time.Now(), token.StyleInteger)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// authAnswer is the Auth API's answer: the HTTP status, the body and
// its envelope (unwrapped from JSONP when called back).
type authAnswer struct {
	status int
	body   string
	env    livefyre.Envelope
	data   struct {
		Profile struct {
			ID, DisplayName, Avatar string
			ProfileURL              *string
		}
		Token struct {
			Value string
			TTL   int64
		}
		CollectionID string `json:"collection_id"`
	}
}

func authGet(t *testing.T, s *mockserver.Server, q url.Values) authAnswer {
	t.Helper()
	resp, err := http.Get(s.URL + "/api/v3.0/auth/?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := authAnswer{status: resp.StatusCode, body: string(b)}
	raw := strings.TrimSpace(a.body)
	if cb := q.Get("callback"); cb != "" && a.status == http.StatusOK {
		raw = strings.TrimSuffix(strings.TrimPrefix(raw, "/**/"+cb+"("), ");")
	}
	if err := json.Unmarshal([]byte(raw), &a.env); err != nil {
		t.Fatalf("auth: status %d, body %q: %v", a.status, a.body, err)
	}
	if len(a.env.Data) > 0 {
		json.Unmarshal(a.env.Data, &a.data)
	}
	return a
}

// TestAuthAPI: the logged-in user's profile is the pulled one, except for
// the display name, which the token's wins; JSONP always answers 200 with
// the status in the body; a bad token is a 403.
func TestAuthAPI(t *testing.T) {
	var name atomic.Value
	name.Store("Pulled Name")
	e := newEndpoint(t, serveNamed(&name))
	s := startMock(t, nil)
	register(t, s, e.template())
	ping(t, s, "u-1")
	if rp := awaitOutcome(t, s, "u-1"); rp.Sync.Outcome != livefyre.OutcomeSucceeded {
		t.Fatalf("pull: %s %s", rp.Sync.Outcome, rp.Sync.LastError)
	}
	withName, noName := userToken(t, "u-1", "Token Name"), userToken(t, "u-1", "")
	article := base64.StdEncoding.EncodeToString([]byte("article?1>")) // has '+' or '/'
	tests := []struct {
		name       string
		q          url.Values
		wantStatus int
		wantCode   int
		wantName   string
	}{
		{"token name wins", url.Values{"lftoken": {withName}}, 200, 200, "Token Name"},
		{"pulled name without one", url.Values{"lftoken": {noName}}, 200, 200, "Pulled Name"},
		{"JSONP", url.Values{"lftoken": {withName}, "callback": {"jQuery1_2.cb"}}, 200, 200, "Token Name"},
		{"bad token", url.Values{"lftoken": {noName + "x"}}, 403, 403, ""},
		{"bad token JSONP", url.Values{"lftoken": {"nope"}, "callback": {"cb"}}, 200, 403, ""},
		{"truncated token", url.Values{"lftoken": {userToken(t, "u-1", "x")[:10]}}, 403, 403, ""},
		{"unsafe callback", url.Values{"lftoken": {withName}, "callback": {"alert(1)//"}}, 400, 400, ""},
		{"site and article", url.Values{"lftoken": {noName}, "siteId": {"170"}, "articleId": {article}}, 200, 200, "Pulled Name"},
		{"unknown collection", url.Values{"lftoken": {noName}, "collectionId": {"1"}}, 404, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := authGet(t, s, tt.q)
			if a.status != tt.wantStatus || a.env.Code != tt.wantCode {
				t.Fatalf("status %d, code %d (%s), want %d, %d", a.status, a.env.Code, a.env.Msg, tt.wantStatus, tt.wantCode)
			}
			if strings.Contains(a.env.Msg, tt.q.Get("lftoken")) && tt.q.Get("lftoken") != "" {
				t.Errorf("the error quotes the token")
			}
			if tt.wantName == "" {
				return
			}
			p := a.data.Profile
			if p.DisplayName != tt.wantName || p.ID != "u-1@"+network || p.Avatar != "https://img.example/u-1.png" {
				t.Errorf("profile %+v, want %s, u-1@%s and the pulled avatar", p, tt.wantName, network)
			}
			if a.data.Token.Value != tt.q.Get("lftoken") || a.data.Token.TTL <= 3500 || a.data.Token.TTL > 3600 {
				t.Errorf("token ttl %d (value echoed: %v), want the user's own, about 3600 s", a.data.Token.TTL, a.data.Token.Value == tt.q.Get("lftoken"))
			}
		})
	}
	// The collection named by siteId and articleId, named again by id.
	a := authGet(t, s, url.Values{"lftoken": {noName}, "siteId": {"170"}, "articleId": {article}})
	b := authGet(t, s, url.Values{"lftoken": {noName}, "collectionId": {a.data.CollectionID}})
	if a.data.CollectionID == "" || b.data.CollectionID != a.data.CollectionID {
		t.Errorf("collection %q by site and article, %q by id", a.data.CollectionID, b.data.CollectionID)
	}
}

// bootstrapInit is the part of init the tests read.
type bootstrapInit struct {
	CollectionSettings struct {
		CollectionID string
		ArchiveInfo  struct{ NPages int }
		RefreshedAt  time.Time `json:"p4pRefreshedAt"`
	}
	HeadDocument bootstrapPage
}

type bootstrapPage struct {
	Content []struct {
		Content struct{ AuthorID string }
	}
	Authors map[string]struct {
		ID, DisplayName, Avatar string
		Type                    int
	}
}

func bsGet(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
	}
	return resp.StatusCode
}

// awaitEvent reads st until an event matches, within a bound.
func awaitEvent(t *testing.T, st *livefyre.Stream, match func(livefyre.Event) bool) livefyre.Event {
	t.Helper()
	for {
		ev, ok := next(t, st)
		if !ok {
			t.Fatal("event stream ended")
		}
		if match(ev) {
			return ev
		}
	}
}

// TestBootstrapRefresh: a collection's bootstrap shows each author as of
// its last refresh: a user first stored after it has no comment yet; an
// update after it shows the old name until the next refresh, then the new
// one; app.visible follows profile.updated with ping-to-visible latency.
func TestBootstrapRefresh(t *testing.T) {
	var name atomic.Value
	name.Store("Old Name")
	e := newEndpoint(t, serveNamed(&name))
	// 5 minutes at 100 times speed: a refresh every 3 s.
	s := startMock(t, func(c *mockserver.Config) {
		c.TimeScale, c.BootstrapRefresh = 100, p4p.Delay{Min: 5 * time.Minute, Max: 5 * time.Minute}
	})
	register(t, s, e.template())
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	st, err := livefyreClient(s).Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	initURL := s.URL + "/bs3/v3.1/" + network + "/42/" + base64.RawURLEncoding.EncodeToString([]byte("article-1")) + "/init"
	var in bootstrapInit
	if code := bsGet(t, initURL, &in); code != 200 {
		t.Fatalf("init: status %d", code)
	}
	coll := in.CollectionSettings.CollectionID
	jid := "u-1@" + network

	// shows reads init, and says which name it shows for u-1, if any, and
	// whether it was refreshed after the user's latest update.
	shows := func() (string, bool) {
		t.Helper()
		var in bootstrapInit
		if code := bsGet(t, initURL, &in); code != 200 {
			t.Fatalf("init: status %d", code)
		}
		rp, _ := getProfile(t, s, "u-1")
		fresh := !in.CollectionSettings.RefreshedAt.Before(*rp.Sync.LastUpdateAt)
		a, ok := in.HeadDocument.Authors[jid]
		if ok != (len(in.HeadDocument.Content) == 1) {
			t.Errorf("authors %v but %d comments", in.HeadDocument.Authors, len(in.HeadDocument.Content))
		}
		return a.DisplayName, fresh
	}
	// update pings and waits for the pull to be stored and shown.
	update := func(want, before string) {
		t.Helper()
		name.Store(want)
		pullID := ping(t, s, "u-1").PullID
		stored := awaitEvent(t, st, func(ev livefyre.Event) bool { return ev.Type == livefyre.ProfileUpdated && ev.PullID == pullID })
		if got, fresh := shows(); fresh {
			t.Fatalf("the collection refreshed within moments of the update: rerun")
		} else if got != before {
			t.Errorf("before the refresh, init shows %q, want %q", got, before)
		}
		visible := awaitEvent(t, st, func(ev livefyre.Event) bool { return ev.Type == livefyre.AppVisible && ev.UserID == "u-1" })
		if visible.PullID != pullID || visible.LatencyMS < stored.LatencyMS || !visible.PingedAt.Equal(*stored.PingedAt) {
			t.Errorf("app.visible %+v after profile.updated %+v: want the same pull, ping and a latency at least the update's", visible, stored)
		}
		awaitEvent(t, st, func(ev livefyre.Event) bool {
			return ev.Type == livefyre.BootstrapRefreshed && ev.CollectionID == coll && !ev.Time.Before(visible.Time)
		})
		if got, fresh := shows(); !fresh || got != want {
			t.Errorf("after the refresh, init shows %q (refreshed after the update: %v), want %q", got, fresh, want)
		}
	}
	update("Old Name", "")
	update("New Name", "Old Name")
}

// TestBootstrapPages: every user with a profile has one comment, on init
// or one N.json page, in both path forms; past the last page is 404, as
// is another network.
func TestBootstrapPages(t *testing.T) {
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, nil)
	register(t, s, e.template())
	const users = 2*mockserver.BootstrapPageSize + 10
	for i := range users {
		ping(t, s, fmt.Sprintf("u-%d", i))
	}
	for i := range users {
		awaitOutcome(t, s, fmt.Sprintf("u-%d", i))
	}
	article := base64.URLEncoding.EncodeToString([]byte("a page?"))
	for _, base := range []string{s.URL + "/bs3/v3.1/" + network + "/7/" + article + "/", s.URL + "/bs3/" + network + "/7/" + article + "/"} {
		var in bootstrapInit
		if code := bsGet(t, base+"init", &in); code != 200 {
			t.Fatalf("%sinit: status %d", base, code)
		}
		n := in.CollectionSettings.ArchiveInfo.NPages
		if n < 3 {
			t.Fatalf("%d pages for %d users, want at least 3", n, users)
		}
		seen := map[string]int{}
		count := func(p bootstrapPage) {
			for _, c := range p.Content {
				seen[c.Content.AuthorID]++
				if a := p.Authors[c.Content.AuthorID]; a.DisplayName != "Ada" || a.Type != 1 {
					t.Errorf("author %+v, want Ada of type 1", a)
				}
			}
		}
		count(in.HeadDocument)
		for i := 1; i < n; i++ {
			var p bootstrapPage
			if code := bsGet(t, fmt.Sprintf("%s%d.json", base, i), &p); code != 200 {
				t.Fatalf("page %d: status %d", i, code)
			}
			count(p)
		}
		for i := range users {
			if got := seen[fmt.Sprintf("u-%d@%s", i, network)]; got != 1 {
				t.Errorf("u-%d: %d comments, want 1", i, got)
			}
		}
		if code := bsGet(t, fmt.Sprintf("%s%d.json", base, n), new(bootstrapPage)); code != http.StatusNotFound {
			t.Errorf("page %d of %d: status %d, want 404", n, n, code)
		}
	}
	if code := bsGet(t, s.URL+"/bs3/v3.1/other.fyre.co/7/"+article+"/init", new(bootstrapInit)); code != http.StatusNotFound {
		t.Errorf("another network: status %d, want 404", code)
	}
	if code := bsGet(t, s.URL+"/bs3/v3.1/"+network+"/7/%25%25/init", new(bootstrapInit)); code != http.StatusBadRequest {
		t.Errorf("an articleId not base64: status %d, want 400", code)
	}
}
