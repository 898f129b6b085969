package natstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/token"
)

// Endpoint is a Pull endpoint that serves every user a profile after a
// short pause, and counts the times a user's pull arrived while another
// of the same user's was still being answered.
type Endpoint struct {
	*httptest.Server
	Requests atomic.Int64
	Overlaps atomic.Int64

	mu       sync.Mutex
	inflight map[string]int
}

// NewEndpoint starts an Endpoint; pause is how long each answer takes.
func NewEndpoint(t testing.TB, pause time.Duration) *Endpoint {
	e := &Endpoint{inflight: map[string]int{}}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		e.Requests.Add(1)
		e.mu.Lock()
		if e.inflight[id]++; e.inflight[id] > 1 {
			e.Overlaps.Add(1)
		}
		e.mu.Unlock()
		defer func() {
			e.mu.Lock()
			e.inflight[id]--
			e.mu.Unlock()
		}()
		time.Sleep(pause)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": id, "display_name": "User " + id, "autofollow_conversations": "false"})
	}))
	t.Cleanup(e.Close)
	return e
}

// Template is the endpoint's Pull URL template.
func (e *Endpoint) Template() string { return e.URL + "/pull?id={id}" }

// Storm pings Users round and round through the mocks in turn, from
// Clients goroutines, Pings times in all.
type Storm struct {
	Mocks        []string // the mocks' base URLs
	Network, Key string
	Users        []string
	Pings        int
	Clients      int
}

// Ledger is what a storm's pings were answered.
type Ledger struct {
	mu         sync.Mutex
	pulls      map[string]map[uint64]bool // each user's acknowledged pull ids
	unanswered map[string]int             // each user's pings not acknowledged: refused or cut off
	Statuses   map[int]int                // how many pings got each status; 0 for no answer
	Problems   []string                   // answers that break the rules: a refusal without Retry-After
	Refusals   []string                   // the first few refusals' messages
	acked      atomic.Int64
}

// Run sends the storm; once a third of it is acknowledged it calls
// during, beside the pings still going. It returns once every ping has
// been answered (or cut off) and during has returned.
func (s Storm) Run(ctx context.Context, during func()) *Ledger {
	l := &Ledger{pulls: map[string]map[uint64]bool{}, unanswered: map[string]int{}, Statuses: map[int]int{}}
	client := &http.Client{Timeout: time.Minute}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range s.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < s.Pings && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				l.ping(ctx, client, s.Mocks[i%len(s.Mocks)], s.Users[i%len(s.Users)], s)
			}
		}()
	}
	for l.acked.Load() < int64(s.Pings/3) && next.Load() < int64(s.Pings) && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	if during != nil {
		during()
	}
	wg.Wait()
	return l
}

func (l *Ledger) ping(ctx context.Context, client *http.Client, base, user string, s Storm) {
	status, retryAfter, pullID, err := ping(ctx, client, base, user, s.Network, s.Key)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.Statuses[status]++
	if status != http.StatusOK || err != nil {
		l.unanswered[user]++
		if len(l.Refusals) < 5 {
			l.Refusals = append(l.Refusals, fmt.Sprintf("ping %s via %s: status %d: %v", user, base, status, err))
		}
		if status != 0 && retryAfter == "" {
			l.Problems = append(l.Problems, fmt.Sprintf("ping %s via %s: status %d without Retry-After", user, base, status))
		}
		return
	}
	if l.pulls[user] == nil {
		l.pulls[user] = map[uint64]bool{}
	}
	l.pulls[user][pullID] = true
	l.acked.Add(1)
}

// ping sends one ping; status is 0 when no answer came.
func ping(ctx context.Context, client *http.Client, base, user, network, key string) (status int, retryAfter string, pullID uint64, err error) {
	tok, err := token.System(network, key, time.Hour, time.Now())
	if err != nil {
		return 0, "", 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v3_0/user/"+user+"/refresh",
		strings.NewReader(url.Values{"lftoken": {tok}}.Encode()))
	if err != nil {
		return 0, "", 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s", bytes.TrimSpace(body))
	}
	if err != nil {
		return resp.StatusCode, resp.Header.Get("Retry-After"), 0, err
	}
	var env livefyre.Envelope
	var r livefyre.PingResult
	if err := json.Unmarshal(body, &env); err != nil {
		return resp.StatusCode, "", 0, err
	}
	if err := json.Unmarshal(env.Data, &r); err != nil {
		return resp.StatusCode, "", 0, err
	}
	pullID, err = strconv.ParseUint(r.PullID, 10, 64)
	return resp.StatusCode, "", pullID, err
}

// Acked is how many pings were acknowledged.
func (l *Ledger) Acked() int { return int(l.acked.Load()) }

// Unanswered is how many pings were not acknowledged.
func (l *Ledger) Unanswered() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, u := range l.unanswered {
		n += u
	}
	return n
}

// Check reads each user's sync record through client until its last
// acknowledged pull has ended, and reports every rule broken: a user whose
// last acknowledged pull did not end stored (lost), or whose count of
// ended pulls is not its count of acknowledged pulls (more only by pings
// not acknowledged, which may have been stored before they were cut off).
func (l *Ledger) Check(ctx context.Context, client *livefyre.Client) []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	for user, ids := range l.pulls {
		var last uint64
		for id := range ids {
			last = max(last, id)
		}
		rp, err := awaitPull(ctx, client, user, last)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if got, least, most := rp.Sync.Pulls, len(ids), len(ids)+l.unanswered[user]; got < least || got > most {
			errs = append(errs, fmt.Errorf("%s: %d pulls ended, want %d to %d: %d acknowledged pulls, %d pings not acknowledged",
				user, got, least, most, len(ids), l.unanswered[user]))
		}
	}
	return errs
}

// awaitPull waits until the user's record shows pull id last, or a later
// one, stored.
func awaitPull(ctx context.Context, client *livefyre.Client, user string, last uint64) (livefyre.RemoteProfile, error) {
	for {
		rp, err := client.Profile(ctx, user)
		var got uint64
		if err == nil {
			got, _ = strconv.ParseUint(rp.Sync.PullID, 10, 64)
		}
		switch {
		case err == nil && got >= last && rp.Sync.Outcome == livefyre.OutcomeSucceeded:
			return rp, nil
		case err == nil && rp.Sync.Outcome == livefyre.OutcomeFailed:
			return rp, fmt.Errorf("%s: pull %s failed: %s", user, rp.Sync.PullID, rp.Sync.LastError)
		case err != nil && !errors.Is(err, livefyre.ErrNotFound) && ctx.Err() == nil:
			// a mock between servers: read again
		}
		select {
		case <-ctx.Done():
			return rp, fmt.Errorf("%s: acknowledged pull %d lost: the record shows %+v (%v)", user, last, rp.Sync, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
