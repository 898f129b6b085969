package livefyre

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrNotFound is what a 404 answer is: errors.Is(err, ErrNotFound) holds
// for the *StatusError of any call that got one.
var ErrNotFound = errors.New("not found")

// maxErrorBody is how much of an unexpected answer a StatusError keeps.
const maxErrorBody = 512

// StatusError is an answer with a status the call did not expect.
type StatusError struct {
	Op     string // the call, e.g. "ping u-1"
	Status int    // the HTTP status
	Body   string // the first 512 bytes of the body, tokens redacted
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: status %d %s", e.Op, e.Status, http.StatusText(e.Status))
	if detail := e.detail(); detail != "" {
		msg += ": " + detail
	}
	return msg
}

// Is makes a 404 match ErrNotFound.
func (e *StatusError) Is(target error) bool {
	return target == ErrNotFound && e.Status == http.StatusNotFound
}

// detail is the Envelope's msg when the body is one, else the body itself
// on one line.
func (e *StatusError) detail() string {
	var env Envelope
	if json.Unmarshal([]byte(e.Body), &env) == nil && env.Msg != "" {
		return env.Msg
	}
	return strings.Join(strings.Fields(e.Body), " ")
}
