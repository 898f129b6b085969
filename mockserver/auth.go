package mockserver

import (
	"errors"
	"fmt"

	"p4p"
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

// checkUserID refuses an id outside p4p.UserID's rule (spec 2.3, 6.17).
func checkUserID(id string) error {
	if err := p4p.UserID(id).Validate(); err != nil {
		return errorf(EInvalid, "user id: %v", err)
	}
	return nil
}
