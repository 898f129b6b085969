package mockserver

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"p4p/livefyre"
)

// userIndex is what the admin users list reads: every user with a remote
// profile, or pinged through this mock, most recently updated last, kept
// in memory from a watch of the profiles bucket so that a page or a search
// of a million users costs no store read. Each user is one entry of about
// a hundred bytes plus their id, display name and email.
//
// Order: an entry moves to the end each time the user's profile or sync
// record is written (or this mock accepts a ping for them); "recently
// updated" walks it from the end. A cursor names a position in this order
// and the index's epoch, so a cursor from before a restart is refused
// rather than misread.
type userIndex struct {
	epoch uint32

	mu      sync.RWMutex
	entries []userEntry    // by seq, ascending; removed ones have text ""
	at      map[string]int // user id → position in entries
	dead    map[string]int // user id → dead letters held
	next    uint64         // the seq the next entry gets
	removed int            // entries with text ""
	loading bool           // the watch has not yet read the whole bucket
	watcher jetstream.KeyWatcher
}

// userEntry is one user in the index.
type userEntry struct {
	text    string // id, display name and email, joined by "\x00"
	updated int64  // unix nanoseconds
	seq     uint64
	outcome livefyre.Outcome
}

func (e userEntry) fields() (id, name, email string) {
	id, rest, _ := strings.Cut(e.text, "\x00")
	name, email, _ = strings.Cut(rest, "\x00")
	return id, name, email
}

func newUserIndex(epoch uint32) *userIndex {
	return &userIndex{epoch: epoch, at: map[string]int{}, dead: map[string]int{}, next: 1}
}

// watch fills the index from the profiles bucket and keeps it current
// until stop.
func (x *userIndex) watch(ctx context.Context, kv jetstream.KeyValue) error {
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("watch %s: %w", profilesBucket, err)
	}
	x.mu.Lock()
	x.watcher, x.loading = w, true
	x.mu.Unlock()
	go func() {
		for e := range w.Updates() {
			if e == nil {
				x.mu.Lock()
				x.loading = false
				x.mu.Unlock()
				continue
			}
			x.observe(e.Value(), e.Created())
		}
	}()
	return nil
}

func (x *userIndex) stop() {
	x.mu.Lock()
	w := x.watcher
	x.mu.Unlock()
	if w != nil {
		w.Stop()
	}
}

// observe indexes a stored remote profile.
func (x *userIndex) observe(value []byte, at time.Time) {
	var rp struct {
		ID      string `json:"id"`
		Profile struct {
			DisplayName string `json:"display_name"`
			Email       string `json:"email"`
		} `json:"profile"`
		Sync struct {
			Outcome livefyre.Outcome `json:"outcome"`
		} `json:"sync"`
	}
	if json.Unmarshal(value, &rp) != nil || rp.ID == "" {
		return
	}
	x.put(rp.ID, rp.Profile.DisplayName, rp.Profile.Email, rp.Sync.Outcome, at, false)
}

// pinged notes a ping this mock accepted: the user's pull is pending.
func (x *userIndex) pinged(id string, at time.Time) {
	if x != nil {
		x.put(id, "", "", livefyre.OutcomePending, at, true)
	}
}

// deadLettered counts n more (or, negative, fewer) dead letters for the
// user.
func (x *userIndex) deadLettered(id string, n int) {
	if x == nil {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.dead[id] += n; x.dead[id] <= 0 {
		delete(x.dead, id)
	}
}

// put moves the user's entry to the end with the new values; keep keeps
// the name and email known already (a ping carries none).
func (x *userIndex) put(id, name, email string, outcome livefyre.Outcome, at time.Time, keep bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if i, ok := x.at[id]; ok {
		if keep {
			_, name, email = x.entries[i].fields()
		}
		x.entries[i].text = ""
		x.removed++
	}
	x.entries = append(x.entries, userEntry{text: id + "\x00" + clean(name) + "\x00" + clean(email),
		updated: at.UnixNano(), seq: x.next, outcome: outcome})
	x.at[id] = len(x.entries) - 1
	x.next++
	if x.removed > 1024 && x.removed > len(x.entries)/2 {
		x.compactLocked()
	}
}

// clean keeps the separator out of a field.
func clean(s string) string { return strings.ReplaceAll(s, "\x00", "") }

func (x *userIndex) compactLocked() {
	kept := make([]userEntry, 0, len(x.entries)-x.removed)
	for _, e := range x.entries {
		if e.text != "" {
			id, _, _ := e.fields()
			x.at[id] = len(kept)
			kept = append(kept, e)
		}
	}
	x.entries, x.removed = kept, 0
}

// usersQuery is a parsed GET /admin/v1/users.
type usersQuery struct {
	search  string // lower-cased; a substring of the id, display name or email
	outcome string // "", or one of outcomeFilters
	before  uint64 // entries older than this seq; 0 for the newest
	limit   int
}

// outcomeFilters are the values of the users list's outcome filter.
var outcomeFilters = []string{"pending", "succeeded", "failed", "dead"}

// list answers a page of the users list.
func (x *userIndex) list(q usersQuery) livefyre.UserList {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := livefyre.UserList{Users: []livefyre.UserSummary{}, Indexed: len(x.at), Loading: x.loading}
	i := len(x.entries)
	if q.before > 0 {
		i = sort.Search(len(x.entries), func(i int) bool { return x.entries[i].seq >= q.before })
	}
	for i--; i >= 0; i-- {
		e := x.entries[i]
		if e.text == "" || !x.matchLocked(e, q) {
			continue
		}
		if len(out.Users) == q.limit {
			out.NextCursor = encodeUsersCursor(x.epoch, x.entries[i+1].seq)
			break
		}
		id, name, email := e.fields()
		out.Users = append(out.Users, livefyre.UserSummary{ID: id, DisplayName: name, Email: email,
			Outcome: e.outcome, Dead: x.dead[id] > 0, UpdatedAt: time.Unix(0, e.updated).UTC()})
	}
	return out
}

func (x *userIndex) matchLocked(e userEntry, q usersQuery) bool {
	switch q.outcome {
	case "":
	case "dead":
		id, _, _ := e.fields()
		if x.dead[id] == 0 {
			return false
		}
	default:
		if string(e.outcome) != q.outcome {
			return false
		}
	}
	return q.search == "" || containsFold(e.text, q.search)
}

// containsFold reports whether s contains sub, a lower-case string,
// ignoring case: ASCII letters at byte speed, others through ToLower.
func containsFold(s, sub string) bool {
	for i := 0; i < len(sub); i++ {
		if sub[i] >= 0x80 {
			return strings.Contains(strings.ToLower(s), sub)
		}
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}
