package conformance

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"p4p/livefyre"
)

// updatePropagates changes the primary user's display name through the
// update hook, waits for the ping that follows (the site's, or the
// harness's with HarnessPings) and for the pull it queued, and checks
// that Livefyre stored the new name. The old name is put back afterwards.
func updatePropagates(ctx context.Context, p *Probe) error {
	cfg := p.Config()
	if cfg.UpdateHook == "" {
		return skip("no update hook was given (--update-hook)")
	}
	id := cfg.primary()
	old, err := p.currentName(ctx, id)
	if err != nil {
		return err
	}
	name := "p4p check " + rand.Text()[:8]
	w, err := p.watch(ctx, id)
	if err != nil {
		return err
	}
	defer w.close()
	start := time.Now()
	if err := p.update(ctx, id, name, "change the display name through the update hook"); err != nil {
		return err
	}
	defer p.restore(context.WithoutCancel(ctx), id, old)
	var after []string // pulls queued by pings after the change
	ev, err := w.outcome(ctx, func(e livefyre.Event) bool {
		if e.Type == livefyre.PingAccepted {
			after = append(after, e.PullID)
		}
		return slices.Contains(after, e.PullID)
	})
	if err != nil {
		if len(w.pings) == 0 {
			return fmt.Errorf("no ping for %q reached Livefyre within the propagation budget of %s after the change: does your site ping after a profile change? If it never does, run with --harness-pings (%w)", id, p.budget(), err)
		}
		return err
	}
	stored, err := p.storedProfile(ctx, id)
	if err != nil {
		return err
	}
	var got struct {
		DisplayName string `json:"display_name"`
	}
	if err := json.Unmarshal(stored, &got); err != nil || got.DisplayName != name {
		return fmt.Errorf("Livefyre pulled %q after the ping that followed the change and stored display_name %q, not %q: the endpoint served data from before the change", id, got.DisplayName, name)
	}
	p.Note("change to stored profile: %s (ping to stored: %.0f ms; budget %s)", time.Since(start).Round(time.Millisecond), ev.LatencyMS, p.budget())
	return nil
}

// currentName is the display name the endpoint serves for id.
func (p *Probe) currentName(ctx context.Context, id string) (string, error) {
	r, err := p.pull(ctx, "pull the profile before the change", id, systemInteger)
	if err != nil {
		return "", err
	}
	var body struct {
		DisplayName string `json:"display_name"`
	}
	if r.status != http.StatusOK || json.Unmarshal(r.body, &body) != nil {
		return "", skip("the profile of %q could not be read before the change; see the response specs", id)
	}
	return body.DisplayName, nil
}

// update POSTs {"id", "display_name"} to the update hook, then pings if
// the harness is to.
func (p *Probe) update(ctx context.Context, id, name, title string) error {
	body, _ := json.Marshal(map[string]string{"id": id, "display_name": name})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.Config().UpdateHook, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	r, err := p.do(req, title)
	if err != nil {
		return fmt.Errorf("the update hook: %w", err)
	}
	if r.status/100 != 2 {
		return fmt.Errorf("the update hook answered %s; want 2xx", statusText(r.status))
	}
	if p.Config().HarnessPings {
		if _, err := p.livefyre(fmt.Sprintf("ping Livefyre for %q", id)).Ping(ctx, id); err != nil {
			return fmt.Errorf("the ping after the change was refused: %w", err)
		}
	}
	return nil
}

// restore puts the old display name back, best effort.
func (p *Probe) restore(ctx context.Context, id, old string) {
	ctx, cancel := context.WithTimeout(ctx, p.Config().Timeout)
	defer cancel()
	if err := p.update(ctx, id, old, "put the display name back through the update hook"); err != nil {
		p.Note("the old display name %q could not be put back: %v", old, err)
	}
}
