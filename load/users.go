package load

import (
	"p4p/profile"
	"p4p/refapp"
)

// Users are the user ids a run draws from and, for the embedded reference
// endpoint, the profiles it serves for them.
type Users struct {
	IDs      []string
	Profiles []profile.Profile
}

// loadUsers resolves the scenario's users: its users file (read as
// profile.ReadUsers reads every users file), its list of ids, or
// UserCount synthetic users as the reference endpoint makes them.
func loadUsers(s Scenario) (Users, error) {
	var (
		ps  []profile.Profile
		err error
	)
	switch {
	case s.UsersFile != "":
		ps, err = profile.ReadUsers(s.UsersFile)
	case len(s.Users) > 0:
		ps, err = profile.FromIDs(s.Users)
	default:
		ps = refapp.SyntheticUsers(s.UserCount)
	}
	if err != nil {
		return Users{}, err
	}
	return Users{IDs: profile.IDs(ps), Profiles: ps}, nil
}
