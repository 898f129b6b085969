package mockserver

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"p4p"
	"p4p/token"
)

// errHostNotAllowed is wrapped by the error of a pull refused because the
// allowed hosts (Config.AllowHosts) do not name the host it would call.
// Registration checks the host too, but a template stored earlier (the
// same data dir, or another mock on the same NATS with another list) must
// not carry the system token where this mock's list forbids it. Such a
// pull fails for good: trying again would not change the list.
var errHostNotAllowed = errors.New("not in this mock's allowed hosts (--allow-hosts); the system token was not sent")

// refuseHost returns an error wrapping errHostNotAllowed when u's host is
// not in allow.
func refuseHost(what string, u *url.URL, allow []string) error {
	if hostAllowed(u, allow) {
		return nil
	}
	return fmt.Errorf("%s host %s is %w", what, u.Host, errHostNotAllowed)
}

// guard keeps one attempt's secrets out of what the mock records and
// logs: the system token it minted and the Pull URL's own (user info,
// query values; p4p.RedactURL), found only when an error needs them.
type guard struct {
	tok      string
	template p4p.Template
}

func newGuard(template, tok string) guard {
	return guard{tok: tok, template: p4p.Template(template)}
}

// text redacts s: the token in its redacted form, plain and
// query-escaped, and the Pull URL's secrets.
func (g guard) text(s string) string {
	if g.tok != "" {
		for _, t := range []string{g.tok, url.QueryEscape(g.tok)} {
			s = strings.ReplaceAll(s, t, token.Redact(g.tok))
		}
	}
	for _, secret := range g.template.Secrets() {
		s = strings.ReplaceAll(s, secret, p4p.Redacted)
	}
	return s
}

// err is the message of err redacted, the URL of a *url.Error first.
func (g guard) err(err error) string {
	return g.text(p4p.RedactURLError(err).Error())
}
