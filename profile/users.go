package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"p4p"
)

// Limits of a users file.
const (
	MaxUsersFileBytes = 64 << 20
	MaxUsers          = 1_000_000
)

// ErrUsers is wrapped by every error about a users file's content.
var ErrUsers = errors.New("bad users file")

// ReadUsers reads a users file, as p4p refapp --users-file and p4p load
// --users take it, naming the file in its errors; see DecodeUsers.
func ReadUsers(path string) ([]Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("users %s: %w", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > MaxUsersFileBytes {
		return nil, fmt.Errorf("users %s: %w: %d bytes, over the %d-byte limit", path, ErrUsers, fi.Size(), MaxUsersFileBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxUsersFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("users %s: %w", path, err)
	}
	users, err := DecodeUsers(data)
	if err != nil {
		return nil, fmt.Errorf("users %s: %w", path, err)
	}
	return users, nil
}

// DecodeUsers decodes a users file: a JSON array, of at most MaxUsers
// user ids (["u-1", "u-2"]), or of profiles as a Pull endpoint serves
// them, each checked against the pull-response schema (spec 1.6). Every
// id must be a p4p.UserID, which Livefyre can ping for, and unique. An
// id alone gets the profile FromIDs makes. Its errors wrap ErrUsers and
// name the first bad element by its index.
func DecodeUsers(data []byte) ([]Profile, error) {
	if len(data) > MaxUsersFileBytes {
		return nil, fmt.Errorf("%w: over the %d-byte limit", ErrUsers, MaxUsersFileBytes)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("%w: want a JSON array of user ids or of profiles: %v", ErrUsers, err)
	}
	switch {
	case len(raws) == 0:
		return nil, fmt.Errorf("%w: the array is empty", ErrUsers)
	case len(raws) > MaxUsers:
		return nil, fmt.Errorf("%w: %d users, over the limit of %d", ErrUsers, len(raws), MaxUsers)
	case bytes.HasPrefix(bytes.TrimSpace(raws[0]), []byte(`"`)):
		return decodeIDs(raws)
	}
	return decodeProfiles(raws)
}

func decodeIDs(raws []json.RawMessage) ([]Profile, error) {
	ids := make([]string, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &ids[i]); err != nil {
			return nil, fmt.Errorf("%w: element %d: want a user id like the first element: %v", ErrUsers, i, err)
		}
	}
	return FromIDs(ids)
}

func decodeProfiles(raws []json.RawMessage) ([]Profile, error) {
	v, err := NewValidator(Limits{})
	if err != nil {
		return nil, err
	}
	ps := make([]Profile, len(raws))
	for i, raw := range raws {
		if _, err := v.Check(raw, ""); err != nil {
			return nil, fmt.Errorf("%w: profile at index %d: %v", ErrUsers, i, err)
		}
		if err := json.Unmarshal(raw, &ps[i]); err != nil {
			return nil, fmt.Errorf("%w: profile at index %d: %v", ErrUsers, i, err)
		}
	}
	return ps, CheckIDs(IDs(ps))
}

// FromIDs checks ids as DecodeUsers does and gives each a minimal
// profile: the id and the display name "User <id>".
func FromIDs(ids []string) ([]Profile, error) {
	if err := CheckIDs(ids); err != nil {
		return nil, err
	}
	ps := make([]Profile, len(ids))
	for i, id := range ids {
		ps[i] = Profile{ID: id, DisplayName: "User " + id}
	}
	return ps, nil
}

// CheckIDs reports the first id that is not a p4p.UserID or that repeats
// an earlier one, by its index, wrapping ErrUsers.
func CheckIDs(ids []string) error {
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		if err := p4p.UserID(id).Validate(); err != nil {
			return fmt.Errorf("%w: user id at index %d: %v", ErrUsers, i, err)
		}
		if j, dup := seen[id]; dup {
			return fmt.Errorf("%w: user id %q at index %d already at index %d", ErrUsers, id, i, j)
		}
		seen[id] = i
	}
	return nil
}

// IDs are the profiles' ids, in order.
func IDs(ps []Profile) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}
