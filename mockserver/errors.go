package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Error codes the mock answers with. Each maps to one HTTP status in
// statusOf, the only place that decides statuses.
const (
	EInvalid     = "invalid"     // 400: a parameter is missing or malformed
	EForbidden   = "forbidden"   // 403: the token is missing or invalid (spec 1.4)
	ENotFound    = "not_found"   // 404
	EMethod      = "method"      // 405
	ETooLarge    = "too_large"   // 413: a body over the limit
	EFull        = "full"        // 429: the queue is full
	EBusy        = "busy"        // 429: too many pings in flight
	EFollowers   = "followers"   // 429: too many /events followers
	EUnavailable = "unavailable" // 503: the queue could not take the ping
	EStorage     = "storage"     // 507: the store is full (see storage.go)
	EInternal    = "internal"    // 500
)

// Error is an error the mock reports to its HTTP client.
type Error struct {
	Code string // one of the E* constants
	Msg  string // what went wrong, for a person; never a secret
}

func (e *Error) Error() string { return e.Msg }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

var statusOf = map[string]int{
	EInvalid:     http.StatusBadRequest,
	EForbidden:   http.StatusForbidden,
	ENotFound:    http.StatusNotFound,
	EMethod:      http.StatusMethodNotAllowed,
	ETooLarge:    http.StatusRequestEntityTooLarge,
	EFull:        http.StatusTooManyRequests,
	EBusy:        http.StatusTooManyRequests,
	EFollowers:   http.StatusTooManyRequests,
	EUnavailable: http.StatusServiceUnavailable,
	EStorage:     http.StatusInsufficientStorage,
	EInternal:    http.StatusInternalServerError,
}

// retryAfterOf is the wait, in seconds, an error that will pass tells the
// client of. The pulls ahead of a full queue drain at the workers' pace,
// and the pings or followers in flight within milliseconds, so a second is
// fair for those; a queue out of reach or a store without room take
// longer to come back.
var retryAfterOf = map[string]string{
	EFull:        "1",
	EBusy:        "1",
	EFollowers:   "1",
	EUnavailable: "2",
	EStorage:     strconv.Itoa(int(storeRetryAfter / time.Second)),
}

// errorStatus returns the code and status for any error; errors that are
// not an *Error are internal.
func errorStatus(err error) (*Error, int) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Code: EInternal, Msg: "internal error"}
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return e, status
}
