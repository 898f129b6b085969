package load

import (
	"errors"
	"fmt"
	"mime"
	"regexp"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"p4p/livefyre"
	"p4p/profile"
)

// The classes of failure a request can meet, as the reports name them.
const (
	classTransport   = "transport"    // no response: refused, reset, timed out
	classStatus      = "status"       // a status other than 200
	classContentType = "content_type" // not application/json
	classJSON        = "json"         // not a JSON object in UTF-8 within the limits
	classSchema      = "schema"       // not a valid profile
	classIDMismatch  = "id_mismatch"  // another user's profile
	classPing        = "ping"         // a ping answered 200 without a pull id
)

// verdict is what became of one request: valid, or a failure of a class
// with a kind to group it by and one occurrence's detail.
type verdict struct {
	class  string // "" when valid
	kind   string
	detail string
	pull   *livefyre.PingResult // a valid ping's answer
}

func (v verdict) valid() bool { return v.class == "" }

// transportVerdict classifies a result that got no response. Vegeta's
// error strings quote the URL, token included; only what follows the URL
// is kept.
func transportVerdict(r *vegeta.Result) verdict {
	msg := r.Error
	if i := strings.Index(msg, `": `); i >= 0 && strings.HasPrefix(msg, r.Method+` "`) {
		msg = msg[i+3:]
	}
	return verdict{class: classTransport, kind: transportKind(msg), detail: msg}
}

// transportKinds name the usual transport errors; others are grouped by
// their text with addresses taken out.
var transportKinds = []struct{ match, kind string }{
	{"connection refused", "connection refused"},
	{"connection reset", "connection reset"},
	{"Client.Timeout", "timeout"},
	{"deadline exceeded", "timeout"},
	{"i/o timeout", "timeout"},
	{"too many open files", "too many open files"},
	{"no such host", "no such host"},
	{"EOF", "connection closed (EOF)"},
	{"broken pipe", "broken pipe"},
	{"stopped after", "too many redirects"},
	{"tls:", "TLS error"},
	{"x509:", "TLS certificate error"},
}

var addrPattern = regexp.MustCompile(`\[?[0-9a-fA-F.:]+\]?:\d+`)

func transportKind(msg string) string {
	for _, k := range transportKinds {
		if strings.Contains(msg, k.match) {
			return k.kind
		}
	}
	return addrPattern.ReplaceAllString(msg, "ADDR")
}

// pullVerdict validates a Pull endpoint's response for user id as
// Livefyre does (spec 1.6): status 200, application/json, a JSON object
// valid against the pull-response schema, and the very id asked for.
func pullVerdict(v *profile.Validator, r *vegeta.Result, id string) verdict {
	if r.Code == 0 {
		return transportVerdict(r)
	}
	if r.Code != 200 {
		return verdict{class: classStatus, kind: fmt.Sprintf("status %d", r.Code),
			detail: fmt.Sprintf("status %d for user %s, want 200", r.Code, id)}
	}
	if ct := r.Headers.Get("Content-Type"); !isJSON(ct) {
		return verdict{class: classContentType, kind: fmt.Sprintf("Content-Type %q", ct),
			detail: fmt.Sprintf("Content-Type %q for user %s, want application/json", ct, id)}
	}
	_, err := v.Check(r.Body, id)
	if err == nil {
		return verdict{}
	}
	var perr *profile.Error
	if !errors.As(err, &perr) {
		return verdict{class: classJSON, kind: err.Error(), detail: err.Error()}
	}
	class := classJSON
	switch {
	case errors.Is(err, profile.ErrSchema):
		class = classSchema
	case errors.Is(err, profile.ErrIDMismatch):
		class = classIDMismatch
	}
	return verdict{class: class, kind: perr.Kind.Error(), detail: "user " + id + ": " + err.Error()}
}

// isJSON reports whether a Content-Type is application/json, parameters
// such as charset=utf-8 allowed.
func isJSON(ct string) bool {
	if ct == "application/json" || ct == "application/json; charset=utf-8" { // the usual, without parsing
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}
