package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"p4p/refapp"
)

// refusalDeviation is the severity rule of the refusal specs (see
// judgeRefusal).
const refusalDeviation = "Fails when the pull is served: a 2xx with a body that is not an error object, or any other status " +
	"but 403 with a profile in its body (a 403's body is P4P-AUTH-007's). Deviates when it is refused another way than 403 " +
	"(400 or 401 as the Financial Times' endpoint, spec 5.1; 5xx; 200 with an error object or nothing, as Livefyre's Janrain sample, spec 5.2) " +
	"and serves no profile data: Livefyre's own pulls always carry a valid token, so how a wrong one is refused does not affect the sync (spec 1.5, 6.6)."

func authSpecs() []Spec {
	refusal := func(id, requirement string, fault refapp.Fault, fix string) Spec {
		return Spec{ID: id, Requirement: requirement, Level: Must, Source: "spec 1.5, 2.4",
			Labels: []string{LabelAuth}, Fix: fix, BrokenBy: fault, Check: refuses(credentialFor(id)),
			Deviation: refusalDeviation}
	}
	missing := refusal("P4P-AUTH-001", "A pull without an lftoken is refused with 403", refapp.FaultNoAuth,
		"Check that the lftoken query parameter is present before anything else, and answer 403 when it is not.")
	missing.DeviatedBy = []refapp.Fault{refapp.FaultBadRequest}
	return []Spec{
		missing,
		refusal("P4P-AUTH-002", "A pull whose lftoken is signed with another key is refused with 403", refapp.FaultNoSignatureCheck,
			"Verify the token's HS256 signature with your network key, used as raw bytes (spec 2.2), e.g. with the SDK's validateLivefyreToken."),
		refusal("P4P-AUTH-003", "A pull whose lftoken is for another network's domain is refused with 403", refapp.FaultAnyDomain,
			"Require the token's domain claim to equal your full network name, e.g. example.fyre.co."),
		refusal("P4P-AUTH-004", "A pull whose lftoken's user_id is not system is refused with 403", refapp.FaultAnyUser,
			"Accept only user_id \"system\": Livefyre pulls as its system user; a user's own token must not read profiles."),
		refusal("P4P-AUTH-005", "A pull whose lftoken has expired is refused with 403", refapp.FaultNoExpiryCheck,
			"Refuse tokens whose expires claim (Unix seconds, integer or float) is before now."),
		refusal("P4P-AUTH-006", `A pull whose lftoken is unsigned ("alg": "none") is refused with 403`, refapp.FaultAlgNone,
			"Accept only HS256 tokens; configure your JWT library with the algorithm instead of reading it from the token header."),
		{
			ID: "P4P-AUTH-007", Requirement: "A refused pull's 403 has an empty body", Level: Must, Source: "spec 1.5, 5.1, 6.6",
			Labels: []string{LabelAuth, LabelSecurity}, BrokenBy: refapp.FaultForbiddenProfile, DeviatedBy: []refapp.Fault{refapp.FaultForbiddenBody},
			Check: refusalsAreEmpty,
			Fix:   "Answer a refused pull with status 403 and no body at all (e.g. Express: res.status(403).end(), not res.sendStatus(403)), and return before any profile is read.",
			Deviation: "Fails when a 403's body holds the profile (the status says no, the body gives the data away). " +
				"Deviates when the body holds anything else, e.g. Express's \"Forbidden\" (spec 5.1): no data is served, and Livefyre ignores a refusal's body.",
		},
		{
			ID: "P4P-AUTH-008", Requirement: "A valid system token with an integer expires (Python, PHP, Ruby, Java SDKs) is accepted with 200",
			Level: Must, Source: "spec 2.1, 2.3, 2.4", Labels: []string{LabelAuth}, BrokenBy: refapp.FaultRequireIAT,
			Check: accepts(systemInteger),
			Fix:   "Validate as validateLivefyreToken does: signature, domain, user_id \"system\" and expires >= now, nothing else; do not require iat or other claims.",
		},
		{
			ID: "P4P-AUTH-009", Requirement: "A valid system token with a float expires and iat (Node SDK) is accepted with 200",
			Level: Must, Source: "spec 2.3, 6.19", Labels: []string{LabelAuth}, BrokenBy: refapp.FaultIntegerExpiresOnly,
			Check: accepts(systemNode),
			Fix:   "Read expires as a number that may have a fractional part (e.g. 1396655083.123); do not parse it as an integer.",
		},
		{
			ID: "P4P-AUTH-010", Requirement: "Every near miss of a valid system token that the official SDK refuses is refused: each rule of spec 2.4 " +
				"(alg, signature, domain, user_id, expires) broken one way at a time, each after a valid pull, for every user",
			Level: Must, Source: "spec 2.2, 2.4, 6.19", Labels: []string{LabelAuth},
			// The plain wrong tokens come first: an endpoint that takes
			// one of them is told so by its own spec.
			Needs:    []string{"P4P-AUTH-001", "P4P-AUTH-002", "P4P-AUTH-003", "P4P-AUTH-004", "P4P-AUTH-005", "P4P-AUTH-006", "P4P-AUTH-008"},
			BrokenBy: refapp.FaultLooseClaims, Check: refusesNearMisses,
			Deviation: "Fails when a near miss the official SDK refuses is served; one the SDK accepts (HS384, HS512, [\"system\"], " +
				"a numeric-string expires) is only noted, since an endpoint built on the SDK serves it too (spec 2.4). " +
				"Deviates when near misses are refused another way than 403 and none is served, as for the refusal specs.",
			Fix: "Compare domain and user_id byte for byte (no case folding, prefix or suffix match), require expires to be a number not past, " +
				"accept only alg HS256, and verify the signature with the whole network key as raw bytes; the SDK's validateLivefyreToken does all of this. " +
				"`p4p token --near-miss list` lists the tokens, and --near-miss NAME prints one.",
		},
		{
			ID: "P4P-AUTH-011", Requirement: "Valid system tokens in the forms Livefyre's own material shows (a header without typ, no display_name, an exp beside expires) are accepted with 200",
			Level: Must, Source: "spec 2.1, 2.3, 2.4", Labels: []string{LabelAuth}, Needs: []string{"P4P-AUTH-008"},
			DeviatedBy: []refapp.Fault{refapp.FaultRequireTyp}, Check: acceptsSourceForms,
			Fix: "Validate as validateLivefyreToken does and check nothing else: do not require a typ header, a display_name or the absence of other claims. " +
				"`p4p token --valid-form list` lists the forms.",
			Deviation: "Always a deviation, never a failure: no SDK builds these forms, so Livefyre's own pull token may not have used them; " +
				"but they appear in Livefyre's material (the EL sample token, a labs token) and spec 2.4 checks nothing else.",
		},
		{
			ID: "P4P-AUTH-012", Requirement: "No refusal is remembered away: for every user, a pull without a token or with another key's token is refused right after a valid pull, " +
				"on the same connection with its cookies and on a new one, again and again",
			Level: Must, Source: "spec 1.5, 2.4", Labels: []string{LabelAuth, LabelSecurity},
			Needs:    []string{"P4P-AUTH-001", "P4P-AUTH-002", "P4P-AUTH-008"},
			BrokenBy: refapp.FaultTrustConnection, Check: refusalsNotRemembered,
			Fix: "Validate the lftoken of every pull: do not keep an authorisation per connection, session, cookie, address or user.",
		},
	}
}

