package load

import (
	"time"

	"p4p"
	"p4p/reports"
)

// maxShown bounds the users whose latest visible pull the tracker keeps:
// the run's own users, with room for others pinged by someone else.
const maxShown = 1 << 20

// visibility follows every updated ping until the app's view shows it:
// the mock's app.visible event for the ping's pull, or for a later pull
// of the same user (a pull superseded before any bootstrap refresh never
// gets one, and a later pull stored what the earlier asked for). Its
// methods are called with the tracker's lock held.
//
// An app.visible can be missed: in a gap of /events, or when the mock
// restarted between a store and the next refresh (it keeps what waits to
// be shown in memory). So at each bootstrap.refreshed, the updates still
// waiting that were stored (by the mock's clock) at or before the
// previous refresh are settled as visible when that previous refresh was
// seen: every user has a comment in every collection, so any refresh
// after the store shows it, and the previous refresh's own app.visible
// events all came before this event. While no event is missed this
// settles nothing.
type visibility struct {
	promise  time.Duration        // the combined promise: pull plus bootstrap cadence, over the time scale
	awaiting map[string][]updated // user → its updated pings not yet visible
	shown    map[string]sighting  // user → the latest app.visible seen
	open     int64                // len of all awaiting
	latency  *distribution
	visible  int64
	within   int64
	refresh  sighting // the last bootstrap.refreshed seen, at the mock's clock
}

// updated is a ping whose update was seen, waiting to be visible.
type updated struct {
	pullID string
	sent   time.Time // the ping
	at     time.Time // its update seen
	stored time.Time // its update stored, by the mock's clock; zero if unknown
}

// sighting is an event seen at a local time, with the pull or mock time
// it names.
type sighting struct {
	pullID string
	mock   time.Time
	at     time.Time
}

func newVisibility(promise, ceiling time.Duration) visibility {
	return visibility{promise: promise, awaiting: map[string][]updated{}, shown: map[string]sighting{},
		latency: newDistribution(ceiling, runDigits)}
}

// update waits for u, of user, to become visible, unless a pull at least
// as late has already been shown.
func (v *visibility) update(user string, u updated) {
	if s, ok := v.shown[user]; ok && p4p.PullID(s.pullID).AtLeast(p4p.PullID(u.pullID)) {
		v.record(u, s.at)
		return
	}
	v.awaiting[user] = append(v.awaiting[user], u)
	v.open++
}

// appVisible settles user's updates from pullID or earlier as visible
// at at.
func (v *visibility) appVisible(user, pullID string, at time.Time) {
	if s, ok := v.shown[user]; ok || len(v.shown) < maxShown {
		if !ok || p4p.PullID(pullID).AtLeast(p4p.PullID(s.pullID)) {
			v.shown[user] = sighting{pullID: pullID, at: at}
		}
	}
	rest := v.awaiting[user][:0]
	for _, u := range v.awaiting[user] {
		if p4p.PullID(pullID).AtLeast(p4p.PullID(u.pullID)) {
			v.record(u, at)
			v.open--
			continue
		}
		rest = append(rest, u)
	}
	if len(rest) == 0 {
		delete(v.awaiting, user)
		return
	}
	v.awaiting[user] = rest
}

// refreshed notes a bootstrap refresh made at mock, seen at at; after a
// missed app.visible it settles what the previous refresh showed.
func (v *visibility) refreshed(mock, at time.Time) {
	if mock.Equal(v.refresh.mock) {
		return // another collection of the same refresh
	}
	prev := v.refresh
	v.refresh = sighting{mock: mock, at: at}
	if prev.at.IsZero() {
		return
	}
	for user, us := range v.awaiting {
		rest := us[:0]
		for _, u := range us {
			if !u.stored.IsZero() && !u.stored.After(prev.mock) {
				v.record(u, prev.at)
				v.open--
				continue
			}
			rest = append(rest, u)
		}
		if len(rest) == 0 {
			delete(v.awaiting, user)
		} else {
			v.awaiting[user] = rest
		}
	}
}

// record counts u visible at at, and never before its update was seen.
func (v *visibility) record(u updated, at time.Time) {
	d := max(at.Sub(u.sent), u.at.Sub(u.sent), 0)
	v.visible++
	if d <= v.promise {
		v.within++
	}
	v.latency.record(d)
}

// fill writes the ping-to-visible figures into p; acknowledged is the
// pings the share within the promise is of.
func (v *visibility) fill(p *reports.Propagation, acknowledged int64) {
	p.Visible = v.latency.percentiles()
	p.VisibleHistogram = v.latency.buckets(30)
	p.VisiblePromiseMS = float64(v.promise) / 1e6
	p.NotVisible = v.open
	if acknowledged > 0 {
		p.WithinVisiblePromise = float64(v.within) / float64(acknowledged)
	}
}
