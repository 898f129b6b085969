package mockserver

import (
	"errors"
	"fmt"
	"regexp"

	"p4p/token"
)

// authorize checks a request's token: the system user's, or a configured
// network owner's (spec 1.4: "a user_id with network owner privileges, or
// the system user"; 6.23).
func (s *Server) authorize(p params, names ...string) error {
	tok := p.get(names...)
	if tok == "" && p.bodyErr != nil {
		return errorf(EInvalid, "malformed request body: %v", p.bodyErr)
	}
	if _, err := s.tokens.Validate(tok); err != nil {
		return &Error{Code: EForbidden, Msg: fmt.Sprintf("%s invalid: %s", names[0], tokenReason(err))}
	}
	return nil
}

// tokenReason says what is wrong with a token without quoting it.
func tokenReason(err error) string {
	for _, sentinel := range []error{token.ErrMissing, token.ErrTooLong, token.ErrMalformed, token.ErrAlgorithm,
		token.ErrSignature, token.ErrDomain, token.ErrUser, token.ErrExpired} {
		if errors.Is(err, sentinel) {
			return err.Error()
		}
	}
	return "token rejected"
}

// userIDPattern is the SDK 2.x rule for user ids, [a-zA-Z0-9_.-] (spec
// 2.3, 6.17). No SDK escapes the id in the ping path (spec 3.3), so nothing
// outside it can reach Livefyre from them.
var userIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

func (s *Server) checkUserID(id string) error {
	switch {
	case id == "":
		return errorf(EInvalid, "user id missing")
	case len(id) > s.cfg.MaxUserIDLength:
		return errorf(EInvalid, "user id longer than %d bytes", s.cfg.MaxUserIDLength)
	case !userIDPattern.MatchString(id):
		return errorf(EInvalid, "user id %.64q: only letters, digits, '_', '.' and '-' are allowed (spec 2.3)", id)
	}
	return nil
}