// credentialFor is the wrong credential a refusal spec sends.
func credentialFor(id string) credential {
	for _, r := range refusals {
		if r.spec == id {
			return r.cred
		}
	}
	panic("conformance: no credential for " + id)
}

// refuses checks that a pull of every user with c is refused, as
// judgeRefusal says: a failure for any user fails the spec, else the first
// deviation is reported. The pulls go over connections of their own, so
// that an endpoint that trusts a connection once it brought a valid token
// is judged by P4P-AUTH-012, not here.
func refuses(c credential) Check {
	return func(ctx context.Context, p *Probe) error {
		var dev error
		for _, id := range p.Config().Users {
			r, err := p.pull(ctx, fmt.Sprintf("pull %q with %s", id, c.name), id, c)
			if err != nil {
				return err
			}
			err = judgeRefusal(r, id, c)
			var d deviationError
			switch {
			case err == nil:
			case errors.As(err, &d):
				p.culprit()
				if dev == nil {
					dev = err
				}
			default:
				p.culprit()
				return err
			}
		}
		return dev
	}
}

// refusalsAreEmpty checks every 403 the wrong credentials get for an
// empty body: a 403 that carries the profile fails (a handler that sets
// the status and serves anyway), any other body is a deviation (Express's
// res.sendStatus(403) sends "Forbidden"; spec 5.1).
func refusalsAreEmpty(ctx context.Context, p *Probe) error {
	refused := 0
	var dev error
	for _, r := range refusals {
		got, err := p.pull(ctx, "pull with "+r.cred.name, p.Config().primary(), r.cred)
		if err != nil {
			return err
		}
		if got.status != http.StatusForbidden {
			continue // whether it is refused at all is r.spec's business
		}
		refused++
		switch {
		case servesProfile(got):
			p.culprit()
			return fmt.Errorf("the 403 for a pull with %s carries the profile in its body: the status says no, the body gives the data away",
				r.cred.name)
		case len(got.body) > 0:
			p.culprit()
			if dev != nil {
				continue
			}
			dev = deviation("the 403 for a pull with %s has a %d-byte %s body; Livefyre's docs ask for no body (spec 1.5). "+
				"It carries no profile data, so Livefyre's sync is safe: a deviation, not a failure",
				r.cred.name, len(got.body), contentTypeOrNone(got.header))
		}
	}
	if refused == 0 {
		return skip("no pull was refused with 403; see P4P-AUTH-001 to P4P-AUTH-006")
	}
	return dev
}

// accepts checks that a pull of the primary user with c is a 200.
func accepts(c credential) Check {
	return func(ctx context.Context, p *Probe) error {
		r, err := p.pull(ctx, "pull with "+c.name, p.Config().primary(), c)
		if err != nil {
			return err
		}
		if r.status != http.StatusOK {
			return fmt.Errorf("a pull of %q with %s was answered %s; want 200%s", p.Config().primary(), c.name,
				statusText(r.status), unknownHint(r.status))
		}
		return nil
	}
}

func unknownHint(status int) string {
	if status == http.StatusNotFound {
		return " (is the first --user an id your endpoint knows?)"
	}
	return ""
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}
