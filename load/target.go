package load

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p"
)

// pullTargets are the Pull endpoint's URLs for the run's users, hit in
// turn as Livefyre would: GET, the template filled with the id, lftoken
// appended (spec 1.5).
type pullTargets struct {
	bases  []string         // the filled template per user, without the token
	suffix string           // "?lftoken=…" or "&lftoken=…"
	shown  string           // suffix with the token redacted
	index  map[string]int32 // base → user
	ids    []string
	next   atomic.Uint64
}

func newPullTargets(template string, ids []string, tok string) *pullTargets {
	// A template written with {id} percent-encoded, as some CMS forms
	// save it, is filled all the same (p4p.Template; Check accepts it).
	tmpl := p4p.Template(template)
	t := &pullTargets{bases: make([]string, len(ids)), index: make(map[string]int32, len(ids)), ids: ids}
	for i, id := range ids {
		u := tmpl.PullURL(id, tok)
		t.bases[i] = u[:strings.LastIndex(u, "lftoken=")-1]
		t.index[t.bases[i]] = int32(i)
	}
	if len(ids) > 0 {
		t.suffix = tmpl.PullURL(ids[0], tok)[len(t.bases[0]):]
		t.shown = t.suffix[:1] + "lftoken=" + p4p.Redacted
	}
	return t
}

// targeter hands out the users' URLs round-robin.
func (t *pullTargets) targeter() vegeta.Targeter {
	return func(tgt *vegeta.Target) error {
		i := (t.next.Add(1) - 1) % uint64(len(t.bases))
		tgt.Method, tgt.URL = http.MethodGet, t.bases[i]+t.suffix
		return nil
	}
}

// user returns the user (its index in the run's ids) a result's URL was
// for, and the URL with its token redacted.
func (t *pullTargets) user(u string) (i int, shown string, ok bool) {
	base, found := strings.CutSuffix(u, t.suffix)
	if !found {
		return 0, "", false
	}
	n, ok := t.index[base]
	if !ok {
		return 0, "", false
	}
	return int(n), base + t.shown, true
}

// pingTargets are pings for the run's users, round-robin: POST
// /api/v3_0/user/{id}/refresh with the system token in a form body, as
// the SDKs send them (spec 1.4, 3.3).
type pingTargets struct {
	urls   []string
	body   []byte
	header http.Header
	next   atomic.Uint64
}

func newPingTargets(livefyreURL string, ids []string, tok string) *pingTargets {
	base := strings.TrimSuffix(livefyreURL, "/")
	t := &pingTargets{urls: make([]string, len(ids)),
		body:   []byte(url.Values{"lftoken": {tok}}.Encode()),
		header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
	for i, id := range ids {
		t.urls[i] = base + "/api/v3_0/user/" + url.PathEscape(id) + "/refresh"
	}
	return t
}

func (t *pingTargets) targeter() vegeta.Targeter {
	return func(tgt *vegeta.Target) error {
		i := (t.next.Add(1) - 1) % uint64(len(t.urls))
		tgt.Method, tgt.URL, tgt.Body, tgt.Header = http.MethodPost, t.urls[i], t.body, t.header
		return nil
	}
}
