package reports

import "time"

// Level is how much a conformance spec matters: a MUST spec that does not
// hold is a failure, or a deviation when the sync still works and only the
// letter of Livefyre's docs is missed; a SHOULD spec that does not hold is a
// warning.
type Level string

// The levels, as in RFC 2119.
const (
	Must   Level = "MUST"
	Should Level = "SHOULD"
)

// Outcome is what became of one spec in a run.
type Outcome string

// The outcomes of a spec.
const (
	Passed Outcome = "passed" // the requirement holds
	Failed Outcome = "failed" // a MUST requirement does not hold: the sync breaks or is unsafe
	// Deviated: a MUST requirement does not hold to the letter of
	// Livefyre's docs, but the sync works and is safe.
	Deviated Outcome = "deviated"
	Warned   Outcome = "warned"  // a SHOULD requirement does not hold: advice
	Skipped  Outcome = "skipped" // not run: filtered out, not applicable, or blocked by a failed spec
)

// Severity is how much a finding matters: what a failed, deviated or
// warned outcome means for the integration.
type Severity string

// The severities of findings.
const (
	Failure   Severity = "failure"   // the sync breaks or is unsafe
	Deviation Severity = "deviation" // the documented contract is not followed to the letter; the sync works
	Warning   Severity = "warning"   // advice (SHOULD)
)

// Verdict is what a run says Livefyre would make of the endpoint.
type Verdict string

// The verdicts of a run.
const (
	Certified               Verdict = "certified"                 // every MUST spec held, to the letter
	CertifiedWithDeviations Verdict = "certified with deviations" // the sync works; some MUST specs hold only in spirit
	NotCertified            Verdict = "not certified"             // a failure, or a deviation under --strict
)

// Conformance is the result of one run of the conformance suite against
// one Pull endpoint: the data every rendering (JSON, JUnit, HTML, text) is
// made from. It never holds a network key or a whole token.
type Conformance struct {
	Suite          string    `json:"suite"`           // "p4p conformance"
	SuiteVersion   string    `json:"suite_version"`   // the spec list's version, e.g. "1.0.0"
	HarnessVersion string    `json:"harness_version"` // the p4p build, e.g. "v0.3.0" or "devel (a9e55f1)"
	Endpoint       string    `json:"endpoint"`        // the Pull URL template, with {id}
	Network        string    `json:"network"`         // e.g. "example.fyre.co"
	Livefyre       string    `json:"livefyre"`        // the mock's URL, or "embedded mock"
	Users          []string  `json:"users"`           // the user ids the suite pulled
	LabelFilter    string    `json:"label_filter,omitempty"`
	Started        time.Time `json:"started"`
	DurationMS     float64   `json:"duration_ms"`
	// Strict is true when deviations count as failures (--strict).
	Strict bool `json:"strict"`
	// Verdict is certified, certified with deviations, or not certified.
	Verdict Verdict `json:"verdict"`
	// Passed is true when the verdict is not "not certified": the exit
	// status is 0.
	Passed  bool     `json:"passed"`
	Summary Summary  `json:"summary"`
	Results []Result `json:"results"`
}

// Summary counts the results by outcome.
type Summary struct {
	Total    int `json:"total"`
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Deviated int `json:"deviated"`
	Warned   int `json:"warned"`
	Skipped  int `json:"skipped"`
}

// Result is one spec's outcome with the evidence for it.
type Result struct {
	ID          string   `json:"id"`          // stable, e.g. "P4P-AUTH-001"
	Requirement string   `json:"requirement"` // one line
	Level       Level    `json:"level"`
	Source      string   `json:"source"` // spec-file section(s), e.g. "spec 1.5, 2.4"
	Labels      []string `json:"labels"`
	Outcome     Outcome  `json:"outcome"`
	// Severity is the finding's severity when the outcome is failed,
	// deviated or warned, and empty otherwise.
	Severity Severity `json:"severity,omitempty"`
	// Message says what was observed when the spec did not pass, or why it
	// was skipped.
	Message string `json:"message,omitempty"`
	// Fix says what to change, in the integrator's terms, when it failed
	// or warned.
	Fix string `json:"fix,omitempty"`
	// Notes are remarks on a spec that passed or warned, e.g. fields
	// Livefyre ignores.
	Notes      []string   `json:"notes,omitempty"`
	Evidence   []Exchange `json:"evidence,omitempty"`
	DurationMS float64    `json:"duration_ms"`
}

// Exchange is one HTTP request the suite made and what came back, with
// the token redacted and a curl command that repeats it.
type Exchange struct {
	Title    string    `json:"title"` // what the request probed, e.g. "pull without lftoken"
	Request  Request   `json:"request"`
	Response *Response `json:"response,omitempty"` // nil when none came
	Error    string    `json:"error,omitempty"`    // a transport error, when no response came
	// Curl repeats the request; the token is "$(p4p token …)" and the key
	// "$P4P_NETWORK_KEY", never their values.
	Curl       string  `json:"curl"`
	DurationMS float64 `json:"duration_ms"`
	// Culprit marks, among a spec's evidence, an exchange that shows the
	// failure (or deviation, or warning): in a multi-user spec, the pulls
	// that broke the rule, beside those that kept it.
	Culprit bool `json:"culprit,omitempty"`
}

// Request is an HTTP request as sent, token redacted.
type Request struct {
	Method string              `json:"method"`
	URL    string              `json:"url"`
	Header map[string][]string `json:"header,omitempty"`
	Body   string              `json:"body,omitempty"`
}

// Response is an HTTP response as received, its body cut at a limit.
type Response struct {
	Status    int                 `json:"status"`
	Header    map[string][]string `json:"header,omitempty"`
	Body      string              `json:"body"`       // at most the first MaxEvidenceBody bytes, valid UTF-8
	BodyBytes int                 `json:"body_bytes"` // the whole body's length
	Truncated bool                `json:"truncated,omitempty"`
}

// MaxEvidenceBody is how much of a response body a report keeps.
const MaxEvidenceBody = 4 << 10
