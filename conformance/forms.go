package conformance

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"p4p/token"
)

// validFormCredential is the credential of a valid form of the system
// token (token.ValidForms), reproduced in a shell by p4p token
// --valid-form.
func validFormCredential(f token.ValidForm) credential {
	return credential{
		name:  "a valid system token with " + f.Name,
		valid: true,
		mint:  func(Config, time.Time) (string, error) { return f.Token, nil },
		flags: func(c Config) string { return networkFlags(c.Network) + " --valid-form " + shellQuote(f.Name) },
	}
}

// acceptsSourceForms pulls the primary user with each valid form of the
// system token that Livefyre's own material shows but no SDK builds (no
// typ header, no display_name, an exp beside expires). validateLivefyreToken
// checks nothing else (spec 2.4 step 3), so each must be served; Livefyre's
// own pull token may have had any of these forms, but the SDK-built ones
// (P4P-AUTH-008, P4P-AUTH-009) are what the docs promise, so refusing one of
// these is a deviation, not a failure.
func acceptsSourceForms(ctx context.Context, p *Probe) error {
	cfg := p.Config()
	forms, err := token.ValidForms(cfg.Network, cfg.Key, time.Now())
	if err != nil {
		return err
	}
	var refused []string
	for _, f := range forms {
		if f.SDKBuilt {
			continue
		}
		c := validFormCredential(f)
		r, err := p.pull(ctx, "pull with "+c.name, cfg.primary(), c)
		if err != nil {
			return err
		}
		if r.status != http.StatusOK {
			p.culprit()
			refused = append(refused, fmt.Sprintf("%s (answered %s)", f.Name, statusText(r.status)))
		}
	}
	if len(refused) > 0 {
		return deviation("valid system tokens in forms Livefyre's own material shows were refused: %s. "+
			"validateLivefyreToken checks the signature, domain, user_id and expires and nothing else (spec 2.4), "+
			"so Livefyre's sync may send these: a deviation", strings.Join(refused, "; "))
	}
	return nil
}
