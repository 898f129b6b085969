package refapp

import (
	"errors"
	"net/http"
)

// Errors of the update hook, which callers of Update can branch on.
var (
	// ErrUnknownUser is an update of a user the site does not have.
	ErrUnknownUser = errors.New("unknown user")
	// ErrInvalid is an update that is malformed or would make the profile
	// invalid.
	ErrInvalid = errors.New("invalid update")
	// ErrPing is a ping Livefyre did not accept; the update was applied.
	ErrPing = errors.New("the change was applied but pinging Livefyre failed")

	errTooLarge = errors.New("request body too large")
	errMethod   = errors.New("method not allowed")
)

// statusOf is the one table from the hook's errors to HTTP statuses.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrUnknownUser):
		return http.StatusNotFound
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrPing):
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}
