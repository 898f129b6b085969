package mockserver

import (
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"strconv"
	"sync"
	"time"

	"p4p/livefyre"
)

// The app's view (spec 8): collections, their bootstrap refreshes, and
// when a stored profile first shows in the app.
//
// A collection is made on the fly the first time an app asks for it (its
// bootstrap, or the Auth API with siteId and articleId); the default
// collection exists from the start. Making one is its first refresh. Each
// is then refreshed on its own cadence, Config.BootstrapRefresh over the
// time scale, drawn anew each time, as long as the mock keeps it (at most
// Config.MaxCollections, the one requested least recently dropped first).
//
// A refresh stores no copy of the profiles: it only moves the collection's
// refresh time R. A page built later shows, for each user, the profile
// stored at or before R (collectionView): the stored one if it was updated
// at or before R, else the one it replaced (RemoteProfile.Previous), else
// none (the user's first profile came after R, so the user has no comment
// yet). The mock keeps one previous version, and replaces it only when
// the version it replaces was shown by some refresh: so with one
// collection, or collections refreshing in step, a page shows exactly what
// a bootstrap regenerated at R would; a collection refreshed after another
// may, for a user updated twice between its refreshes, show the middle
// version early.
//
// app.visible: a stored profile becomes visible at the first refresh of
// any collection at or after it was stored (every user has a comment in
// every collection). Since the default collection always exists and
// refreshes, a profile becomes visible within one cadence even when no app
// has asked for a collection. The event is emitted once per pull whose
// profile is shown; a pull superseded before any refresh never is. Only
// pulls made by this mock are followed.

// Default collection, which exists from the start so that the cadence
// runs (and app.visible is emitted) before any app asks for a collection.
const (
	DefaultSiteID    = "0"
	DefaultArticleID = "p4p-default"
	// minRefreshTick is the finest the refresh loop wakes, so that many
	// collections at a high time scale refresh in batches.
	minRefreshTick = 10 * time.Millisecond
	// maxPendingVisible bounds the stored profiles waiting for a refresh;
	// past it, new ones are not followed (logged).
	maxPendingVisible = 1 << 20
)

// collection is one collection the mock serves.
type collection struct {
	id        string
	siteID    string
	articleID string // decoded
	refreshed time.Time
	next      time.Time
	requested time.Time
}

// update is a stored profile not yet shown by any refresh.
type update struct {
	pullID    string
	pingedAt  time.Time
	updatedAt time.Time
}

// appview keeps the collections and follows stored profiles until a
// refresh shows them.
type appview struct {
	cfg  Config
	emit func(livefyre.Event)
	wake chan struct{}

	mu          sync.Mutex
	byKey       map[string]*collection
	byID        map[string]*collection
	pending     map[string]update // by user id
	lastRefresh time.Time         // the latest refresh of any collection
	dropped     bool              // pending was full once (logged once)
}

func newAppview(cfg Config, emit func(livefyre.Event)) *appview {
	a := &appview{cfg: cfg, emit: emit, wake: make(chan struct{}, 1),
		byKey: map[string]*collection{}, byID: map[string]*collection{}, pending: map[string]update{}}
	a.collection(DefaultSiteID, DefaultArticleID, time.Now())
	return a
}

// collectionID is a collection's synthetic id: a number, as Livefyre's
// are, derived from the network, site and article.
func collectionID(network, siteID, articleID string) string {
	sum := sha256.Sum256([]byte(network + "\x00" + siteID + "\x00" + articleID))
	return strconv.FormatUint(binary.BigEndian.Uint64(sum[:8])>>16, 10)
}

// collection returns the collection for siteID and articleID, made (and
// so refreshed) now if new.
func (a *appview) collection(siteID, articleID string, now time.Time) collection {
	a.mu.Lock()
	key := siteID + "\x00" + articleID
	c, ok := a.byKey[key]
	if ok {
		c.requested = now
		defer a.mu.Unlock()
		return *c
	}
	if len(a.byKey) >= a.cfg.MaxCollections {
		a.evictLocked()
	}
	c = &collection{id: collectionID(a.cfg.Network, siteID, articleID), siteID: siteID, articleID: articleID, requested: now}
	a.byKey[key], a.byID[c.id] = c, c
	evs := a.refreshLocked([]*collection{c}, now)
	made := *c
	a.mu.Unlock()
	a.kick()
	a.send(evs)
	return made
}

// byCollectionID returns a collection the mock keeps.
func (a *appview) byCollectionID(id string, now time.Time) (collection, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c, ok := a.byID[id]
	if !ok {
		return collection{}, false
	}
	c.requested = now
	return *c, true
}

