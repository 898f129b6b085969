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
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
	"p4p/mockserver"
)

// listingNATS runs a standalone nats-server, so that a test can fill the
// mock's bucket quickly, count what the server sends and make the store
// fail.
func listingNATS(t *testing.T) (*server.Server, jetstream.JetStream) {
	t.Helper()
	ns := startNATS(t)
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return ns, js
}

// storeProfiles writes remote profiles straight into the mock's bucket,
// as the mock stores them: 100,000 take seconds where pings and pulls
// would take minutes. The publishes are plain NATS ones, unacknowledged,
// in chunks the stream is seen to have stored before the next; pad
// lengthens each profile.
func storeProfiles(t *testing.T, js jetstream.JetStream, ids []string, pad int) {
	t.Helper()
	ctx := context.Background()
	stream, err := js.Stream(ctx, "KV_p4p_profiles")
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := info.State.Msgs
	const chunk = 4000
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		for _, id := range ids[:n] {
			data, _ := json.Marshal(livefyre.RemoteProfile{ID: id,
				Profile: json.RawMessage(fmt.Sprintf(`{"id":%q,"display_name":"%s"}`, id, strings.Repeat("x", pad+1)))})
			if err := js.Conn().Publish("$KV.p4p_profiles."+base64.RawURLEncoding.EncodeToString([]byte(id)), data); err != nil {
				t.Fatal(err)
			}
		}
		ids, stored = ids[n:], stored+uint64(n)
		awaitStored(t, stream, stored)
	}
}

// rewrite stores profiles, new or not, one acknowledged publish each.
func rewrite(t *testing.T, js jetstream.JetStream, ids []string, version int) {
	t.Helper()
	for _, id := range ids {
		data, _ := json.Marshal(livefyre.RemoteProfile{ID: id, Profile: json.RawMessage(fmt.Sprintf(`{"id":%q,"display_name":"v%d"}`, id, version))})
		if _, err := js.Publish(context.Background(), "$KV.p4p_profiles."+base64.RawURLEncoding.EncodeToString([]byte(id)), data); err != nil {
			t.Fatal(err)
		}
	}
}

// awaitStored waits until the stream holds n messages.
func awaitStored(t *testing.T, stream jetstream.Stream, n uint64) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		info, err := stream.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.State.Msgs == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the bucket holds %d profiles after a minute, want %d", info.State.Msgs, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func userIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%06d", prefix, i)
	}
	return ids
}

// listed is what the tests read of a listed profile.
type listed struct {
	ID string `json:"id"`
}

// listPage GETs a listing URL (path and query, without the token) and
// returns the answer, its profiles and its next Link target.
func listPage(t *testing.T, s *mockserver.Server, pathQuery string) (*http.Response, []listed, string) {
	t.Helper()
	sep := "?"
	if strings.Contains(pathQuery, "?") {
		sep = "&"
	}
	resp, err := http.Get(s.URL + pathQuery + sep + "actor_token=" + url.QueryEscape(systemToken(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", pathQuery, err)
	}
	var page []listed
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatalf("GET %s: %v in %.200q", pathQuery, err, body)
		}
	}
	var next string
	if link := resp.Header.Get("Link"); link != "" {
		if strings.Contains(link, "token") {
			t.Errorf("GET %s: Link %q carries a token", pathQuery, link)
		}
		if _, err := fmt.Sscanf(link, "<%s", &next); err != nil || !strings.HasSuffix(link, `>; rel="next"`) {
			t.Fatalf("GET %s: Link %q, want <...>; rel=\"next\"", pathQuery, link)
		}
		next = strings.TrimSuffix(next, ">;")
	}
	return resp, page, next
}

