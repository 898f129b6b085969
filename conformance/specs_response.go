package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"p4p/profile"
	"p4p/refapp"
)

// needsValidPull are the specs without which a response cannot be judged.
var needsValidPull = []string{"P4P-AUTH-008"}

// needsJSON adds the spec that the body is a JSON object at all.
var needsJSON = []string{"P4P-AUTH-008", "P4P-RESP-002"}

func responseSpecs() []Spec {
	return []Spec{
		{
			ID: "P4P-RESP-001", Requirement: "A pull is answered 200 with Content-Type application/json", Level: Must,
			Source: "spec 1.5, 1.7", Labels: []string{LabelResponse}, Needs: needsValidPull,
			BrokenBy: refapp.FaultTextHTML, Check: jsonContentType,
			Fix: "Send the profile with the header Content-Type: application/json (a charset parameter, if any, must be utf-8).",
		},
		{
			ID: "P4P-RESP-002", Requirement: "The body is one JSON object in UTF-8", Level: Must,
			Source: "spec 1.6", Labels: []string{LabelResponse}, Needs: needsValidPull,
			BrokenBy: refapp.FaultJSONP, Check: jsonObject,
			Fix: "Answer with exactly one JSON object, UTF-8 encoded: no JSONP callback, no BOM, no trailing data, no duplicate keys.",
		},
		{
			ID: "P4P-RESP-003", Requirement: "Every user's profile has id and display_name, both strings", Level: Must,
			Source: "spec 1.6, 6.10", Labels: []string{LabelResponse, LabelSchema}, Needs: needsJSON,
			BrokenBy: refapp.FaultNoDisplayName, Check: schemaProblems(true),
			Fix: `Always include "id" (your user id, as a string) and "display_name" (a string); Livefyre refuses profiles without them.`,
		},
		{
			ID: "P4P-RESP-004", Requirement: "Every optional field of every user's profile has the documented type and form", Level: Must,
			Source: "spec 1.6, 5.5, 6.11", Labels: []string{LabelResponse, LabelSchema}, Needs: needsJSON,
			BrokenBy: refapp.FaultBadTags, Check: schemaProblems(false),
			Fix: "Fix the fields listed: URLs fully qualified, tags 1-63 of [A-Za-z0-9_], at most 2 websites, email_notifications values immediately/often/never, booleans as true/false or \"true\"/\"false\". schemas/pull-response.schema.json has every rule.",
		},
		{
			ID: "P4P-RESP-005", Requirement: "The returned id equals the requested id exactly, for every user", Level: Must,
			Source: "spec 1.6", Labels: []string{LabelResponse}, Needs: needsJSON,
			BrokenBy: refapp.FaultNormalizedID, Check: idsMatch,
			Fix: "Return the id exactly as Livefyre asked for it: same characters, same case, as a JSON string.",
		},
		{
			ID: "P4P-RESP-006", Requirement: "No user's profile has fields Livefyre ignores", Level: Should,
			Source: "spec 1.6, 6.15", Labels: []string{LabelResponse, LabelSchema}, Needs: needsJSON,
			BrokenBy: refapp.FaultExtraFields, Check: noIgnoredFields,
			Fix: "Map your fields onto the documented ones (e.g. first_name and last_name go inside \"name\" as \"first\" and \"last\"); Livefyre drops the rest silently.",
		},
		{
			ID: "P4P-RESP-007", Requirement: "Every URL in every user's profile names a host Livefyre's servers can reach", Level: Should,
			Source: "spec 1.6", Labels: []string{LabelResponse}, Needs: needsJSON,
			BrokenBy: refapp.FaultLocalURLs, Check: fetchableURLs,
			Fix: "Serve public URLs (your CDN's, your site's), not localhost, a private or link-local address or an intranet name: Livefyre loads image_url from its own servers to scale the avatar.",
		},
	}
}

// pullPrimary is the valid pull most response specs look at.
func pullPrimary(ctx context.Context, p *Probe) (reply, error) {
	r, err := p.pull(ctx, "pull with "+systemInteger.name, p.Config().primary(), systemInteger)
	if err == nil && r.status != http.StatusOK {
		err = skip("the pull was answered %s, not 200; see P4P-AUTH-008", statusText(r.status))
	}
	return r, err
}

