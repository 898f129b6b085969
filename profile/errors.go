package profile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The kinds of invalid response. Every error Check returns is an *Error
// wrapping one of them, so callers branch with errors.Is.
var (
	ErrTooLarge     = errors.New("response too large")
	ErrEmpty        = errors.New("response empty")
	ErrInvalidUTF8  = errors.New("response not UTF-8")
	ErrNotJSON      = errors.New("response not JSON")
	ErrNotObject    = errors.New("response not a JSON object")
	ErrTooDeep      = errors.New("response nested too deeply")
	ErrDuplicateKey = errors.New("response has a duplicate key")
	ErrSchema       = errors.New("response does not match the schema")
	ErrIDMismatch   = errors.New("response id differs from the requested id")
)

// Error says why a response is not a valid profile, in terms an integrator
// can act on. It quotes little of the response: long values, keys and paths
// are cut short.
type Error struct {
	Kind     error     // one of the Err* values
	Detail   string    // what is wrong when no single value is to blame, such as a byte offset
	Problems []Problem // the offending values, sorted by path; at most maxProblems

	omitted int // problems found beyond Problems
}

// Problem is one offending value in a response.
type Problem struct {
	Path    string `json:"path"`    // JSON pointer (RFC 6901) to the value or missing field
	Message string `json:"message"` // what is wrong with it
}

// Error returns one lower-case line: the kind, the detail and the first
// problems, for example
//
//	response is not valid: /tags/0: "bad tag!" does not match ^[A-Za-z0-9_]{1,63}$ (spec 1.6)
func (e *Error) Error() string {
	var b strings.Builder
	if e.Kind == nil || e.Kind == ErrSchema {
		b.WriteString("response is not valid")
	} else {
		b.WriteString(e.Kind.Error())
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	shown := 0
	for _, p := range e.Problems {
		if shown > 0 && b.Len() > errorBudget {
			break
		}
		if shown == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
		shown++
	}
	if more := len(e.Problems) - shown + e.omitted; more > 0 {
		fmt.Fprintf(&b, "; and %d more", more)
	}
	return b.String()
}

// Unwrap returns e.Kind.
func (e *Error) Unwrap() error { return e.Kind }

// String returns "path: message", or the message alone for the root.
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// How much of a response errors show.
const (
	maxProblems = 20  // problems an Error keeps
	errorBudget = 160 // Error stops adding problems past this length
	maxShown    = 32  // bytes of a value or key
	maxPath     = 64  // bytes of a path
)

func fail(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

func problem(kind error, path, format string, args ...any) *Error {
	return &Error{Kind: kind, Problems: []Problem{{Path: path, Message: fmt.Sprintf(format, args...)}}}
}

// quote quotes s for a message, cut to maxShown bytes.
func quote(s string) string { return strconv.Quote(clip(s, maxShown)) }

// clip cuts s to at most n bytes, on a rune boundary, marking the cut with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