// TestListingPages walks 100,000 profiles (issue 13) a page of 1,000 at a
// time: every profile exactly once, every page but the last full, no
// token in the Link, none after the last page. Each page costs the store
// what its profiles cost, whatever the total: the messages the NATS server
// sends for one page stay within the page size plus a few, where listing
// the keys would send them all. The unpaged V2 form, past its cap, is a
// 400 with a Link to the first page rather than a gigabyte array.
func TestListingPages(t *testing.T) {
	const total, limit = 100_000, 1000
	ns, js := listingNATS(t)
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL = ns.ClientURL() })
	ids := userIDs("u-", total)
	start := time.Now()
	storeProfiles(t, js, ids, 0)
	t.Logf("stored %d profiles in %v", total, time.Since(start))
	start = time.Now()

	resp, _, first := listPage(t, s, "/profiles/")
	if resp.StatusCode != http.StatusBadRequest || first != fmt.Sprintf("/profiles/?limit=%d", mockserver.MaxPageSize) {
		t.Errorf("unpaged listing of %d: status %d, Link %q; want 400 and a Link to the first page", total, resp.StatusCode, first)
	}

	seen := make(map[string]int, total)
	var maxMsgs int64
	next := fmt.Sprintf("/profiles/?limit=%d", limit)
	pages := 0
	for next != "" {
		before := outMsgs(t, ns)
		var page []listed
		resp, page, next = listPage(t, s, next)
		maxMsgs = max(maxMsgs, outMsgs(t, ns)-before)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("page %d: status %d", pages, resp.StatusCode)
		}
		if len(page) > limit || (next != "" && len(page) != limit) {
			t.Fatalf("page %d: %d profiles (next %q), want %d", pages, len(page), next, limit)
		}
		for _, rp := range page {
			seen[rp.ID]++
		}
		if pages++; pages > total/limit+1 {
			t.Fatalf("more than %d pages", pages)
		}
	}
	if pages != total/limit {
		t.Errorf("%d pages, want %d", pages, total/limit)
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Fatalf("%s listed %d times, want once", id, seen[id])
		}
	}
	if len(seen) != total {
		t.Errorf("%d profiles listed, want %d", len(seen), total)
	}
	t.Logf("%d pages in %v; at most %d NATS messages sent for one page", pages, time.Since(start), maxMsgs)
	if maxMsgs > limit+50 {
		t.Errorf("one page made the NATS server send %d messages, want at most %d: a page must not cost the whole store", maxMsgs, limit+50)
	}
}

// outMsgs is how many messages the NATS server has sent to its clients.
func outMsgs(t *testing.T, ns *server.Server) int64 {
	t.Helper()
	v, err := ns.Varz(nil)
	if err != nil {
		t.Fatal(err)
	}
	return v.OutMsgs
}

// TestListingUnpaged: the V2 form (no limit, no cursor) is still one JSON
// array of every profile, streamed over several store reads, with no
// Link; the client's Profiles and ProfilePages get the same profiles.
func TestListingUnpaged(t *testing.T) {
	const total = 2500 // over MaxPageSize, so the stream reads three times
	ns, js := listingNATS(t)
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL = ns.ClientURL() })
	ids := userIDs("v-", total)
	storeProfiles(t, js, ids, 0)

	resp, all, next := listPage(t, s, "/profiles/")
	if resp.StatusCode != http.StatusOK || next != "" || len(all) != total {
		t.Fatalf("unpaged: status %d, %d profiles, Link %q; want 200, %d, none", resp.StatusCode, len(all), next, total)
	}
	for i, p := range all {
		if p.ID != ids[i] {
			t.Fatalf("profile %d is %s, want %s: the order is the order of storing", i, p.ID, ids[i])
		}
	}
	c := &livefyre.Client{BaseURL: s.URL, Network: network, Key: key}
	got, err := c.Profiles(context.Background())
	if err != nil || len(got) != total || got[total-1].ID != ids[total-1] {
		t.Fatalf("Profiles: %d profiles, %v; want %d", len(got), err, total)
	}
	pages := 0
	err = c.ProfilePages(context.Background(), 300, func(page []livefyre.RemoteProfile) error {
		if pages++; len(page) > 300 {
			t.Errorf("page %d: %d profiles, want at most 300", pages, len(page))
		}
		return nil
	})
	if want := (total + 299) / 300; err != nil || pages != want {
		t.Errorf("ProfilePages: %d pages, %v; want %d", pages, err, want)
	}
}

