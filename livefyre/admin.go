package livefyre

import (
	"time"
)

// The admin API's shapes (GET and POST /admin/v1/…, docs/STUDIO.md), each
// the data of a v3 envelope.

// Record is one entry of a user's timeline, kept durably by the mock: a
// pipeline event and, for a pull attempt, what was sent and what came
// back. Secrets never appear: the request's token and the Pull URL's
// own secrets are redacted, in the URL and in the body alike.
type Record struct {
	// ID orders a user's records (it is the record's sequence in the
	// mock's history stream); newer records have larger ids.
	ID uint64 `json:"id"`
	Event
	// Request is the GET the attempt made, redacted.
	Request string `json:"request,omitempty"`
	// Headers are a few of the response's headers, values cut short.
	Headers map[string]string `json:"response_headers,omitempty"`
	// Body is the start of the response body, valid UTF-8, redacted;
	// BodyTruncated says that more followed.
	Body          string `json:"response_body,omitempty"`
	BodyTruncated bool   `json:"response_body_truncated,omitempty"`
	// Problems are the validation errors of a 200 response that was not a
	// valid profile, each "path: message".
	Problems []string `json:"problems,omitempty"`
}

// Timeline is a page of a user's records, newest first. NextCursor, when
// set, asks for the next (older) page.
type Timeline struct {
	Records    []Record `json:"records"`
	NextCursor string   `json:"next_cursor,omitempty"`
}

// UserSummary is one row of the admin users list.
type UserSummary struct {
	ID          string    `json:"id"`
	DisplayName string    `json:"display_name,omitempty"`
	Email       string    `json:"email,omitempty"`
	Outcome     Outcome   `json:"outcome,omitempty"`
	Dead        bool      `json:"dead_lettered,omitempty"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// UserList is a page of the admin users list, most recently updated
// first.
type UserList struct {
	Users      []UserSummary `json:"users"`
	NextCursor string        `json:"next_cursor,omitempty"`
	// Indexed is how many users the list knows of; Loading is set while
	// the mock is still reading the store after a start.
	Indexed int  `json:"indexed"`
	Loading bool `json:"loading,omitempty"`
}

// UserDetail is one user as the admin API shows it: the stored remote
// profile and sync record (nil before the first pull), whether a pull is
// queued or running, the dead letters held for the user, and the first
// page of the timeline.
type UserDetail struct {
	ID          string         `json:"id"`
	Remote      *RemoteProfile `json:"remote_profile,omitempty"`
	Queued      bool           `json:"queued"`
	DeadLetters []DeadLetter   `json:"dead_letters"`
	Timeline    Timeline       `json:"timeline"`
}

// DeadLetter is a pull that gave up, as kept in P4P_DEAD.
type DeadLetter struct {
	ID       uint64    `json:"id"`
	UserID   string    `json:"user_id"`
	PullID   string    `json:"pull_id"`
	PingedAt time.Time `json:"pinged_at"`
	At       time.Time `json:"dead_at"`
	Reason   string    `json:"reason"`
}

// DeadLetterList is a page of dead letters, newest first.
type DeadLetterList struct {
	DeadLetters []DeadLetter `json:"dead_letters"`
	NextCursor  string       `json:"next_cursor,omitempty"`
}

// Replay is one dead letter queued again: the pull it became, or why it
// was not.
type Replay struct {
	DeadLetter uint64 `json:"dead_letter"`
	UserID     string `json:"user_id"`
	PullID     string `json:"pull_id,omitempty"`
	Coalesced  bool   `json:"coalesced,omitempty"`
	Error      string `json:"error,omitempty"`
}

// ReplayResult answers a replay: every dead letter tried, and More when
// more matched the filter than one request replays.
type ReplayResult struct {
	Replayed []Replay `json:"replayed"`
	More     bool     `json:"more,omitempty"`
}

// Session answers GET and POST /admin/v1/session: who the session is for
// and when it ends.
type Session struct {
	UserID    string    `json:"user_id"`
	ExpiresAt time.Time `json:"expires_at"`
}
