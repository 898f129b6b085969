package refapp

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sync"

	"p4p/profile"
)

// users is the site's user database.
type users struct {
	mu   sync.RWMutex
	byID map[string]entry
}

// entry is a user and the JSON the Pull endpoint serves for them, rendered
// once per change rather than once per pull. Both are never modified.
type entry struct {
	p    profile.Profile
	body []byte
}

// newUsers holds ps, whose ids Config.Validate checked.
func newUsers(ps []profile.Profile) (*users, error) {
	u := &users{byID: make(map[string]entry, len(ps))}
	for i, p := range ps {
		e, err := newEntry(clone(p))
		if err != nil {
			return nil, fmt.Errorf("user %d (%s): %w", i, p.ID, err)
		}
		u.byID[p.ID] = e
	}
	return u, nil
}

func newEntry(p profile.Profile) (entry, error) {
	body, err := p.JSON()
	if err != nil {
		return entry{}, err
	}
	return entry{p: p, body: body}, nil
}

// body is the Pull endpoint's answer for a user.
func (u *users) body(id string) ([]byte, bool) {
	u.mu.RLock()
	defer u.mu.RUnlock()
	e, ok := u.byID[id]
	return e.body, ok
}

// get returns a copy of a user's profile.
func (u *users) get(id string) (profile.Profile, bool) {
	u.mu.RLock()
	defer u.mu.RUnlock()
	e, ok := u.byID[id]
	return clone(e.p), ok
}

// change replaces a user's profile with what edit makes of a copy of it,
// holding the lock so concurrent changes to one user do not get lost.
func (u *users) change(id string, edit func(*profile.Profile) ([]byte, error)) (profile.Profile, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	e, ok := u.byID[id]
	if !ok {
		return profile.Profile{}, ErrUnknownUser
	}
	p := clone(e.p)
	body, err := edit(&p)
	if err != nil {
		return profile.Profile{}, err
	}
	u.byID[id] = entry{p: p, body: body}
	return clone(p), nil
}

// summary is one line of GET /users.
type summary struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

// list returns every user's summary, sorted by id.
func (u *users) list() []summary {
	u.mu.RLock()
	out := make([]summary, 0, len(u.byID))
	for _, e := range u.byID {
		out = append(out, summary{e.p.ID, e.p.DisplayName})
	}
	u.mu.RUnlock()
	slices.SortFunc(out, func(a, b summary) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// clone is a deep copy of p, sharing nothing that could be changed.
func clone(p profile.Profile) profile.Profile {
	if p.Name != nil {
		n := *p.Name
		p.Name = &n
	}
	p.Tags = slices.Clone(p.Tags)
	p.Websites = slices.Clone(p.Websites)
	p.EmailNotifications = maps.Clone(p.EmailNotifications)
	p.DisplayRules = maps.Clone(p.DisplayRules)
	p.AutofollowConversations = cloneBool(p.AutofollowConversations)
	p.Moderator = cloneBool(p.Moderator)
	p.GravatarDisabled = cloneBool(p.GravatarDisabled)
	return p
}

func cloneBool(b *profile.Bool) *profile.Bool {
	if b == nil {
		return nil
	}
	c := *b
	return &c
}
