package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"p4p/profile"
)

// How a pull with a token Livefyre never sends is judged (spec 1.5, 6.6).
// Livefyre's docs ask for 403 with no body. What breaks the sync or makes
// it unsafe is serving profile data to a caller who is not Livefyre; how
// the endpoint says no does not matter to Livefyre, whose own pulls always
// carry a valid token. So:
//
//   - 403 is a refusal as documented, whatever its body: P4P-AUTH-007
//     judges the bodies of 403s, so that a 403 that carries the profile
//     fails that spec alone;
//   - any other response that carries profile data fails;
//   - any other answer that carries none (400 or 401 as the Financial
//     Times' endpoint sends, spec 5.1; a 5xx; a 200 with an error object,
//     as Livefyre's Janrain sample sends, spec 5.2) is a deviation from the
//     documented contract: reported, not a failure.
//
// A 2xx whose body is anything but empty or an error object is taken as
// served: the suite cannot tell a profile in another shape from no
// profile, and the endpoint said yes.

// judgeRefusal judges r, the answer to a pull of id with c, a credential
// an endpoint must refuse: nil for a 403, a failure when r serves profile
// data, a deviation otherwise.
func judgeRefusal(r reply, id string, c credential) error {
	switch {
	case r.status == http.StatusForbidden:
		return nil
	case accepted(r):
		return fmt.Errorf("a pull of %q with %s was answered %s; want 403 Forbidden: %s", id, c.name, statusText(r.status), givenAway(r))
	}
	return withFix(deviation("a pull of %q with %s was answered %s%s; Livefyre's docs ask for 403 Forbidden with no body (spec 1.5). "+
		"No profile data was served, so Livefyre's sync is safe: a deviation, not a failure",
		id, c.name, statusText(r.status), refusalBody(r)), refuseWith403)
}

// refuseWith403 is the fix of a refusal that is not a 403.
const refuseWith403 = "Answer every pull whose lftoken is missing or invalid with 403 Forbidden and no body " +
	"(e.g. Express: res.status(403).end()), not 400, 401, 5xx or 200 with an error object."

// accepted reports whether r, the answer to a pull with a token an
// endpoint must refuse, is not a 403 and serves profile data.
func accepted(r reply) bool {
	return r.status != http.StatusForbidden && servesProfile(r)
}

// servesProfile reports whether r hands profile data to its caller: a
// body whose JSON object holds a documented profile field (spec 1.6) with
// a value, at the top level or one object down ({"data":{…}},
// {"user":{…}}), whatever else it holds, an "errors" key included; or a
// 2xx with any other body that is not an error object, since the endpoint
// said yes.
func servesProfile(r reply) bool {
	body := bytes.TrimSpace(r.body)
	if len(body) == 0 {
		return false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) == nil && holdsProfile(obj, 1) {
		return true
	}
	if _, isError := errorObject(body); isError {
		return false
	}
	return r.status/100 == 2
}

// holdsProfile reports whether obj has a documented profile field with a
// value, at the top level or down to depth objects below it.
func holdsProfile(obj map[string]json.RawMessage, depth int) bool {
	for k, v := range obj {
		if slices.Contains(profile.Fields, k) && hasValue(v) {
			return true
		}
		var inner map[string]json.RawMessage
		if depth > 0 && json.Unmarshal(v, &inner) == nil && holdsProfile(inner, depth-1) {
			return true
		}
	}
	return false
}

// hasValue reports whether a JSON value says something: not null, false,
// "", [] or {}.
func hasValue(v json.RawMessage) bool {
	switch string(bytes.TrimSpace(v)) {
	case "", "null", "false", `""`, "[]", "{}":
		return false
	}
	return true
}

// givenAway says what a response that serves profile data gave away: the
// profile, when it is one, or a body of some type.
func givenAway(r reply) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(r.body, &obj) == nil && holdsProfile(obj, 1) {
		return "the response carried profile data to a caller who is not Livefyre"
	}
	return fmt.Sprintf("the response said yes, with a %d-byte %s body, to a caller who is not Livefyre",
		len(r.body), contentTypeOrNone(r.header))
}

// refusalBody describes the body of a refusal that served nothing, for a
// deviation's message: an error object is named as such.
func refusalBody(r reply) string {
	body := bytes.TrimSpace(r.body)
	if len(body) == 0 {
		return ""
	}
	if shown, isError := errorObject(body); isError {
		return " with an error object (" + shown + ")"
	}
	return fmt.Sprintf(" with a %d-byte %s body", len(r.body), contentTypeOrNone(r.header))
}

func contentTypeOrNone(h http.Header) string {
	if ct := h.Get("Content-Type"); ct != "" {
		return ct
	}
	return "untyped"
}