func jsonContentType(ctx context.Context, p *Probe) error {
	r, err := pullPrimary(ctx, p)
	if err != nil {
		return err
	}
	ct := r.header.Get("Content-Type")
	mt, params, perr := mime.ParseMediaType(ct)
	switch {
	case ct == "":
		return errors.New("the response has no Content-Type; want application/json")
	case perr != nil:
		return fmt.Errorf("Content-Type %q does not parse: %v", ct, perr)
	case mt != "application/json":
		return fmt.Errorf("Content-Type is %q; want application/json", ct)
	case params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8"):
		return fmt.Errorf("Content-Type %q names charset %s; the profile must be UTF-8", ct, params["charset"])
	}
	return nil
}

// structural are the validator's refusals of the body as a whole, before
// any field is looked at.
var structural = []error{profile.ErrEmpty, profile.ErrTooLarge, profile.ErrInvalidUTF8, profile.ErrNotJSON,
	profile.ErrNotObject, profile.ErrTooDeep, profile.ErrDuplicateKey}

func jsonObject(ctx context.Context, p *Probe) error {
	r, err := pullPrimary(ctx, p)
	if err != nil {
		return err
	}
	if r.tooLarge {
		return fmt.Errorf("the body is over %d bytes; Livefyre reads at most that", maxResponseBytes)
	}
	v, err := validator()
	if err != nil {
		return err
	}
	_, err = v.Check(r.body, p.Config().primary())
	var perr *profile.Error
	if errors.As(err, &perr) && slices.Contains(structural, perr.Kind) {
		return perr
	}
	return nil
}

// schemaProblems checks the schema's verdict on the required fields, or
// on every other field, for every user.
func schemaProblems(required bool) Check {
	return func(ctx context.Context, p *Probe) error {
		v, err := validator()
		if err != nil {
			return err
		}
		served, err := pullEach(ctx, p)
		if err != nil {
			return err
		}
		var wrong []string
		onlyErrorObjects := true
		for _, u := range served {
			if shown, isError := errorObject(u.body); isError {
				// Say what was seen, not which fields an error lacks.
				if required {
					p.blame(u.title)
					wrong = append(wrong, fmt.Sprintf("%q was answered 200 with an error object, %s, instead of a profile: send errors as 4xx or 5xx, never 200", u.id, shown))
				}
				continue
			}
			_, err := v.Check(u.body, u.id)
			var perr *profile.Error
			if !errors.As(err, &perr) || perr.Kind != profile.ErrSchema {
				continue
			}
			var found []string
			for _, pr := range perr.Problems {
				if isRequiredPath(pr.Path) == required {
					found = append(found, pr.String())
				}
			}
			if len(found) > 0 {
				onlyErrorObjects = false
				p.blame(u.title)
				wrong = append(wrong, fmt.Sprintf("the profile of %q breaks the schema: %s", u.id, strings.Join(found, "; ")))
			}
		}
		switch {
		case len(wrong) > 0 && onlyErrorObjects:
			return withFix(errors.New(strings.Join(wrong, "; ")), sendErrorsAs4xx)
		case len(wrong) > 0:
			return errors.New(strings.Join(wrong, "; "))
		}
		return nil
	}
}

// served is one user's profile as a valid pull got it.
type served struct {
	id    string
	title string // of its exchange among the probe's evidence, for blame
	reply
}

// sendErrorsAs4xx is the fix of a 200 whose body is an error object.
const sendErrorsAs4xx = "Answer a pull you cannot serve with a 4xx or 5xx status (404 for an unknown user, 503 while a service you need is down), " +
	"never 200 with an error object: Livefyre takes every 200 for a profile and refuses this one."

