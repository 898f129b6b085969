package conformance

import (
	"context"
	"fmt"
	"net/http"

	"p4p/refapp"
)

func authSpecs() []Spec {
	refusal := func(id, requirement string, fault refapp.Fault, fix string) Spec {
		return Spec{ID: id, Requirement: requirement, Level: Must, Source: "spec 1.5, 2.4",
			Labels: []string{LabelAuth}, Fix: fix, BrokenBy: fault, Check: refuses(credentialFor(id))}
	}
	return []Spec{
		refusal("P4P-AUTH-001", "A pull without an lftoken is refused with 403", refapp.FaultNoAuth,
			"Check that the lftoken query parameter is present before anything else, and answer 403 when it is not."),
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
			ID: "P4P-AUTH-007", Requirement: "A refused pull's 403 has an empty body", Level: Must, Source: "spec 1.5, 6.6",
			Labels: []string{LabelAuth, LabelSecurity}, BrokenBy: refapp.FaultForbiddenBody, Check: refusalsAreEmpty,
			Fix: "Answer a refused pull with status 403 and no body at all (e.g. Express: res.status(403).end(), not res.sendStatus(403)).",
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
			Fix: "Compare domain and user_id byte for byte (no case folding, prefix or suffix match), require expires to be a number not past, " +
				"accept only alg HS256, and verify the signature with the whole network key as raw bytes; the SDK's validateLivefyreToken does all of this. " +
				"`p4p token --near-miss list` lists the tokens, and --near-miss NAME prints one.",
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

// refuses checks that a pull of the primary user with c is a 403.
func refuses(c credential) Check {
	return func(ctx context.Context, p *Probe) error {
		r, err := p.pull(ctx, "pull with "+c.name, p.Config().primary(), c)
		if err != nil {
			return err
		}
		if r.status != http.StatusForbidden {
			return fmt.Errorf("a pull with %s was answered %s; want 403 Forbidden%s", c.name, statusText(r.status), servedProfile(r))
		}
		return nil
	}
}

// servedProfile adds to a refusal's failure whether data was given away.
func servedProfile(r reply) string {
	if r.status == http.StatusOK && len(r.body) > 0 {
		return ", and the response carried the profile to a caller who is not Livefyre"
	}
	return ""
}

// refusalsAreEmpty checks every 403 the wrong credentials get for an
// empty body.
func refusalsAreEmpty(ctx context.Context, p *Probe) error {
	refused := 0
	for _, r := range refusals {
		got, err := p.pull(ctx, "pull with "+r.cred.name, p.Config().primary(), r.cred)
		if err != nil {
			return err
		}
		if got.status != http.StatusForbidden {
			continue // whether it is refused at all is r.spec's business
		}
		refused++
		if len(got.body) > 0 {
			return fmt.Errorf("the 403 for a pull with %s has a %d-byte body (Content-Type %q); Livefyre's docs require no body",
				r.cred.name, len(got.body), got.header.Get("Content-Type"))
		}
	}
	if refused == 0 {
		return skip("no pull was refused with 403; see P4P-AUTH-001 to P4P-AUTH-006")
	}
	return nil
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