// TestListingWhileChanging walks pages while profiles are rewritten and
// added between them: every profile stored for the whole walk is listed
// at least once, and each one not rewritten during it exactly once.
func TestListingWhileChanging(t *testing.T) {
	const total, limit = 3000, 100
	ns, js := listingNATS(t)
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL = ns.ClientURL() })
	ids := userIDs("w-", total)
	storeProfiles(t, js, ids, 0)

	rewritten := map[string]bool{}
	seen := map[string]int{}
	next := fmt.Sprintf("/profiles/?limit=%d", limit)
	for page := 0; next != ""; page++ {
		var got []listed
		_, got, next = listPage(t, s, next)
		for _, p := range got {
			seen[p.ID]++
		}
		// Rewrite some profiles already listed and some not yet, and
		// add new ones.
		var changed []string
		for i := range 7 {
			id := ids[(page*389+i*1013)%total]
			rewritten[id] = true
			changed = append(changed, id)
		}
		changed = append(changed, fmt.Sprintf("new-%d-a", page), fmt.Sprintf("new-%d-b", page))
		rewrite(t, js, changed, page)
		if page > 10*total/limit {
			t.Fatal("the walk does not end")
		}
	}
	for _, id := range ids {
		switch n := seen[id]; {
		case n == 0:
			t.Errorf("%s never listed", id)
		case n > 1 && !rewritten[id]:
			t.Errorf("%s listed %d times though never rewritten", id, n)
		}
	}
	var twice int
	for id := range rewritten {
		if seen[id] > 1 {
			twice++
		}
	}
	t.Logf("%d profiles rewritten during the walk, %d of them listed more than once", len(rewritten), twice)
}

// TestListingUnavailable: a store that cannot be read makes every listing
// a 503 with the error envelope, never an empty 200 (issue 13), whether
// the bucket is gone or the NATS server holding it has died.
func TestListingUnavailable(t *testing.T) {
	ns, js := listingNATS(t)
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL = ns.ClientURL() })
	storeProfiles(t, js, userIDs("x-", 10), 0)
	check := func(when string) {
		t.Helper()
		for _, path := range []string{"/profiles/", "/profiles/?limit=5"} {
			resp, err := http.Get(s.URL + path + sep(path) + "actor_token=" + url.QueryEscape(systemToken(t)))
			if err != nil {
				t.Fatal(err)
			}
			env := decodeEnvelope(t, resp)
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable || env.Status != "error" || env.Code != http.StatusServiceUnavailable {
				t.Errorf("%s: GET %s: status %d, envelope %+v; want 503 and an error envelope", when, path, resp.StatusCode, env)
			}
		}
	}
	if err := js.DeleteStream(context.Background(), "KV_p4p_profiles"); err != nil {
		t.Fatal(err)
	}
	check("bucket deleted")
	ns.Shutdown()
	ns.WaitForShutdown()
	check("NATS server stopped")
}

// TestListingAbortsMidStream: when the store fails while the unpaged
// array streams, the connection is cut, so the client gets an error
// instead of a well-formed array that looks like the whole network.
func TestListingAbortsMidStream(t *testing.T) {
	// 4,000 profiles of 8 kB: 32 MB, more than loopback buffers hold, so
	// the listing is still reading the store when the bucket goes.
	ns, js := listingNATS(t)
	s := startMock(t, func(c *mockserver.Config) { c.NATSURL = ns.ClientURL() })
	storeProfiles(t, js, userIDs("y-", 4000), 8<<10)
	resp, err := http.Get(s.URL + "/profiles/?actor_token=" + url.QueryEscape(systemToken(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	first := make([]byte, 1)
	if _, err := io.ReadFull(resp.Body, first); err != nil || first[0] != '[' {
		t.Fatalf("first byte %q, %v; want [", first, err)
	}
	if err := js.DeleteStream(context.Background(), "KV_p4p_profiles"); err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("read %d bytes and a clean end (valid JSON: %v); want the connection cut", len(body)+1, json.Valid(append(first, body...)))
	}
	t.Logf("%d bytes, then %v", len(body)+1, err)
}

// TestListingBadQuery: limit and cursor are checked; a bad one is a 400.
func TestListingBadQuery(t *testing.T) {
	s := startMock(t, nil)
	for _, q := range []string{"limit=-1", "limit=1001", "limit=x", "limit=1&limit=2", "limit=99999999999",
		"cursor=", "cursor=zz", "cursor=AQAAAAAAAAAA", "cursor=AgAAAAAAAAAB", "cursor=" + strings.Repeat("A", 100), "cursor=a&cursor=b"} {
		resp, _, _ := listPage(t, s, "/profiles/?"+q)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", q, resp.StatusCode)
		}
	}
	for _, q := range []string{"limit=0", "limit=1000", "cursor=AQAAAAAAAAAB", "limit=3&cursor=AQAAAAAAAAAB"} {
		if resp, _, _ := listPage(t, s, "/profiles/?"+q); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200", q, resp.StatusCode)
		}
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
