package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"p4p/internal/natstest"
	"p4p/livefyre"
)

// TestClusterReplicaKilled: two `p4p mock --nats … --replicas 3`
// processes on a 3-server JetStream cluster share a ping storm; one is
// killed with SIGKILL while it has pulls in flight. Every ping either
// acknowledged ends in exactly one recorded outcome (the survivor finishes
// the pulls the dead one had started, once their AckWait has run out), no
// user's pulls overlap at the endpoint, and both had made pulls.
func TestClusterReplicaKilled(t *testing.T) {
	c := natstest.StartCluster(t, 3)
	e := natstest.NewEndpoint(t, 20*time.Millisecond) // so that pulls are in flight at the kill
	args := []string{"mock", "--addr", "127.0.0.1:0", "--nats", c.URL(), "--replicas", "3",
		"--delay", "0-1s", "--time-scale", "10", "--workers", "8", "--pull-timeout", "2s"}
	a, b := startProc(t, e2eEnv, args...), startProc(t, e2eEnv, args...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := &livefyre.Client{BaseURL: b.URL, Network: e2eNetwork, Key: e2eKey}
	if err := client.Register(ctx, e.Template()); err != nil {
		t.Fatal(err)
	}
	users := make([]string, 60)
	for i := range users {
		users[i] = fmt.Sprintf("k-%d", i)
	}
	var before int
	storm := natstest.Storm{Mocks: []string{a.URL, b.URL}, Network: e2eNetwork, Key: e2eKey, Users: users, Pings: 300, Clients: 8}
	l := storm.Run(ctx, func() {
		before = pullsMade(t, a.URL)
		a.cmd.Process.Kill() // SIGKILL: no shutdown, pulls in flight abandoned
		a.cmd.Wait()
	})
	t.Logf("%d pings acknowledged, %d not; statuses %v", l.Acked(), l.Unanswered(), l.Statuses)
	for _, p := range l.Problems {
		t.Error(p)
	}
	for _, err := range l.Check(ctx, client) {
		t.Error(err)
	}
	if n := e.Overlaps.Load(); n > 0 {
		t.Errorf("%d pulls overlapped another of the same user", n)
	}
	if after := pullsMade(t, b.URL); before == 0 || after == 0 {
		t.Errorf("the killed mock had made %d pulls, the survivor %d: the work was not shared", before, after)
	}
}

var succeededPulls = regexp.MustCompile(`(?m)^p4p_pulls_total\{outcome="succeeded"\} (\d+)`)

// pullsMade reads a mock's count of pulls stored from its /metrics.
func pullsMade(t *testing.T, base string) int {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := succeededPulls.FindSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
