package conformance

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"p4p/token"
)

// shownNearMisses is how many served near misses a failure names and
// records as evidence; the count says how many there were.
const shownNearMisses = 5

// nearMissCredential is the credential of near miss m, made for the
// run's network and key by token.NearMisses, and reproduced in a shell by
// p4p token --near-miss.
func nearMissCredential(m token.NearMiss) credential {
	return credential{
		name:  fmt.Sprintf("a token that misses the %s rule: %s", m.Rule, m.Name),
		mint:  func(Config, time.Time) (string, error) { return m.Token, nil },
		flags: func(c Config) string { return networkFlags(c.Network) + " --near-miss " + shellQuote(m.Name) },
	}
}

// refusesNearMisses sends every near miss of a valid system token
// (token.NearMisses: each of spec 2.4's rules broken one way at a time),
// each right after a valid pull of the same user and round-robin over
// the users, so that an endpoint that decides once per user and remembers
// is caught too (each near miss goes over a new connection: remembering
// per connection or session is P4P-AUTH-012's). A near miss the official SDK refuses must
// not be served; one it accepts (HS384, ["system"]) is noted, since an
// endpoint built on the SDK accepts it as well.
func refusesNearMisses(ctx context.Context, p *Probe) error {
	cfg := p.Config()
	ms, err := token.NearMisses(cfg.Network, cfg.Key, time.Now())
	if err != nil {
		return err
	}
	var served []credential
	var servedUsers []string
	otherStatus := map[int]int{} // refusals not 403, by status
	for i, m := range ms {
		id := cfg.Users[i%len(cfg.Users)]
		if _, err := p.quietPull(ctx, id, systemInteger); err != nil {
			return err
		}
		c := nearMissCredential(m)
		r, err := p.quietPull(ctx, id, c)
		if err != nil {
			return err
		}
		switch {
		case accepted(r) && m.SDKAccepts:
			p.Note("%s was served; the official SDK's validateLivefyreToken accepts it too, so an endpoint built on the SDK serves it: "+
				"spec 2.4 asks for HS256 and exact claims, but this is not held against the endpoint", c.name)
		case accepted(r):
			served, servedUsers = append(served, c), append(servedUsers, id)
		case r.status != http.StatusForbidden && !m.SDKAccepts:
			otherStatus[r.status]++
		}
	}
	if len(served) == 0 {
		return refusedOtherwise(otherStatus, len(ms))
	}
	names := make([]string, 0, shownNearMisses)
	for i, c := range served[:min(len(served), shownNearMisses)] {
		names = append(names, strings.TrimPrefix(c.name, "a token that "))
		// As judged: right after a valid pull of the same user.
		if _, err := p.pull(ctx, fmt.Sprintf("valid pull of %q", servedUsers[i]), servedUsers[i], systemInteger); err != nil {
			return err
		}
		if _, err := p.pull(ctx, "then a pull with "+c.name, servedUsers[i], c); err != nil {
			return err
		}
		p.culprit()
	}
	more := ""
	if n := len(served) - len(names); n > 0 {
		more = fmt.Sprintf("; and %d more", n)
	}
	return fmt.Errorf("%d of %d tokens that the official SDK refuses were served: %s%s", len(served), len(ms),
		strings.Join(names, "; "), more)
}

// refusedOtherwise is the deviation of near misses refused with another
// status than 403 (see judgeRefusal), or nil when there were none.
func refusedOtherwise(byStatus map[int]int, of int) error {
	if len(byStatus) == 0 {
		return nil
	}
	var parts []string
	for _, status := range slices.Sorted(maps.Keys(byStatus)) {
		parts = append(parts, fmt.Sprintf("%d with %s", byStatus[status], statusText(status)))
	}
	return withFix(deviation("of %d near misses, %s; Livefyre's docs ask for 403 Forbidden with no body (spec 1.5). "+
		"None was served, so Livefyre's sync is safe: a deviation, not a failure", of, strings.Join(parts, ", ")), refuseWith403)
}

// quietPull is pull without evidence, for checks that make many pulls and
// record only those that fail.
func (p *Probe) quietPull(ctx context.Context, id string, c credential) (reply, error) {
	t := p.quietWith(ctx, p.env.clientFor(c), id, c)
	if t.err != nil {
		return reply{}, fmt.Errorf("pull of %q with %s: %w", id, c.name, unwrapURLError(t.err))
	}
	return t.reply, nil
}
