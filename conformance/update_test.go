package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/refapp"
	"p4p/reports"
)

// changeHook is an update hook under test: given a change, the number of
// changes its user has had so far (1 for the first) and apply, which
// passes a change on to the reference endpoint, it does what a site's
// hook would, and says the status to answer.
type changeHook func(apply func(id, name string), id, name string, n int) int

// applyAll is a correct hook.
func applyAll(apply func(id, name string), id, name string, _ int) int {
	apply(id, name)
	return http.StatusOK
}

// hookEnv certifies the reference endpoint, over plain HTTP and with the
// harness pinging, through the update hook hook, and registers the Pull
// URL. The users are its four, or those given. It returns the reference
// endpoint too, to see what it holds.
func hookEnv(t *testing.T, hook changeHook, users ...string) (*Env, *refapp.Server) {
	t.Helper()
	const key = "update-network-key"
	ref, err := refapp.Start(refapp.Config{Network: DefaultNetwork, Key: key, Users: refapp.SyntheticUsers(4)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ref.Close() })
	apply := func(id, name string) {
		body, _ := json.Marshal(map[string]string{"id": id, "display_name": name})
		resp, err := http.Post(ref.URL+"/hook", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("the reference endpoint's hook answered %d to %s %q", resp.StatusCode, id, name)
		}
	}
	var mu sync.Mutex
	changes := map[string]int{}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u struct {
			ID          string `json:"id"`
			DisplayName string `json:"display_name"`
		}
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		changes[u.ID]++
		n := changes[u.ID]
		mu.Unlock()
		w.WriteHeader(hook(apply, u.ID, u.DisplayName, n))
	}))
	t.Cleanup(proxy.Close)
	if users == nil {
		for _, u := range refapp.SyntheticUsers(4) {
			users = append(users, u.ID)
		}
	}
	env, err := Start(context.Background(), Config{PullURL: ref.URL + "/pull?id={id}", Network: DefaultNetwork, Key: key,
		Users: users, UpdateHook: proxy.URL, HarnessPings: true, PropagationBudget: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	if res := executeID(t, env, "P4P-PIPE-001"); res.Outcome != reports.Passed {
		t.Fatalf("P4P-PIPE-001: %s %s", res.Outcome, res.Message)
	}
	return env, ref
}

// fixFor is the fix P4P-PIPE-003 gives for a cause.
func fixFor(t *testing.T, c cause) string {
	t.Helper()
	for _, cf := range causeFixes {
		if cf.cause == c {
			return cf.fix
		}
	}
	t.Fatalf("no fix for cause %d", c)
	return ""
}

// TestUpdateEveryChange: P4P-PIPE-003 fails a hook that gets any of its
// changes wrong, naming the user and the step, with the fix of the cause
// and the exchanges that show it marked; a hook that gets all right
// passes, and the old names are back either way.
func TestUpdateEveryChange(t *testing.T) {
	tests := []struct {
		name    string
		hook    changeHook
		want    []string // in the message
		notWant []string
		fix     cause
		culprit string // in the title of an exchange marked culprit
		stuck   bool   // the hook cannot put the old names back
	}{
		{name: "every change applied", hook: applyAll},
		{name: "first user only", hook: func(apply func(id, name string), id, name string, n int) int {
			if id == "u-0001" {
				apply(id, name)
			}
			return http.StatusOK
		}, want: []string{`the first change of "user.0002" (to "p4p check `, `was never stored: Livefyre stored "Alan Lovelace 2", the value before the change`,
			`the endpoint still serves "Alan Lovelace 2"`, `the first change of "a.b-c_0004"`},
			notWant: []string{`change of "u-0001"`}, fix: causeStale, culprit: `the first change of "user_0003"`},
		{name: "second change dropped", hook: func(apply func(id, name string), id, name string, n int) int {
			if n != 2 {
				apply(id, name)
			}
			return http.StatusOK
		}, want: []string{`the second change of "u-0001" (to "p4p check `, `was never stored: Livefyre stored "p4p check `, `", the value of its first change`},
			fix: causeStale, culprit: `the second change of "u-0001"`, stuck: true},
		{name: "old name not put back", hook: func(apply func(id, name string), id, name string, n int) int {
			if strings.HasPrefix(name, "p4p check ") {
				apply(id, name)
			}
			return http.StatusOK
		}, want: []string{`the third change of "u-0001", back to its old display name "Grace Lovelace 1" was never stored`, `the value of its second change`,
			`the second change of "user.0002", back to its old display name "Alan Lovelace 2" was never stored`, `the value of its first change`},
			fix: causeStale, culprit: `the third change of "u-0001"`, stuck: true},
		{name: "second change leaks", hook: func(apply func(id, name string), id, name string, n int) int {
			apply(id, name)
			if id == "u-0001" && n == 2 {
				apply("user_0003", name)
			}
			return http.StatusOK
		}, want: []string{`the second change of "u-0001" (to "p4p check `, `also changed "user_0003": the endpoint serves display_name "p4p check `},
			notWant: []string{`"user.0002"`}, fix: causeLeak, culprit: `after the second change of "u-0001": pull "user_0003"`},
		{name: "hook refuses a user", hook: func(apply func(id, name string), id, name string, n int) int {
			if id == "user.0002" {
				return http.StatusInternalServerError
			}
			apply(id, name)
			return http.StatusOK
		}, want: []string{`the first change of "user.0002" (to "p4p check `, `the update hook answered 500`},
			fix: causeHook, culprit: `the first change of "user.0002" (to "p4p check `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env, ref := hookEnv(t, tt.hook)
			res := executeID(t, env, "P4P-PIPE-003")
			checkUpdateResult(t, res, tt.want, tt.notWant, tt.fix, tt.culprit)
			for i, u := range refapp.SyntheticUsers(4) {
				if p, _ := ref.User(u.ID); p.DisplayName != u.DisplayName && !tt.stuck {
					t.Errorf("user %d, %q: display name %q after the check, want the old one, %q", i, u.ID, p.DisplayName, u.DisplayName)
				}
			}
		})
	}
}

