package conformance

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// updateRound is one round of P4P-PIPE-003's changes: one change to each
// of ids, made all at once, each within one propagation budget.
type updateRound struct {
	name string
	ids  []string
	back bool // each user's old display name is put back
}

// updateRounds is how many rounds P4P-PIPE-003 makes; the check takes at
// most that many propagation budgets.
const updateRounds = 3

// updatePropagates changes display names through the update hook and
// checks that every change reaches the profile Livefyre stores: every
// user served changes once, all at once; the first of them changes again;
// then every user's old display name is put back, all at once. After each
// round, every user's served display name, and the stored one of each
// user the round left alone, must be the one the user was last given: a
// change to one user reaches no other. The first round that fails ends
// the check, and the old names are put back, best effort.
func updatePropagates(ctx context.Context, p *Probe) error {
	if p.Config().UpdateHook == "" {
		return skip("no update hook was given (--update-hook)")
	}
	u, err := startUpdates(ctx, p)
	if err != nil {
		return err
	}
	first := u.ids[0]
	rounds := [updateRounds]updateRound{
		{"every user's first change", u.ids, false},
		{fmt.Sprintf("the second change of %q", first), u.ids[:1], false},
		{"every user's old display name put back", u.ids, true},
	}
	for _, r := range rounds {
		if err := u.round(ctx, r); err != nil {
			u.restore(context.WithoutCancel(ctx))
			return err
		}
	}
	return nil
}

// updates is P4P-PIPE-003's state: the users it changes, the display
// name each had before and the one each should have now, and every change
// made, to tell whose a stored or served value is.
type updates struct {
	p       *Probe
	ids     []string          // the users served with a display name, in --user order
	old     map[string]string // each user's display name before the check
	want    map[string]string // each user's display name as the changes so far left it
	changes []change          // every change made, in order
}

// startUpdates pulls every user and keeps those served with a display
// name, and that name.
func startUpdates(ctx context.Context, p *Probe) (*updates, error) {
	served, err := pullEach(ctx, p)
	if err != nil {
		return nil, err
	}
	u := &updates{p: p, old: map[string]string{}, want: map[string]string{}}
	for _, s := range served {
		if slices.Contains(u.ids, s.id) {
			continue // given twice: changed once, or its changes would race
		}
		name, ok := displayName(s.body)
		if !ok {
			p.Note("%q is served without a display_name string, so it was not changed (see P4P-RESP-003)", s.id)
			continue
		}
		u.ids = append(u.ids, s.id)
		u.old[s.id], u.want[s.id] = name, name
	}
	if len(u.ids) == 0 {
		return nil, skip("no user's display name could be read before the changes; see the response specs")
	}
	return u, nil
}

// displayName is a profile's display_name, if it is a string.
func displayName(body []byte) (string, bool) {
	var p struct {
		DisplayName *string `json:"display_name"`
	}
	if json.Unmarshal(body, &p) != nil || p.DisplayName == nil {
		return "", false
	}
	return *p.DisplayName, true
}

// round makes r's changes at once, one goroutine and one watch of
// Livefyre's events per user, then checks that they reached no other
// user.
func (u *updates) round(ctx context.Context, r updateRound) error {
	changes := make([]change, len(r.ids))
	for i, id := range r.ids {
		changes[i] = u.next(id, r.back)
	}
	took := make([]time.Duration, len(changes))
	errs := make([]error, len(changes))
	var wg sync.WaitGroup
	for i, c := range changes {
		wg.Go(func() { took[i], errs[i] = u.propagate(ctx, c) })
	}
	wg.Wait()
	if err := u.roundError(errs); err != nil {
		return err
	}
	u.note(r, changes, took)
	return u.settled(ctx, r, changes)
}

// next is the next change of id: a fresh display name, or back to the
// old one.
func (u *updates) next(id string, back bool) change {
	c := change{id: id, nth: 1, from: u.want[id], to: "p4p check " + rand.Text()[:8], back: back}
	for _, earlier := range u.changes {
		if earlier.id == id {
			c.nth++
		}
	}
	if back {
		c.to = u.old[id]
	}
	u.changes = append(u.changes, c)
	u.want[id] = c.to
	return c
}

// propagate makes change c through the update hook and waits, within
// one propagation budget, for the end of a pull queued by a ping after
// it: the profile Livefyre then stored must have c's display name. When
// it has not and a later ping is still to be answered, it waits for that
// one too. It returns the time from the change to the stored profile.
func (u *updates) propagate(ctx context.Context, c change) (time.Duration, error) {
	p := u.p
	w, err := p.watch(ctx, c.id)
	if err != nil {
		return 0, err
	}
	defer w.close()
	start := time.Now()
	if err := p.hook(ctx, c.id, c.to, c.String()); err != nil {
		p.blame(hookTitle(c.String()))
		return 0, stepError{c: c, cause: causeHook, err: fmt.Errorf("%s: %w", c, err)}
	}
	if err := p.harnessPing(ctx, c.id, c.String()); err != nil {
		return 0, stepError{c: c, err: fmt.Errorf("%s: %w", c, err)}
	}
	ctx, cancel := context.WithTimeout(ctx, p.budget())
	defer cancel()
	done := ""
	for {
		ev, err := w.outcome(ctx, w.since(done))
		if err != nil {
			return 0, u.noOutcome(c, w, err)
		}
		title := c.title("read the profile Livefyre stored")
		got, err := u.storedName(ctx, title, c.id)
		switch {
		case err != nil:
			return 0, stepError{c: c, err: fmt.Errorf("%s: %w", c, err)}
		case got == c.to:
			return time.Since(start), nil
		case w.pingedAfter(ev.PullID):
			done = ev.PullID
			continue
		}
		p.blame(title)
		return 0, u.notStored(ctx, c, got)
	}
}

