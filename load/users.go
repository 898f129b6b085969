package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"p4p/profile"
	"p4p/refapp"
)

// ErrUsers marks a users file that cannot be used.
var ErrUsers = errors.New("bad users file")

// userIDPattern is what the mock Livefyre accepts as a user id (spec 2.3,
// 6.17).
var userIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,256}$`)

// Users are the user ids a run draws from and, for the embedded reference
// endpoint, the profiles it serves for them.
type Users struct {
	IDs      []string
	Profiles []profile.Profile
}

// loadUsers resolves the scenario's users: its users file, its list of
// ids, or UserCount synthetic users as the reference endpoint makes them.
func loadUsers(s Scenario) (Users, error) {
	switch {
	case s.UsersFile != "":
		return ReadUsers(s.UsersFile)
	case len(s.Users) > 0:
		return usersFromIDs(s.Users)
	default:
		ps := refapp.SyntheticUsers(s.UserCount)
		return Users{IDs: profileIDs(ps), Profiles: ps}, nil
	}
}

// ReadUsers reads a users file: a JSON array of user ids, or of profiles
// in the reference endpoint's --users-file format.
func ReadUsers(path string) (Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return Users{}, fmt.Errorf("users %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, refapp.MaxUsersFileBytes+1))
	if err != nil {
		return Users{}, fmt.Errorf("users %s: %w", path, err)
	}
	u, err := DecodeUsers(data)
	if err != nil {
		return Users{}, fmt.Errorf("users %s: %w", path, err)
	}
	return u, nil
}

// DecodeUsers decodes the contents of a users file. Profiles are checked
// against the pull-response schema; ids must be unique, at most MaxUsers,
// and of the characters the mock accepts.
func DecodeUsers(data []byte) (Users, error) {
	if len(data) > refapp.MaxUsersFileBytes {
		return Users{}, fmt.Errorf("%w: over the %d-byte limit", ErrUsers, refapp.MaxUsersFileBytes)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return Users{}, fmt.Errorf("%w: want a JSON array of user ids or of profiles: %v", ErrUsers, err)
	}
	if len(raws) == 0 {
		return Users{}, fmt.Errorf("%w: the array is empty", ErrUsers)
	}
	if len(raws) > MaxUsers {
		return Users{}, fmt.Errorf("%w: %d users, over the limit of %d", ErrUsers, len(raws), MaxUsers)
	}
	if bytes.HasPrefix(bytes.TrimSpace(raws[0]), []byte(`"`)) {
		return decodeIDs(raws)
	}
	return decodeProfiles(raws)
}

func decodeIDs(raws []json.RawMessage) (Users, error) {
	ids := make([]string, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &ids[i]); err != nil {
			return Users{}, fmt.Errorf("%w: element %d: want a user id like the first element: %v", ErrUsers, i, err)
		}
	}
	return usersFromIDs(ids)
}

func decodeProfiles(raws []json.RawMessage) (Users, error) {
	v, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		return Users{}, err
	}
	ps := make([]profile.Profile, len(raws))
	for i, raw := range raws {
		if _, err := v.Check(raw, ""); err != nil {
			return Users{}, fmt.Errorf("%w: profile at index %d: %v", ErrUsers, i, err)
		}
		if err := json.Unmarshal(raw, &ps[i]); err != nil {
			return Users{}, fmt.Errorf("%w: profile at index %d: %v", ErrUsers, i, err)
		}
	}
	if err := checkIDs(profileIDs(ps)); err != nil {
		return Users{}, err
	}
	return Users{IDs: profileIDs(ps), Profiles: ps}, nil
}

// usersFromIDs checks ids and gives each a minimal profile, for the
// embedded reference endpoint to serve.
func usersFromIDs(ids []string) (Users, error) {
	if err := checkIDs(ids); err != nil {
		return Users{}, err
	}
	ps := make([]profile.Profile, len(ids))
	for i, id := range ids {
		ps[i] = profile.Profile{ID: id, DisplayName: "User " + id}
	}
	return Users{IDs: ids, Profiles: ps}, nil
}

func checkIDs(ids []string) error {
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		if !userIDPattern.MatchString(id) {
			return fmt.Errorf("%w: user id %q at index %d: want 1 to 256 of a-z A-Z 0-9 _ . -", ErrUsers, id, i)
		}
		if j, dup := seen[id]; dup {
			return fmt.Errorf("%w: user id %q at index %d already at index %d", ErrUsers, id, i, j)
		}
		seen[id] = i
	}
	return nil
}

func profileIDs(ps []profile.Profile) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}