// evictLocked drops the collection requested least recently, never the
// default one.
func (a *appview) evictLocked() {
	var oldest *collection
	for _, c := range a.byKey {
		if c.siteID == DefaultSiteID && c.articleID == DefaultArticleID {
			continue
		}
		if oldest == nil || c.requested.Before(oldest.requested) {
			oldest = c
		}
	}
	if oldest != nil {
		delete(a.byKey, oldest.siteID+"\x00"+oldest.articleID)
		delete(a.byID, oldest.id)
	}
}

// stored follows a profile a pull stored until a refresh shows it.
func (a *appview) stored(userID, pullID string, pingedAt, updatedAt time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.pending[userID]; !ok && len(a.pending) >= maxPendingVisible {
		if !a.dropped {
			a.dropped = true
			a.cfg.Logger.Warn("app view: too many stored profiles wait for a refresh; some get no app.visible event", "limit", maxPendingVisible)
		}
		return
	}
	a.pending[userID] = update{pullID: pullID, pingedAt: pingedAt, updatedAt: updatedAt}
}

// shown reports whether a profile stored at t has been shown by a refresh:
// the store then keeps it as the previous version when it is replaced.
func (a *appview) shown(t time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !t.After(a.lastRefresh)
}

// run refreshes the collections as they fall due, until done is closed.
func (a *appview) run(done <-chan struct{}) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-done:
			return
		case <-timer.C:
		case <-a.wake:
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		}
		next := a.refreshDue(time.Now())
		timer.Reset(max(time.Until(next), minRefreshTick))
	}
}

func (a *appview) kick() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// refreshDue refreshes the collections due at now and returns when the
// next one falls due.
func (a *appview) refreshDue(now time.Time) time.Time {
	a.mu.Lock()
	var due []*collection
	next := now.Add(a.cfg.scale(a.cfg.BootstrapRefresh.Max) + minRefreshTick)
	for _, c := range a.byKey {
		if !c.next.After(now) {
			due = append(due, c)
		} else if c.next.Before(next) {
			next = c.next
		}
	}
	evs := a.refreshLocked(due, now)
	for _, c := range due {
		if c.next.Before(next) {
			next = c.next
		}
	}
	a.mu.Unlock()
	a.send(evs)
	return next
}

// refreshLocked refreshes cs at now and returns the events to emit: a
// bootstrap.refreshed for each, and an app.visible for each stored
// profile now shown, credited to the first. The caller holds mu.
func (a *appview) refreshLocked(cs []*collection, now time.Time) []livefyre.Event {
	if len(cs) == 0 {
		return nil
	}
	for _, c := range cs {
		c.refreshed = now
		c.next = now.Add(max(a.cfg.scale(a.cfg.BootstrapRefresh.Draw()), minRefreshTick))
	}
	a.lastRefresh = now
	var visible []livefyre.Event
	for user, u := range a.pending {
		if u.updatedAt.After(now) {
			continue
		}
		delete(a.pending, user)
		pinged := u.pingedAt
		visible = append(visible, livefyre.Event{Type: livefyre.AppVisible, Time: now, UserID: user, PullID: u.pullID,
			PingedAt: &pinged, LatencyMS: ms(now.Sub(u.pingedAt)), CollectionID: cs[0].id})
	}
	evs := make([]livefyre.Event, 0, len(cs)+len(visible))
	for i, c := range cs {
		ev := livefyre.Event{Type: livefyre.BootstrapRefreshed, Time: now, CollectionID: c.id}
		if i == 0 {
			ev.Authors = len(visible)
		}
		evs = append(evs, ev)
	}
	return append(evs, visible...)
}

func (a *appview) send(evs []livefyre.Event) {
	for _, ev := range evs {
		a.emit(ev)
	}
}

// startAppview starts the collections' refreshes, which run until Close.
func (s *Server) startAppview() {
	s.appview = newAppview(s.cfg, s.events.emit)
	s.watching.Add(1)
	go func() {
		defer s.watching.Done()
		s.appview.run(s.done)
	}()
}

// appRoutes adds the app's view: the Auth API and bootstrap (spec 8.2, 8.3).
func (s *Server) appRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/api/v3.0/auth/{$}", s.handleAuth)
	mux.HandleFunc("/bs3/v3.1/{network}/{site}/{article}/{file}", s.handleBootstrap)
	mux.HandleFunc("/bs3/{network}/{site}/{article}/{file}", s.handleBootstrap) // iOS
}

// keepPrevious keeps the profile an update replaces as rp.Previous, if a
// refresh has shown it; one never shown leaves the Previous before it,
// the version the apps still show.
func (s *Server) keepPrevious(rp *livefyre.RemoteProfile) {
	if len(rp.Profile) == 0 || rp.Sync.LastUpdateAt == nil || !s.appview.shown(*rp.Sync.LastUpdateAt) {
		return
	}
	rp.Previous = &livefyre.ProfileVersion{Profile: rp.Profile, UpdatedAt: *rp.Sync.LastUpdateAt}
}