// pullEach pulls every user once with a valid token and returns those
// answered 200; the others are noted, for P4P-IDS-001 judges them. When
// none is, the spec cannot be judged.
func pullEach(ctx context.Context, p *Probe) ([]served, error) {
	var out []served
	for _, id := range p.Config().Users {
		title := fmt.Sprintf("pull %q with %s", id, systemInteger.name)
		r, err := p.pull(ctx, title, id, systemInteger)
		if err != nil {
			return nil, err
		}
		if r.status != http.StatusOK {
			p.Note("%q was answered %s, so its profile was not checked (see P4P-IDS-001)", id, statusText(r.status))
			continue
		}
		out = append(out, served{id, title, r})
	}
	if len(out) == 0 {
		return nil, skip("no user was answered 200; see P4P-AUTH-008 and P4P-IDS-001")
	}
	return out, nil
}

// errorObject says whether a 200's body is an error object rather than a
// profile, as some endpoints answer failures ({"stat":"error",…},
// {"error":…}, {"errors":[…]}; spec 5.2, 6.6), and shows its start. A
// body with a display_name is a profile, whatever else it holds.
func errorObject(body []byte) (string, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return "", false
	}
	if _, isProfile := obj["display_name"]; isProfile {
		return "", false
	}
	var stat, status string
	json.Unmarshal(obj["stat"], &stat)
	json.Unmarshal(obj["status"], &status)
	if !hasValue(obj["error"]) && !hasValue(obj["errors"]) && !isFailure(stat) && !isFailure(status) {
		return "", false
	}
	return clip(strings.Join(strings.Fields(string(body)), " ")), true
}

// clip shortens a value quoted from a response for a message, on a rune
// boundary.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// isFailure says whether a stat or status word means an error.
func isFailure(s string) bool {
	switch strings.ToLower(s) {
	case "error", "fail", "failed", "failure":
		return true
	}
	return false
}

func isRequiredPath(path string) bool { return path == "/id" || path == "/display_name" }

// idsMatch pulls every user and compares the id returned.
func idsMatch(ctx context.Context, p *Probe) error {
	var wrong []string
	for _, id := range p.Config().Users {
		r, err := p.pull(ctx, fmt.Sprintf("pull %q", id), id, systemInteger)
		if err != nil {
			return err
		}
		if r.status != http.StatusOK {
			p.Note("%q was answered %s, so its id was not compared (see P4P-IDS-001)", id, statusText(r.status))
			continue
		}
		var body struct {
			ID any `json:"id"`
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			return skip("the body of %q is not JSON; see P4P-RESP-002", id)
		}
		if _, isError := errorObject(r.body); isError {
			p.Note("%q was answered 200 with an error object, so its id was not compared (see P4P-RESP-003)", id)
			continue
		}
		if s, ok := body.ID.(string); !ok || s != id {
			p.culprit()
			wrong = append(wrong, fmt.Sprintf("requested %q, got %s", id, jsonText(body.ID)))
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("the returned id differs from the requested one: %s", strings.Join(wrong, "; "))
	}
	return nil
}

func noIgnoredFields(ctx context.Context, p *Probe) error {
	users, err := pullEach(ctx, p)
	if err != nil {
		return err
	}
	var wrong []string
	for _, u := range users {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(u.body, &fields); err != nil {
			return skip("the body of %q is not a JSON object; see P4P-RESP-002", u.id)
		}
		if _, isError := errorObject(u.body); isError {
			continue // not a profile with extra fields: P4P-RESP-003 says what it is
		}
		var ignored []string
		for k := range fields {
			if !slices.Contains(profile.Fields, k) {
				ignored = append(ignored, k)
			}
		}
		slices.Sort(ignored)
		if len(ignored) > 0 {
			p.blame(u.title)
			wrong = append(wrong, fmt.Sprintf("%s in the profile of %q", strings.Join(ignored, ", "), u.id))
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("Livefyre ignores these fields: %s", strings.Join(wrong, "; "))
	}
	return nil
}

// validator is Livefyre's validation of a pull response with the mock's
// limits, built on first use.
var validator = sync.OnceValues(func() (*profile.Validator, error) {
	return profile.NewValidator(profile.Limits{MaxBytes: maxResponseBytes})
})

// jsonText shows a decoded JSON value as JSON, shortened.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || v == nil {
		return "no id"
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}
