package refapp

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"p4p/profile"
)

// MaxUsersFileBytes bounds the file LoadUsers reads.
const MaxUsersFileBytes = 64 << 20

// LoadUsers reads a JSON array of profiles from a file, checking each one
// against the profile schema. Errors name the file and the index of the
// first bad profile.
func LoadUsers(path string) ([]profile.Profile, error) {
	raws, err := readArray(path)
	if err != nil {
		return nil, fmt.Errorf("load users %s: %w", path, err)
	}
	v, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		return nil, fmt.Errorf("load users %s: %w", path, err)
	}
	users := make([]profile.Profile, len(raws))
	seen := make(map[string]int, len(raws))
	for i, raw := range raws {
		p, err := decodeProfile(v, raw)
		if err != nil {
			return nil, fmt.Errorf("load users %s: profile at index %d: %w", path, i, err)
		}
		if j, dup := seen[p.ID]; dup {
			return nil, fmt.Errorf("load users %s: profile at index %d: id %q already used at index %d", path, i, p.ID, j)
		}
		seen[p.ID] = i
		users[i] = p
	}
	return users, nil
}

// readArray reads the file's top-level array, refusing files over
// MaxUsersFileBytes.
func readArray(path string) ([]json.RawMessage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > MaxUsersFileBytes {
		return nil, fmt.Errorf("file of %d bytes, over the %d-byte limit", fi.Size(), MaxUsersFileBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxUsersFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxUsersFileBytes {
		return nil, fmt.Errorf("file over the %d-byte limit", MaxUsersFileBytes)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("not a JSON array of profiles: %w", err)
	}
	return raws, nil
}

// decodeProfile checks raw against the schema, then decodes it.
func decodeProfile(v *profile.Validator, raw json.RawMessage) (profile.Profile, error) {
	var p profile.Profile
	if _, err := v.Check(raw, ""); err != nil {
		return p, err
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, err
	}
	return p, nil
}
