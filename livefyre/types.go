package livefyre

import (
	"encoding/json"
	"time"
)

// EventType names a step of the ping → queue → pull → validate → update
// pipeline.
type EventType string

// The pipeline's events, in the order a successful sync emits them.
const (
	PingAccepted   EventType = "ping.accepted"   // a ping was durably enqueued or coalesced
	PullStarted    EventType = "pull.started"    // a worker sent the GET to the Pull endpoint
	PullSucceeded  EventType = "pull.succeeded"  // the response was a valid profile
	PullFailed     EventType = "pull.failed"     // the attempt failed; Final says whether it will be retried
	ProfileUpdated EventType = "profile.updated" // the remote profile was stored

	// The app's view (spec 8): a collection's bootstrap was regenerated
	// from the remote profiles, and a stored profile was first shown by
	// one (CollectionID names it; PingedAt and LatencyMS are ping-to-visible).
	BootstrapRefreshed EventType = "bootstrap.refreshed"
	AppVisible         EventType = "app.visible"
	// PullReplayed: a dead-lettered pull was queued again from the admin
	// API (DeadLetter names it, PullID the new pull).
	PullReplayed EventType = "pull.replayed"
)

// Event is one pipeline step, as streamed by GET /events (Server-Sent Events,
// the JSON below in each "data:" line, Type in "event:").
type Event struct {
	Type   EventType `json:"type"`
	Time   time.Time `json:"time"`
	UserID string    `json:"user_id"`
	// PullID identifies the queued pull a ping created or joined, and the
	// pull the later events belong to.
	PullID string `json:"pull_id,omitempty"`
	// Coalesced is set on a ping that joined a pull already pending for the
	// user instead of queuing a new one.
	Coalesced bool `json:"coalesced,omitempty"`
	// Attempt counts from 1 on pull.* events.
	Attempt int `json:"attempt,omitempty"`
	// Status is the Pull endpoint's HTTP status, when it answered.
	Status int `json:"status,omitempty"`
	// DurationMS is how long the pull attempt took.
	DurationMS float64 `json:"duration_ms,omitempty"`
	// Error says why a pull failed, in terms an integrator can act on.
	Error string `json:"error,omitempty"`
	// Final is set on pull.failed when no retry follows.
	Final bool `json:"final,omitempty"`
	// RetryInMS is the backoff before the next attempt of a failed pull.
	RetryInMS float64 `json:"retry_in_ms,omitempty"`
	// PingedAt is the time of the ping that queued this pull.
	PingedAt *time.Time `json:"pinged_at,omitempty"`
	// LatencyMS is ping-to-update latency, on profile.updated, and
	// ping-to-visible latency on app.visible.
	LatencyMS float64 `json:"latency_ms,omitempty"`
	// CollectionID names the collection on bootstrap.refreshed, and the one
	// whose refresh first showed the profile on app.visible.
	CollectionID string `json:"collection_id,omitempty"`
	// Authors counts the profiles a bootstrap.refreshed made visible for
	// the first time.
	Authors int `json:"authors,omitempty"`
	// DeadLetter is the id of the dead letter a final pull.failed left in
	// P4P_DEAD, or that a pull.replayed queued again.
	DeadLetter uint64 `json:"dead_letter,omitempty"`
}

// Outcome is the state of a user's latest pull.
type Outcome string

// Outcomes of a pull, as recorded in a SyncRecord.
const (
	OutcomePending   Outcome = "pending"   // queued or being retried
	OutcomeSucceeded Outcome = "succeeded" // the profile was stored
	OutcomeFailed    Outcome = "failed"    // given up: a 4xx, an invalid response, or attempts exhausted
)

// SyncRecord is what the mock knows about a user's synchronisation.
type SyncRecord struct {
	LastPingAt   *time.Time `json:"last_ping_at,omitempty"`
	LastPullAt   *time.Time `json:"last_pull_at,omitempty"`
	LastUpdateAt *time.Time `json:"last_update_at,omitempty"`
	// PullID is the latest pull's id, as in the events.
	PullID string `json:"pull_id,omitempty"`
	// Pulls counts the pulls finished for the user, whatever their outcome.
	Pulls int `json:"pulls"`
	// Attempts counts the HTTP requests made by the latest pull.
	Attempts  int     `json:"attempts"`
	Outcome   Outcome `json:"outcome"`
	LastError string  `json:"last_error,omitempty"`
	// LatencyMS is the latest ping-to-update latency.
	LatencyMS float64 `json:"ping_to_update_ms,omitempty"`
}

// RemoteProfile is Livefyre's stored record of a user (spec 1.7): the
// profile last pulled, exactly as the endpoint returned it (compacted), and
// the sync record. Profile is absent until a pull succeeds.
type RemoteProfile struct {
	ID      string          `json:"id"`
	Profile json.RawMessage `json:"profile,omitempty"`
	Sync    SyncRecord      `json:"sync"`
	// Previous is the profile the latest update replaced, kept so that a
	// collection's bootstrap can show the profile as of its last refresh
	// (spec 8.3): the app sees Previous until a refresh after
	// Sync.LastUpdateAt.
	Previous *ProfileVersion `json:"previous,omitempty"`
}

// ProfileVersion is a profile as stored at UpdatedAt.
type ProfileVersion struct {
	Profile   json.RawMessage `json:"profile"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// PingResult is the data of a ping's 200 response.
type PingResult struct {
	UserID    string `json:"user_id"`
	PullID    string `json:"pull_id"`
	Coalesced bool   `json:"coalesced"`
}

// Envelope is the body of the mock's JSON answers, in the form of
// Livefyre's v3 API responses (spec 4: {"status":"ok","code":200,"data":…}).
// Errors carry Msg instead of Data.
type Envelope struct {
	Status string          `json:"status"`
	Code   int             `json:"code"`
	Msg    string          `json:"msg,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
}
