package p4p

import (
	"errors"
	"fmt"
)

// MaxUserIDLength bounds a user id. No source gives a limit; p4p's keeps
// ids, which appear in URLs, subjects and keys, to a size a URL carries.
const MaxUserIDLength = 256

// UserIDPattern is the user-id rule as a regular expression, for schemas
// that describe it (schemas/scenario.schema.json); UserID.Validate is the
// rule itself, and a test keeps the two in step.
const UserIDPattern = `^(?:[a-zA-Z0-9_-]|[a-zA-Z0-9_-][a-zA-Z0-9_.-]|\.[a-zA-Z0-9_-]|[a-zA-Z0-9_.-]{3,256})$`

// ErrUserID is wrapped by every error about a user id.
var ErrUserID = errors.New("not a user id")

// UserID is a site's id for a user, as Livefyre takes it in a ping's path,
// a token's user_id claim and a Pull URL: 1 to MaxUserIDLength of the
// characters a-z, A-Z, 0-9, '_', '.' and '-', but not "." or "..".
//
// That is the rule of every 2.x SDK's buildUserAuthToken and of the
// user-auth-token page (spec 2.3); the C# page's "alphanumeric only" is
// the older, stricter rule (spec 6.17), which these ids include. No SDK
// escapes the id in the ping's path (spec 3.3), so an id outside the rule
// never reached Livefyre from them.
//
// "." and ".." match the SDKs' pattern but are dot segments: in the ping's
// path (/api/v3_0/user/{id}/refresh) and in a Pull URL whose {id} is in
// the path, a URL resolver removes them (RFC 3986, 5.2.4), so the request
// reaches another resource than the user's. No site's user is called
// that; they are refused everywhere an id is taken.
type UserID string

// ParseUserID returns s as a UserID, or an error wrapping ErrUserID.
func ParseUserID(s string) (UserID, error) {
	id := UserID(s)
	return id, id.Validate()
}

// Validate reports what is wrong with id, if anything.
func (id UserID) Validate() error {
	switch {
	case id == "":
		return fmt.Errorf("%w: empty", ErrUserID)
	case len(id) > MaxUserIDLength:
		return fmt.Errorf("%w: %d bytes, over the limit of %d", ErrUserID, len(id), MaxUserIDLength)
	case id == "." || id == "..":
		return fmt.Errorf("%w: %q is a dot segment, which a URL's path would resolve away", ErrUserID, string(id))
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isAlnum(c) && c != '_' && c != '.' && c != '-' {
			return fmt.Errorf("%w: %s: only letters, digits, '_', '.' and '-' are allowed (spec 2.3)", ErrUserID, clipQuote(string(id)))
		}
	}
	return nil
}

func (id UserID) String() string { return string(id) }
