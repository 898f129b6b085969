package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// change is one step of P4P-PIPE-003: a new display name for one user,
// through the update hook.
type change struct {
	id   string
	nth  int    // 1 for the user's first change in the check
	from string // the display name before it
	to   string
	back bool // to is the user's display name from before the check
}

// String names the change, the user and the value, for messages and
// evidence titles.
func (c change) String() string {
	if c.back {
		return fmt.Sprintf("the %s change of %q, back to its old display name %q", ordinal(c.nth), c.id, c.to)
	}
	return fmt.Sprintf("the %s change of %q (to %q)", ordinal(c.nth), c.id, c.to)
}

// title is the title of one of the change's exchanges.
func (c change) title(what string) string { return c.String() + ": " + what }

func ordinal(n int) string {
	if words := []string{"first", "second", "third", "fourth", "fifth"}; n >= 1 && n <= len(words) {
		return words[n-1]
	}
	return fmt.Sprintf("%dth", n)
}

// changedIn says whether one of changes is to id.
func changedIn(changes []change, id string) bool {
	for _, c := range changes {
		if c.id == id {
			return true
		}
	}
	return false
}

// cause is why a change did not reach Livefyre; it picks the fix.
type cause int

const (
	causeOther  cause = iota // a pull that failed or never ended: the spec's Fix
	causeHook                // the update hook refused the change
	causeNoPing              // no ping followed the change
	causeStale               // a pull after the ping got data from before the change
	causeLeak                // the change reached another user
)

// causeFixes are the fixes of the causes, in the order they are given
// when a round fails for several.
var causeFixes = []struct {
	cause cause
	fix   string
}{
	{causeHook, `Make the update hook (--update-hook) accept a POST of {"id": …, "display_name": …} as application/json, apply it to that user and answer 2xx.`},
	{causeNoPing, "Ping Livefyre after every profile change, for the user who changed (the SDKs' syncUser, or POST https://{network}.quill.fyre.co/api/v3.0/user/{id}/refresh?lftoken={system token}); if your site's pings come from another system, run with --harness-pings so that the suite pings instead."},
	{causeStale, "Make every change reach what the Pull endpoint serves before you ping Livefyre: write every change, not only a user's first (an insert that ignores an existing row keeps the first), and invalidate caches (CDN, application, database replica) when a profile changes."},
	{causeLeak, "Apply a change to the user it names and to no other: key the update, and every cache of profiles, by the user id (an UPDATE whose WHERE clause lost the id, or a cache keyed without it, changes every user)."},
}

// stepError is a change that did not reach Livefyre, and why.
type stepError struct {
	c     change
	cause cause
	err   error
}

func (e stepError) Error() string { return e.err.Error() }
func (e stepError) Unwrap() error { return e.err }

// roundError joins a round's failures into one error that carries the
// fixes of their causes, or is nil when there are none. The changes no
// ping followed are named together, with the advice once; a failure of
// no known cause leaves the spec's Fix, which covers them all.
func (u *updates) roundError(errs []error) error {
	var msgs, noPing []string
	causes := map[cause]bool{}
	for _, err := range errs {
		var se stepError
		switch {
		case err == nil:
			continue
		case !errors.As(err, &se):
			se = stepError{err: err}
		}
		causes[se.cause] = true
		if se.cause == causeNoPing {
			noPing = append(noPing, se.c.String())
			continue
		}
		msgs = append(msgs, se.Error())
	}
	if len(noPing) > 0 {
		msgs = append([]string{fmt.Sprintf("no ping reached Livefyre within the propagation budget of %s after %s: "+
			"does your site ping after a profile change? If it never does, run with --harness-pings", u.p.budget(), joinList(noPing))}, msgs...)
	}
	if len(msgs) == 0 {
		return nil
	}
	err := errors.New(strings.Join(msgs, "; "))
	if causes[causeOther] {
		return err
	}
	var fixes []string
	for _, cf := range causeFixes {
		if causes[cf.cause] {
			fixes = append(fixes, cf.fix)
		}
	}
	return withFix(err, strings.Join(fixes, " "))
}

// joinList is "a", "a and b", "a, b and c".
func joinList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// origin says whose a display name found in id's profile is, the user's
// own values first: an earlier change of the user, the value before the
// change (before), the user's name before the check, then another user's
// change or name. owner is the user the value belongs to; both are ""
// when the value is none the check set or saw.
func (u *updates) origin(v, id, before string) (desc, owner string) {
	for i := len(u.changes) - 1; i >= 0; i-- {
		if c := u.changes[i]; c.id == id && c.to == v && !c.back {
			return "the value of its " + ordinal(c.nth) + " change", id
		}
	}
	switch v {
	case before:
		return "the value before the change", id
	case u.old[id]:
		return "its display name before the check", id
	}
	for i := len(u.changes) - 1; i >= 0; i-- {
		if c := u.changes[i]; c.id != id && c.to == v && !c.back {
			return "the value of " + c.String(), c.id
		}
	}
	for _, other := range u.ids {
		if other != id && u.old[other] == v {
			return fmt.Sprintf("the display name of %q", other), other
		}
	}
	return "", ""
}

// notStored is the error of change c, whose pull after the ping stored
// got: another user's value, or an older value of the user's, which the
// endpoint serves now or not.
func (u *updates) notStored(ctx context.Context, c change, got string) error {
	msg := fmt.Sprintf("%s was never stored: Livefyre stored %q", c, got)
	desc, owner := u.origin(got, c.id, c.from)
	if desc != "" {
		msg += ", " + desc
	}
	if owner != "" && owner != c.id {
		return stepError{c: c, cause: causeLeak, err: fmt.Errorf("%s: a change to %q reached %q", msg, owner, c.id)}
	}
	title := c.title("pull the profile served now")
	now, err := u.servedName(ctx, title, c.id)
	switch {
	case err != nil:
	case now == c.to:
		msg += fmt.Sprintf("; the endpoint serves %q now, so it answered Livefyre's pull with data from before the change", now)
	case now == got:
		u.p.blame(title)
		msg += fmt.Sprintf("; the endpoint still serves %q: the change was not applied though the hook answered 2xx, or a cache serves the profile from before it", now)
	default:
		u.p.blame(title)
		msg += fmt.Sprintf("; the endpoint now serves %q", now)
	}
	return stepError{c: c, cause: causeStale, err: errors.New(msg)}
}

// leak is the error of a user whose display name, served or stored after
// a round, is not the one it was last given (where says which). The
// round's change that set it is named when the value tells which.
func (u *updates) leak(title, where, id, got string, changes []change) error {
	u.p.blame(title)
	want := u.want[id]
	for _, c := range changes {
		if c.id != id && c.to == got {
			return stepError{c: c, cause: causeLeak,
				err: fmt.Errorf("%s also changed %q: %s display_name %q for it, not %q", c, id, where, got, want)}
		}
	}
	msg := fmt.Sprintf("after %s, %s display_name %q for %q, not %q", joinList(changeNames(changes)), where, got, id, want)
	if desc, _ := u.origin(got, id, want); desc != "" {
		msg += " (" + desc + ")"
	}
	return stepError{err: errors.New(msg)}
}

func changeNames(changes []change) []string {
	names := make([]string, len(changes))
	for i, c := range changes {
		names[i] = c.String()
	}
	return names
}
