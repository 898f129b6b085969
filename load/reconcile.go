package load

import (
	"context"
	"sync"
	"time"

	"p4p"
	"p4p/livefyre"
)

// Reconciliation after a gap in /events.
const (
	reconcileWorkers = 8               // sync records read at once
	reconcileTimeout = 5 * time.Second // for one record
)

// reconcile settles, from the mock's sync records, the waiting pulls whose
// end fell in a gap of /events: a user's record shows the outcome of the
// user's latest pull, and a pull ends only after every ping that joined
// it, so a record whose pull is the waiting one, or a later one, that has
// ended, ends the waiting one too (a later pull started only once the
// earlier had ended). A record still pending, or for an earlier pull,
// leaves the pull waiting for its events.
func (f *follower) reconcile(ctx context.Context) {
	waiting := f.run.tracker.waitingPulls()
	jobs := make(chan [2]string)
	var wg sync.WaitGroup
	for range min(reconcileWorkers, len(waiting)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				f.settle(ctx, j[0], j[1])
			}
		}()
	}
	for pull, user := range waiting {
		select {
		case jobs <- [2]string{pull, user}:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
}

func (f *follower) settle(ctx context.Context, pullID, userID string) {
	ctx, cancel := context.WithTimeout(ctx, reconcileTimeout)
	defer cancel()
	rp, err := f.client.Profile(ctx, userID)
	if err != nil || !p4p.PullID(rp.Sync.PullID).AtLeast(p4p.PullID(pullID)) {
		return
	}
	at := time.Now()
	if rp.Sync.LastUpdateAt != nil && rp.Sync.LastUpdateAt.Before(at) {
		at = *rp.Sync.LastUpdateAt
	}
	switch rp.Sync.Outcome {
	case livefyre.OutcomeSucceeded:
		f.run.tracker.settle(pullID, ending{at: at, stored: at})
	case livefyre.OutcomeFailed:
		f.run.tracker.settle(pullID, ending{at: time.Now(), failed: true, reason: rp.Sync.LastError})
	}
}