// TestUpdateUserGivenTwice: a user given twice is changed once a round;
// two changes at once to one user would race.
func TestUpdateUserGivenTwice(t *testing.T) {
	t.Parallel()
	env, _ := hookEnv(t, applyAll, "u-0001", "user.0002", "u-0001")
	res := executeID(t, env, "P4P-PIPE-003")
	if res.Outcome != reports.Passed || len(res.Notes) == 0 || strings.Count(res.Notes[0], `"u-0001"`) != 1 {
		t.Errorf("%s %q, notes %q; want passed, the first round changing \"u-0001\" once", res.Outcome, res.Message, res.Notes)
	}
}

// checkUpdateResult checks a P4P-PIPE-003 result: passed when culprit is
// "", else failed as the rest says.
func checkUpdateResult(t *testing.T, res reports.Result, want, notWant []string, fix cause, culprit string) {
	t.Helper()
	if culprit == "" {
		if res.Outcome != reports.Passed || len(res.Notes) != updateRounds {
			t.Errorf("%s %q, notes %q; want passed, a note per round", res.Outcome, res.Message, res.Notes)
		}
		return
	}
	if res.Outcome != reports.Failed {
		t.Fatalf("%s %q, want failed", res.Outcome, res.Message)
	}
	for _, w := range want {
		if !strings.Contains(res.Message, w) {
			t.Errorf("message %q\nwant it to contain %q", res.Message, w)
		}
	}
	for _, w := range notWant {
		if strings.Contains(res.Message, w) {
			t.Errorf("message %q\nwant it not to contain %q", res.Message, w)
		}
	}
	if res.Fix != fixFor(t, fix) {
		t.Errorf("fix %q, want %q", res.Fix, fixFor(t, fix))
	}
	var culprits []string
	for _, ex := range res.Evidence {
		if ex.Culprit {
			culprits = append(culprits, ex.Title)
		}
	}
	if len(culprits) == 0 || !strings.Contains(strings.Join(culprits, "\n"), culprit) {
		t.Errorf("culprits %q, want one titled %q…", culprits, culprit)
	}
	if len(culprits) == len(res.Evidence) {
		t.Errorf("every exchange is a culprit: %q", culprits)
	}
}

