package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"p4p/refapp"
)

func userSpecs() []Spec {
	return []Spec{
		{
			ID: "P4P-USER-001", Requirement: "An unknown user is never answered 200 with a profile", Level: Must,
			Source: "spec 1.6, 6.6", Labels: []string{LabelResponse}, Needs: needsValidPull,
			BrokenBy: refapp.FaultUnknown200, Check: unknownNotServed,
			Fix: "When the id is not one of your users, do not invent a profile: Livefyre would store it as a real user. Answer 404.",
		},
		{
			ID: "P4P-USER-002", Requirement: "An unknown user is answered 404", Level: Should,
			Source: "spec 5.1, 6.6", Labels: []string{LabelResponse}, Needs: []string{"P4P-AUTH-008", "P4P-USER-001"},
			BrokenBy: refapp.FaultUnknown503, Check: unknownIs404,
			Fix: "Answer 404 for ids you do not know, as the Financial Times' endpoint did; a 5xx makes Livefyre retry a pull that can never succeed.",
		},
		{
			ID: "P4P-USER-003", Requirement: "Different users' profiles are not one person's: no two --user profiles are the same apart from id", Level: Must,
			Source: "spec 1.2, 1.6", Labels: []string{LabelResponse}, Needs: needsValidPull,
			BrokenBy: refapp.FaultSamePerson, Check: distinctUsers,
			Fix: "Build the profile from the user the id names, not from the session, a cache keyed without the id, or a default user: Livefyre would store one person's name, email and avatar under every account.",
		},
		{
			ID: "P4P-IDS-001", Requirement: "Every given user id, including ids with '.', '-' and '_', reaches the endpoint intact and is answered 200", Level: Must,
			Source: "spec 1.3, 2.3, 6.17", Labels: []string{LabelResponse}, Needs: needsValidPull,
			BrokenBy: refapp.FaultDottedIDs, Check: everyIDServed,
			Fix: "Read the id from the query or path as given: user ids may contain '.', '-' and '_' (a framework may take \".0002\" for a format extension).",
		},
	}
}

// pullUnknown pulls the run's unknown user with a valid token.
func pullUnknown(ctx context.Context, p *Probe) (reply, error) {
	id := p.Config().UnknownUser
	return p.pull(ctx, fmt.Sprintf("pull of the unknown user %q", id), id, systemInteger)
}

func unknownNotServed(ctx context.Context, p *Probe) error {
	r, err := pullUnknown(ctx, p)
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return nil
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(r.body, &body) == nil && (body["id"] != nil || body["display_name"] != nil) {
		return fmt.Errorf("the unknown user %q was answered 200 with a profile", p.Config().UnknownUser)
	}
	p.Note("the unknown user was answered 200 without a profile; Livefyre counts that as an invalid response")
	return nil
}

func unknownIs404(ctx context.Context, p *Probe) error {
	r, err := pullUnknown(ctx, p)
	if err != nil {
		return err
	}
	if r.status == http.StatusNotFound {
		return nil
	}
	err = fmt.Errorf("the unknown user %q was answered %s; want 404", p.Config().UnknownUser, statusText(r.status))
	switch {
	case r.status == http.StatusUnauthorized || r.status == http.StatusForbidden:
		return withFix(err, "Check the token first and then look the user up: a valid system token for an id you do not know is answered 404, "+
			"so Livefyre can tell an unknown user from a refused pull.")
	case r.status/100 == 2:
		return withFix(err, "Answer 404 for ids you do not know, not 2xx: Livefyre takes a 200 for a profile.")
	}
	return err
}

func everyIDServed(ctx context.Context, p *Probe) error {
	var failed []string
	for _, id := range p.Config().Users {
		r, err := p.pull(ctx, fmt.Sprintf("pull %q", id), id, systemInteger)
		if err != nil {
			return err
		}
		if r.status != http.StatusOK {
			p.culprit()
			failed = append(failed, fmt.Sprintf("%q was answered %s", id, statusText(r.status)))
		}
	}
	if !strings.ContainsAny(strings.Join(p.Config().Users, ""), ".-_") {
		p.Note("none of the user ids has '.', '-' or '_'; give such ids with --user if your site has them")
	}
	if len(failed) > 0 {
		return fmt.Errorf("not every user was served: %s", strings.Join(failed, "; "))
	}
	return nil
}

// identifying are the fields that say whose profile it is: two users
// with the same of these and of everything else are one person's data.
var identifying = []string{"email", "image_url", "profile_url"}

// distinctUsers pulls every user and fails when two profiles are equal in
// every field but id, one of the identifying fields among them. Profiles
// equal with no identifying field (a display name alone) are noted.
func distinctUsers(ctx context.Context, p *Probe) error {
	if len(p.Config().Users) < 2 {
		return skip("one user given (--user); give two or more to compare their profiles")
	}
	users, err := pullEach(ctx, p)
	if err != nil {
		return err
	}
	first := map[string]served{} // profile without its id → the first user served it
	var same []string
	for _, u := range users {
		var obj map[string]any
		if json.Unmarshal(u.body, &obj) != nil {
			continue // not an object: P4P-RESP-002's business
		}
		delete(obj, "id")
		canon, _ := json.Marshal(obj) // keys sorted: equal objects, equal text
		other, seen := first[string(canon)]
		switch {
		case !seen:
			first[string(canon)] = u
		case hasAny(obj, identifying):
			p.blame(other.title)
			p.blame(u.title)
			same = append(same, fmt.Sprintf("%q and %q", other.id, u.id))
		default:
			p.Note("%q and %q are served the same profile but for the id, with no email, image_url or profile_url to tell whose it is", other.id, u.id)
		}
	}
	if len(same) > 0 {
		return fmt.Errorf("users %s are served the same profile but for the id, email and avatar included: one person's data under several accounts",
			strings.Join(same, ", "))
	}
	return nil
}

// hasAny says whether obj has one of the fields, not empty.
func hasAny(obj map[string]any, fields []string) bool {
	for _, f := range fields {
		if v, ok := obj[f]; ok && v != nil && v != "" {
			return true
		}
	}
	return false
}
