package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"p4p"
	"p4p/livefyre"
)

// watcher follows Livefyre's events for one user.
type watcher struct {
	p      *Probe
	id     string
	stream *livefyre.Stream
	pings  []livefyre.Event // ping.accepted events seen so far
	ends   []livefyre.Event // ends of pulls seen so far: profile.updated, final pull.failed
}

// watch starts following the pipeline's events for user id. The events
// are not evidence; what they lead to is.
func (p *Probe) watch(ctx context.Context, id string) (*watcher, error) {
	s, err := p.env.livefyre.Events(ctx)
	if err != nil {
		return nil, fmt.Errorf("following Livefyre's events: %w", err)
	}
	return &watcher{p: p, id: id, stream: s}, nil
}

func (w *watcher) close() { w.stream.Close() }

// budget is the propagation budget in the run's Livefyre time.
func (p *Probe) budget() time.Duration { return p.env.cfg.budget(p.env.timeScale) }

// outcome waits, within the budget, for the end of a pull of the user
// that mine selects: the profile stored, or a final failure. A pull's end
// can come before the ping that queued it: the mock announces a ping once
// it is queued, and a quick pull may end first. So mine may select an end
// only once a later ping is seen (watcher.since does), and the ends seen
// are kept and judged again at each ping.
func (w *watcher) outcome(ctx context.Context, mine func(livefyre.Event) bool) (livefyre.Event, error) {
	ctx, cancel := context.WithTimeout(ctx, w.p.budget())
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return livefyre.Event{}, w.timeout(ctx)
		case e, ok := <-w.stream.C:
			if !ok {
				caught, err := w.reopen(ctx, mine)
				if err != nil {
					return livefyre.Event{}, err
				}
				if caught == nil {
					continue
				}
				e = *caught
			}
			if e.UserID != w.id {
				continue
			}
			switch {
			case e.Type == livefyre.PingAccepted:
				w.pings = append(w.pings, e)
			case isEnd(e):
				w.ends = append(w.ends, e)
			}
			for _, end := range w.ends {
				if mine(end) {
					return end, w.failure(end)
				}
			}
		}
	}
}

// isEnd says whether e ends a pull: the profile stored, or given up.
func isEnd(e livefyre.Event) bool {
	return e.Type == livefyre.ProfileUpdated || e.Type == livefyre.PullFailed && e.Final
}

// failure is the error of a pull's end, nil when the profile was stored.
func (w *watcher) failure(end livefyre.Event) error {
	if end.Type == livefyre.ProfileUpdated {
		return nil
	}
	return fmt.Errorf("the pull of %q by Livefyre failed for good after %d attempt(s): %s", w.id, end.Attempt, end.Error)
}

// reopenPause is the wait between attempts to reopen Livefyre's events.
const reopenPause = 200 * time.Millisecond

// reopen follows Livefyre's events again after the stream ended (the mock
// restarted, say), within the budget, resuming after the last event seen.
// When the mock could not replay every event since, it notes the gap in
// the evidence.
// An outcome that fell in the gap is read from the stored sync record: if
// the user's latest pull is one mine selects and it has ended, reopen
// returns the event that ended it.
func (w *watcher) reopen(ctx context.Context, mine func(livefyre.Event) bool) (*livefyre.Event, error) {
	cause, last := w.stream.Err(), w.stream.LastID()
	w.stream.Close()
	cut := time.Now()
	for {
		s, err := w.p.env.livefyre.EventsAfter(ctx, last)
		if err == nil {
			w.stream = s
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("the event stream from Livefyre ended (%v) and could not be reopened within the propagation budget of %s: %v", cause, w.p.budget(), err)
		case <-time.After(reopenPause):
		}
	}
	if w.stream.Resumed() {
		return nil, nil // every event since the cut is replayed: no gap
	}
	w.p.Note("Livefyre's event stream was cut off (%v) and reopened after %s; outcomes in the gap are read from the stored sync record", cause, time.Since(cut).Round(time.Millisecond))
	rp, err := w.p.env.livefyre.Profile(ctx, w.id)
	if err != nil {
		return nil, nil // nothing stored yet: the events will tell
	}
	var e livefyre.Event
	switch rp.Sync.Outcome {
	case livefyre.OutcomeSucceeded:
		e = livefyre.Event{Type: livefyre.ProfileUpdated, UserID: w.id, PullID: rp.Sync.PullID, LatencyMS: rp.Sync.LatencyMS}
	case livefyre.OutcomeFailed:
		e = livefyre.Event{Type: livefyre.PullFailed, Final: true, UserID: w.id, PullID: rp.Sync.PullID,
			Attempt: rp.Sync.Attempts, Error: rp.Sync.LastError}
	default:
		return nil, nil
	}
	if !mine(e) {
		return nil, nil
	}
	return &e, nil
}

func (w *watcher) timeout(ctx context.Context) error {
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ctx.Err()
	}
	return fmt.Errorf("no profile of %q was stored within the propagation budget of %s", w.id, w.p.budget())
}

// since selects the pulls that answer for the pings seen since the watch
// began, later than pull done ("" for none): the pull the first such ping
// queued or joined, or a later one (p4p.PullID.AtLeast).
func (w *watcher) since(done string) func(livefyre.Event) bool {
	return func(e livefyre.Event) bool {
		if len(w.pings) == 0 {
			return false
		}
		id := p4p.PullID(e.PullID)
		return id.AtLeast(p4p.PullID(w.pings[0].PullID)) && (done == "" || later(id, p4p.PullID(done)))
	}
}

// pingedAfter says whether a ping seen since the watch began queued or
// joined a pull later than done.
func (w *watcher) pingedAfter(done string) bool {
	for _, e := range w.pings {
		if later(p4p.PullID(e.PullID), p4p.PullID(done)) {
			return true
		}
	}
	return false
}

// later says whether pull a came after pull b.
func later(a, b p4p.PullID) bool { return a != b && a.AtLeast(b) }

// storedProfile is the remote profile Livefyre stored for id.
func (p *Probe) storedProfile(ctx context.Context, id string) ([]byte, error) {
	return p.stored(ctx, fmt.Sprintf("read the profile Livefyre stored for %q", id), id)
}

// stored is the remote profile Livefyre stored for id, read under title.
func (p *Probe) stored(ctx context.Context, title, id string) ([]byte, error) {
	rp, err := p.livefyre(title).Profile(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("reading the stored profile: %w", err)
	}
	if len(rp.Profile) == 0 {
		return nil, fmt.Errorf("Livefyre has no stored profile for %q", id)
	}
	return rp.Profile, nil
}

// jsonDiff names the top-level fields in which two JSON objects differ,
// or "" when they are equal as JSON.
func jsonDiff(a, b []byte) string {
	var x, y map[string]any
	if err := json.Unmarshal(a, &x); err != nil {
		return "the stored profile is not a JSON object"
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return "the served profile is not a JSON object"
	}
	var diffs []string
	for k := range x {
		if _, ok := y[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s stored but no longer served", k))
		} else if !reflect.DeepEqual(x[k], y[k]) {
			diffs = append(diffs, fmt.Sprintf("%s stored as %s, served as %s", k, jsonText(x[k]), jsonText(y[k])))
		}
	}
	for k := range y {
		if _, ok := x[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s served but not stored", k))
		}
	}
	slices.Sort(diffs)
	return strings.Join(diffs, "; ")
}