// TestUpdateFaults: each fault of the reference endpoint's update hook
// fails P4P-PIPE-003 with the fix of its cause: a site that never pings
// is told to ping, not to clear a cache. The hook that never pings
// passes when the harness pings.
func TestUpdateFaults(t *testing.T) {
	tests := []struct {
		fault        refapp.Fault
		harnessPings bool
		budget       time.Duration // a short one where the check must wait it out
		want         []string
		fix          cause
		culprit      string
	}{
		{fault: refapp.FaultHookNoPing, budget: time.Second, want: []string{"no ping reached Livefyre within the propagation budget of 1s after the first change of \"u-0001\"", "--harness-pings"},
			fix: causeNoPing, culprit: `the first change of "a.b-c_0004"`},
		{fault: refapp.FaultHookNoPing, harnessPings: true},
		{fault: refapp.FaultStaleCache, want: []string{`the first change of "u-0001"`, "the value before the change"}, fix: causeStale, culprit: `the first change of "u-0001"`},
		{fault: refapp.FaultFirstChangeOnly, want: []string{`the second change of "u-0001"`, "the value of its first change"}, fix: causeStale, culprit: `the second change of "u-0001"`},
		{fault: refapp.FaultSharedUpdate, want: []string{`a change to "`}, fix: causeLeak, culprit: `change of "`},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			t.Parallel()
			budget := time.Minute
			if tt.budget != 0 {
				budget = tt.budget
			}
			env, err := Start(context.Background(), Config{Fault: string(tt.fault), HarnessPings: tt.harnessPings, PropagationBudget: budget})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { env.Close() })
			if res := executeID(t, env, "P4P-PIPE-001"); res.Outcome != reports.Passed {
				t.Fatalf("P4P-PIPE-001: %s %s", res.Outcome, res.Message)
			}
			res := executeID(t, env, "P4P-PIPE-003")
			checkUpdateResult(t, res, tt.want, nil, tt.fix, tt.culprit)
			if tt.fix == causeNoPing && strings.Contains(res.Fix+res.Message, "CDN") {
				t.Errorf("a site that never pinged is told about CDN caches: %q %q", res.Message, res.Fix)
			}
		})
	}
}

func TestJoinList(t *testing.T) {
	for _, tt := range []struct {
		items []string
		want  string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}} {
		if got := joinList(tt.items); got != tt.want {
			t.Errorf("joinList(%q) = %q, want %q", tt.items, got, tt.want)
		}
	}
}

// TestOutcomeBeforePing: the end of a pull can come before the event of
// the ping that queued it (the mock announces a ping once it is queued,
// and a quick pull may end first); it is the outcome once the ping is
// seen. An end of an earlier pull is not.
func TestOutcomeBeforePing(t *testing.T) {
	const id = "u-0001"
	events := []livefyre.Event{
		{Type: livefyre.ProfileUpdated, UserID: id, PullID: "12"},
		{Type: livefyre.ProfileUpdated, UserID: id, PullID: "13"},
		{Type: livefyre.PingAccepted, UserID: "user.0002", PullID: "14"},
		{Type: livefyre.PingAccepted, UserID: id, PullID: "13"},
	}
	lf := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, e := range events {
			data, _ := json.Marshal(e)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, data)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(lf.Close)
	env := &Env{cfg: Config{PropagationBudget: time.Minute}, timeScale: 1, secrets: newSecrets("key", nil),
		livefyre: &livefyre.Client{BaseURL: lf.URL, Network: DefaultNetwork, Key: "key"}}
	w, err := NewProbe(env).watch(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	ev, err := w.outcome(context.Background(), w.since(""))
	if err != nil || ev.Type != livefyre.ProfileUpdated || ev.PullID != "13" {
		t.Errorf("outcome: %+v, %v; want pull 13's profile.updated", ev, err)
	}
}
