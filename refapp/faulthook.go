package refapp

import "p4p/profile"

// apply changes the user u names as u says, or as the update hook's
// faults get it wrong.
func (s *Server) apply(u Update) (profile.Profile, error) {
	switch {
	case s.cfg.Fault == FaultFirstChangeOnly:
		return s.firstChangeOnly(u)
	case s.cfg.Fault == FaultSharedUpdate && u.DisplayName != nil:
		return s.sharedUpdate(u)
	}
	return s.users.change(u.ID, s.edit(u))
}

// edit applies u to a profile and renders the result.
func (s *Server) edit(u Update) func(*profile.Profile) ([]byte, error) {
	return func(p *profile.Profile) ([]byte, error) {
		u.apply(p)
		return s.render(p)
	}
}

// firstChangeOnly is FaultFirstChangeOnly: a user's first change is
// applied; a later one is checked, then dropped, and the profile returned
// as it is, as if the change had been applied.
func (s *Server) firstChangeOnly(u Update) (profile.Profile, error) {
	if _, changed := s.changedOnce.Load(u.ID); !changed {
		p, err := s.users.change(u.ID, s.edit(u))
		if err == nil {
			s.changedOnce.Store(u.ID, true)
		}
		return p, err
	}
	p, ok := s.users.get(u.ID)
	if !ok {
		return profile.Profile{}, ErrUnknownUser
	}
	dropped := clone(p)
	if _, err := s.edit(u)(&dropped); err != nil {
		return profile.Profile{}, err
	}
	return p, nil
}

// sharedUpdate is FaultSharedUpdate: u is applied to its user, and its
// display name to every other user too; a user the name cannot be given
// to stays as it is.
func (s *Server) sharedUpdate(u Update) (profile.Profile, error) {
	p, err := s.users.change(u.ID, s.edit(u))
	if err != nil {
		return p, err
	}
	for _, other := range s.users.list() {
		if other.ID != u.ID {
			s.users.change(other.ID, s.edit(Update{ID: other.ID, DisplayName: u.DisplayName}))
		}
	}
	return p, nil
}
