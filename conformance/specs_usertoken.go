package conformance

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"p4p"
	"p4p/token"
)

// userTokenFix is P4P-PIPE-004's fix.
const userTokenFix = "Mint every userAuthToken from the user's current profile: when a profile changes, drop " +
	"whatever your SSO or session layer cached of it (claims, a pre-minted token), so that the next login, " +
	"or a silent re-login through the authDelegate, carries the new display_name; the token's display_name " +
	"wins over the profile Livefyre pulled (spec 1.1, 8.1)."

// userTokenRefreshes checks that a user token the site issues after a
// change through the update hook carries the new display name. It asks
// for a token before the change, as a user logged in already holds one,
// then changes the primary user, asks again and validates both with the
// network key. The old display name is put back, best effort.
func userTokenRefreshes(ctx context.Context, p *Probe) error {
	switch {
	case p.Config().UserTokenURL == "":
		return skip("no user-token URL was given (--user-token-url)")
	case p.Config().UpdateHook == "":
		return skip("no update hook was given (--update-hook)")
	}
	id := p.Config().primary()
	old, err := (&updates{p: p}).servedName(ctx, fmt.Sprintf("pull %q before the change", id), id)
	if err != nil {
		return err
	}
	before, err := p.userToken(ctx, fmt.Sprintf("a user token for %q before the change", id), id)
	if err != nil {
		return err
	}
	name := "p4p token check " + rand.Text()[:8]
	step := fmt.Sprintf("change the display name of %q to %q", id, name)
	if err := p.update(ctx, id, name, step); err != nil {
		p.blame(hookTitle(step))
		return fmt.Errorf("%s: %w", step, err)
	}
	defer p.restoreName(context.WithoutCancel(ctx), id, old)
	title := fmt.Sprintf("a user token for %q after the change", id)
	after, err := p.userToken(ctx, title, id)
	if err != nil {
		return err
	}
	p.Note("%q: display_name in a user token before the change %q, after it %q", id, before.DisplayName, after.DisplayName)
	if after.DisplayName == name {
		return nil
	}
	p.blame(title)
	msg := fmt.Sprintf("after %s, a newly issued user token carries display_name %q, not %q", step, after.DisplayName, name)
	if after.DisplayName == before.DisplayName {
		msg += " (the one from before the change)"
	}
	if served, err := (&updates{p: p}).servedName(ctx, fmt.Sprintf("pull %q after the change", id), id); err == nil && served == name {
		msg += fmt.Sprintf(", while the Pull endpoint serves %q", served)
	}
	return fmt.Errorf("%s: a user who logs in again still sees the old name, since the token's display_name wins over the pulled profile", msg)
}

// userToken asks the site for the userAuthToken it would issue id now,
// records the exchange under title and validates the token with the
// network key: it must be a user token for id.
func (p *Probe) userToken(ctx context.Context, title, id string) (token.Claims, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, userTokenURL(p.Config().UserTokenURL, id), nil)
	if err != nil {
		return token.Claims{}, err
	}
	r, err := p.do(req, title)
	if err != nil {
		return token.Claims{}, err
	}
	if r.status != http.StatusOK {
		p.blame(title)
		return token.Claims{}, withFix(fmt.Errorf("%s: the user-token URL answered %s; want 200", title, statusText(r.status)), userTokenURLFix)
	}
	tok := userTokenOf(r.body)
	p.env.secrets.add(tok, "")
	c, err := token.Validator{Network: p.Config().Network, Key: p.Config().Key, AnyUser: true}.Validate(tok)
	if err == nil && c.UserID != id {
		err = fmt.Errorf("user_id %q", c.UserID)
	}
	if err != nil {
		p.blame(title)
		return token.Claims{}, withFix(fmt.Errorf("%s: the answer is not a valid user token for %q (%s): %w", title, id, token.Redact(tok), err), userTokenURLFix)
	}
	return c, nil
}

// userTokenURLFix is the fix when the user-token URL does not answer a
// valid token.
const userTokenURLFix = "Make --user-token-url answer a GET (with {id} filled in, or ?id= added) with 200 and " +
	`the user's userAuthToken, as text or as {"token": "…"}, built as buildUserAuthToken builds it: HS256 with the network key, ` +
	"domain the network, user_id the user, display_name, expires in the future (spec 2.1 to 2.3)."

// userTokenURL is the URL to GET for id's token: u with {id} filled in
// as in a Pull URL template, or, without {id}, with ?id= added.
func userTokenURL(u, id string) string {
	if strings.Contains(u, p4p.Placeholder) {
		return p4p.Template(u).Fill(id)
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return u // checked by Config.check
	}
	q := parsed.Query()
	q.Set("id", id)
	parsed.RawQuery = q.Encode()
	return parsed.String()
}

// userTokenOf reads the token from a user-token answer: the JSON
// {"token": "…"}, or the whole body, trimmed, as text.
func userTokenOf(body []byte) string {
	body = bytes.TrimSpace(body)
	var answer struct {
		Token string `json:"token"`
	}
	// encoding/json would put U+FFFD for each invalid byte: an answer
	// that is not UTF-8 is judged as it came, and refused as a token.
	if utf8.Valid(body) && json.Unmarshal(body, &answer) == nil && answer.Token != "" {
		return answer.Token
	}
	return string(body)
}

// restoreName puts id's display name back to name through the update
// hook, best effort; it does not wait for Livefyre.
func (p *Probe) restoreName(ctx context.Context, id, name string) {
	ctx, cancel := context.WithTimeout(ctx, p.Config().Timeout)
	defer cancel()
	if err := p.update(ctx, id, name, fmt.Sprintf("put the old display name of %q back, best effort", id)); err != nil {
		p.Note("the old display name of %q, %q, could not be put back: %v", id, name, err)
	}
}