// noOutcome is the error of a change whose pull did not end well within
// the budget: no ping came, or the pull failed or is still to end.
func (u *updates) noOutcome(c change, w *watcher, err error) error {
	if len(w.pings) == 0 && !errors.Is(err, context.Canceled) {
		u.p.blame(hookTitle(c.String()))
		return stepError{c: c, cause: causeNoPing, err: err}
	}
	return stepError{c: c, err: fmt.Errorf("%s: %w", c, err)}
}

// settled checks, after round r, that every user's served display name,
// and the stored one of each user r did not change, is the one the user
// was last given: that no change reached another user. The users are
// read at once.
func (u *updates) settled(ctx context.Context, r updateRound, changes []change) error {
	errs := make([][]error, len(u.ids))
	var wg sync.WaitGroup
	for i, id := range u.ids {
		wg.Go(func() { errs[i] = u.settledUser(ctx, r, id, changes) })
	}
	wg.Wait()
	return u.roundError(slices.Concat(errs...))
}

// settledUser checks one user for settled.
func (u *updates) settledUser(ctx context.Context, r updateRound, id string, changes []change) []error {
	title := fmt.Sprintf("after %s: pull %q", r.name, id)
	got, err := u.servedName(ctx, title, id)
	if err != nil {
		return []error{err}
	}
	var errs []error
	if got != u.want[id] {
		errs = append(errs, u.leak(title, "the endpoint serves", id, got, changes))
	}
	if changedIn(changes, id) {
		return errs // its stored profile was checked
	}
	title = fmt.Sprintf("after %s: read the profile Livefyre stored for %q", r.name, id)
	if got, err = u.storedName(ctx, title, id); err != nil {
		return append(errs, err)
	}
	if got != u.want[id] {
		errs = append(errs, u.leak(title, "Livefyre stored", id, got, changes))
	}
	return errs
}

// note records how long each change of a round took to be stored.
func (u *updates) note(r updateRound, changes []change, took []time.Duration) {
	each := make([]string, len(changes))
	for i, c := range changes {
		each[i] = fmt.Sprintf("%q %s", c.id, took[i].Round(time.Millisecond))
	}
	u.p.Note("%s: change to stored profile: %s (budget %s each)", r.name, strings.Join(each, ", "), u.p.budget())
}

// servedName is the display name the endpoint serves for id now.
func (u *updates) servedName(ctx context.Context, title, id string) (string, error) {
	r, err := u.p.pull(ctx, title, id, systemInteger)
	if err != nil {
		return "", err
	}
	name, ok := displayName(r.body)
	if r.status != http.StatusOK || !ok {
		u.p.blame(title)
		return "", fmt.Errorf("%s: answered %s without a display_name string", title, statusText(r.status))
	}
	return name, nil
}

// storedName is the display name of the profile Livefyre stored for id.
func (u *updates) storedName(ctx context.Context, title, id string) (string, error) {
	stored, err := u.p.stored(ctx, title, id)
	if err != nil {
		return "", err
	}
	name, _ := displayName(stored)
	return name, nil
}

// restore puts back, best effort, the old display name of every user the
// check changed; it does not wait for Livefyre.
func (u *updates) restore(ctx context.Context) {
	for _, id := range u.ids {
		if !changedIn(u.changes, id) {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, u.p.Config().Timeout)
		err := u.p.update(ctx, id, u.old[id], fmt.Sprintf("put the old display name of %q back, best effort", id))
		cancel()
		if err != nil {
			u.p.Note("the old display name of %q, %q, could not be put back: %v", id, u.old[id], err)
		}
	}
}

// hookTitle is the title of the update hook's exchange in a step.
func hookTitle(step string) string { return step + ": the update hook" }

// update changes id's display name through the update hook, then pings
// if the harness is to; the exchanges are titled after step.
func (p *Probe) update(ctx context.Context, id, name, step string) error {
	if err := p.hook(ctx, id, name, step); err != nil {
		return err
	}
	return p.harnessPing(ctx, id, step)
}

// hook POSTs {"id", "display_name"} to the update hook, which must answer
// 2xx.
func (p *Probe) hook(ctx context.Context, id, name, step string) error {
	body, _ := json.Marshal(map[string]string{"id": id, "display_name": name})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.Config().UpdateHook, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	r, err := p.do(req, hookTitle(step))
	if err != nil {
		return fmt.Errorf("the update hook: %w", err)
	}
	if r.status/100 != 2 {
		return fmt.Errorf("the update hook answered %s; want 2xx", statusText(r.status))
	}
	return nil
}

// harnessPing pings Livefyre for id if the harness is to (HarnessPings).
func (p *Probe) harnessPing(ctx context.Context, id, step string) error {
	if !p.Config().HarnessPings {
		return nil
	}
	if _, err := p.livefyre(step+": the harness's ping").Ping(ctx, id); err != nil {
		return fmt.Errorf("the ping after the change was refused: %w", err)
	}
	return nil
}
