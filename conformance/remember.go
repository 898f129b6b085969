package conformance

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
)

// rememberRounds is how many times each user's valid pull and refusals
// alternate, so that an endpoint that stops checking after a few requests,
// not only after the first, is caught.
const rememberRounds = 2

// refusalsNotRemembered checks that no decision is remembered: for every
// user, on one kept-alive connection that keeps the cookies it is given
// (a session), a valid pull is followed by pulls without a token and with
// a token signed with another key, rememberRounds times; each refusal is
// also repeated on a new connection without cookies, right after the
// valid pull. An endpoint that authorises once per connection, session,
// user or address and then stops checking serves one of them.
func refusalsNotRemembered(ctx context.Context, p *Probe) error {
	for _, id := range p.Config().Users {
		if err := p.rememberRounds(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// rememberRounds runs id's rounds over a session of its own.
func (p *Probe) rememberRounds(ctx context.Context, id string) error {
	session, err := p.env.session()
	if err != nil {
		return err
	}
	defer session.CloseIdleConnections()
	for range rememberRounds {
		for _, bad := range []credential{noToken, badSignature} {
			if err := p.rememberStep(ctx, session, id, bad); err != nil {
				return err
			}
		}
	}
	return nil
}

// rememberStep is one valid pull of id over session, then a pull with bad
// over the same session and one over a new connection. A bad pull that is
// served fails the spec, with the pair that shows it as evidence.
func (p *Probe) rememberStep(ctx context.Context, session *http.Client, id string, bad credential) error {
	valid := p.quietWith(ctx, session, id, systemInteger)
	if valid.err != nil {
		return fmt.Errorf("pull of %q with %s: %w", id, systemInteger.name, unwrapURLError(valid.err))
	}
	for _, via := range []struct {
		client *http.Client
		name   string
	}{{session, "on the same connection, with the cookies it set"}, {p.env.fresh, "on a new connection, right after"}} {
		r := p.quietWith(ctx, via.client, id, bad)
		if r.err != nil {
			return fmt.Errorf("pull of %q with %s: %w", id, bad.name, unwrapURLError(r.err))
		}
		if !accepted(r.reply) {
			continue
		}
		// Show the pair: the valid pull, then the refusal that was not.
		if _, err := p.pullWith(ctx, session, "valid pull of "+id, id, systemInteger); err != nil {
			return err
		}
		if _, err := p.pullWith(ctx, via.client, "then a pull with "+bad.name+", "+via.name, id, bad); err != nil {
			return err
		}
		p.culprit()
		return fmt.Errorf("after a valid pull of %q, a pull with %s %s was answered %s and served the profile: "+
			"the endpoint refuses %s on its own but not after a valid pull, so it remembers a decision instead of checking each pull's token",
			id, bad.name, via.name, statusText(r.reply.status), bad.name)
	}
	return nil
}

// quietWith is a pull of id with c over client, without evidence.
func (p *Probe) quietWith(ctx context.Context, client *http.Client, id string, c credential) timedPull {
	u, err := p.env.pullURLWith(id, c)
	if err != nil {
		return timedPull{err: err}
	}
	return p.timedWith(ctx, client, u)
}

// pullWith is pull over client.
func (p *Probe) pullWith(ctx context.Context, client *http.Client, title, id string, c credential) (reply, error) {
	u, err := p.env.pullURLWith(id, c)
	if err != nil {
		return reply{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return reply{}, fmt.Errorf("%s: %w", title, err)
	}
	return p.send(client, req, title)
}

// session is a client of the endpoint over one kept-alive connection
// that keeps the cookies the endpoint sets, as a browser session would.
func (e *Env) session() (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := e.client(oneConnection(e.transport), false)
	c.Jar = jar
	return c, nil
}

// oneConnection is t keeping at most one connection per host, when t is
// an *http.Transport; any other transport is used as it is.
func oneConnection(t http.RoundTripper) http.RoundTripper {
	ht, ok := t.(*http.Transport)
	if !ok {
		return t
	}
	ht = ht.Clone()
	ht.MaxConnsPerHost, ht.MaxIdleConnsPerHost = 1, 1
	return ht
}
