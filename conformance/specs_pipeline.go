package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"p4p"
	"p4p/livefyre"
	"p4p/refapp"
)

// needsServedProfile are the specs without which Livefyre cannot store a
// profile: its pull would be refused, and the failure is already reported.
var needsServedProfile = []string{"P4P-PIPE-001", "P4P-AUTH-008", "P4P-RESP-001", "P4P-RESP-002",
	"P4P-RESP-003", "P4P-RESP-004", "P4P-RESP-005"}

func pipelineSpecs() []Spec {
	return []Spec{
		{
			ID: "P4P-PIPE-001", Requirement: "Livefyre accepts the Pull URL template (204)", Level: Must,
			Source: "spec 1.3, 3.2, 6.9", Labels: []string{LabelPipeline},
			BrokenBy: refapp.FaultEncodedTemplate, Check: registers,
			Fix: "Register a URL with the literal {id} in its path or query, e.g. https://example.com/pull?id={id}; if a URL library builds it, make sure { and } are not percent-encoded.",
		},
		{
			ID: "P4P-PIPE-002", Requirement: "For every user, a ping leads to a pull whose stored profile equals what the endpoint serves, within the propagation budget", Level: Must,
			Source: "spec 1.1, 1.4, 1.7", Labels: []string{LabelPipeline}, Needs: needsServedProfile,
			BrokenBy: refapp.FaultUnstableProfile, Check: pingStoresProfile,
			Fix: "Serve the same profile for as long as the user has not changed it; a value that changes on every request (a per-request cache-busting parameter, a timestamp) makes every pull an update.",
		},
		{
			ID: "P4P-PIPE-003", Requirement: "For every user, a display name change and its ping are stored within the propagation budget, as are successive changes to one user, the old name put back included; a change to one user changes no other user's profile", Level: Must,
			Source: "spec 1.1, 1.2, 1.4, 1.6", Labels: []string{LabelPipeline}, Needs: append(slices.Clone(needsServedProfile), "P4P-USER-003"),
			BrokenBy: refapp.FaultStaleCache, AlsoBrokenBy: []refapp.Fault{refapp.FaultHookNoPing, refapp.FaultFirstChangeOnly, refapp.FaultSharedUpdate},
			Check: updatePropagates,
			// The check gives the fix of the cause it found (causeFixes);
			// this one covers them all.
			Fix: "Apply each change to the user it names, and to no other, ping Livefyre after it, and serve the user's current data on every pull: invalidate caches (CDN, application, database replica) when a profile changes, before pinging Livefyre.",
		},
		{
			ID: "P4P-PIPE-004", Requirement: "After a display name change through the update hook, a newly issued userAuthToken carries the new display_name (--user-token-url)", Level: Should,
			Source: "spec 1.1, 8.1", Labels: []string{LabelPipeline}, Needs: append(slices.Clone(needsServedProfile), "P4P-PIPE-003"),
			BrokenBy: refapp.FaultStaleUserToken, Check: userTokenRefreshes, Fix: userTokenFix,
		},
	}
}

func registers(ctx context.Context, p *Probe) error {
	lf := p.livefyre("register the Pull URL with Livefyre")
	if err := lf.Register(ctx, p.Config().PullURL); err != nil {
		return fmt.Errorf("Livefyre refused the Pull URL: %w", err)
	}
	return nil
}

// pingStoresProfile pings Livefyre for every user the endpoint serves,
// all at once, and checks that each stored profile is what the endpoint
// serves once it is stored.
func pingStoresProfile(ctx context.Context, p *Probe) error {
	users, err := pullEach(ctx, p)
	if err != nil {
		return err
	}
	pending := make([]pendingPing, 0, len(users))
	defer func() {
		for _, pp := range pending {
			pp.w.close()
		}
	}()
	for _, u := range users {
		w, err := p.watch(ctx, u.id)
		if err != nil {
			return err
		}
		pending = append(pending, pendingPing{w: w})
		ping, err := p.livefyre(fmt.Sprintf("ping Livefyre for %q", u.id)).Ping(ctx, u.id)
		if err != nil {
			return fmt.Errorf("the ping for %q was refused: %w", u.id, err)
		}
		pending[len(pending)-1].pullID = ping.PullID
	}
	// One budget for all: the pings went out together.
	ctx, cancel := context.WithTimeout(ctx, p.budget())
	defer cancel()
	var wrong []string
	for _, pp := range pending {
		if err := pp.stores(ctx, p); err != nil {
			wrong = append(wrong, err.Error())
		}
	}
	if len(wrong) > 0 {
		return errors.New(strings.Join(wrong, "; "))
	}
	return nil
}

// pendingPing is a ping whose pull is awaited.
type pendingPing struct {
	w      *watcher
	pullID string
}

// stores waits for the ping's pull and compares what Livefyre stored with
// what the endpoint serves now.
func (pp pendingPing) stores(ctx context.Context, p *Probe) error {
	id := pp.w.id
	ev, err := pp.w.outcome(ctx, func(e livefyre.Event) bool { return p4p.PullID(e.PullID).AtLeast(p4p.PullID(pp.pullID)) })
	if err != nil {
		return err
	}
	p.Note("%q: ping to stored profile: %.0f ms (budget %s)", id, ev.LatencyMS, p.budget())
	stored, err := p.storedProfile(ctx, id)
	if err != nil {
		return err
	}
	r, err := p.pull(ctx, fmt.Sprintf("pull %q as it is now", id), id, systemInteger)
	if err != nil {
		return err
	}
	if diff := jsonDiff(stored, r.body); diff != "" {
		return fmt.Errorf("the profile Livefyre stored for %q differs from the one the endpoint serves now: %s", id, diff)
	}
	return nil
}
