package conformance

import (
	"context"
	"fmt"

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
			ID: "P4P-PIPE-002", Requirement: "A ping leads to a pull whose stored profile equals what the endpoint serves, within the propagation budget", Level: Must,
			Source: "spec 1.1, 1.4, 1.7", Labels: []string{LabelPipeline}, Needs: needsServedProfile,
			BrokenBy: refapp.FaultUnstableProfile, Check: pingStoresProfile,
			Fix: "Serve the same profile for as long as the user has not changed it; a value that changes on every request (a per-request cache-busting parameter, a timestamp) makes every pull an update.",
		},
		{
			ID: "P4P-PIPE-003", Requirement: "After a profile change and its ping, the new display name is stored within the propagation budget", Level: Must,
			Source: "spec 1.1, 1.4, 1.6", Labels: []string{LabelPipeline}, Needs: needsServedProfile,
			BrokenBy: refapp.FaultStaleCache, AlsoBrokenBy: []refapp.Fault{refapp.FaultHookNoPing}, Check: updatePropagates,
			Fix: "Serve the user's current data on every pull: invalidate caches (CDN, application, database replica) when a profile changes, before pinging Livefyre.",
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

func pingStoresProfile(ctx context.Context, p *Probe) error {
	id := p.Config().primary()
	w, err := p.watch(ctx, id)
	if err != nil {
		return err
	}
	defer w.close()
	ping, err := p.livefyre(fmt.Sprintf("ping Livefyre for %q", id)).Ping(ctx, id)
	if err != nil {
		return fmt.Errorf("the ping was refused: %w", err)
	}
	ev, err := w.outcome(ctx, func(e livefyre.Event) bool { return e.PullID == ping.PullID })
	if err != nil {
		return err
	}
	p.Note("ping to stored profile: %.0f ms (budget %s)", ev.LatencyMS, p.budget())
	stored, err := p.storedProfile(ctx, id)
	if err != nil {
		return err
	}
	r, err := p.pull(ctx, "pull the profile as it is now", id, systemInteger)
	if err != nil {
		return err
	}
	if diff := jsonDiff(stored, r.body); diff != "" {
		return fmt.Errorf("the profile Livefyre stored differs from the one the endpoint serves now: %s", diff)
	}
	return nil
}
