// Package natstest runs what the mock's cluster tests need on loopback: a
// JetStream cluster of real nats-servers joined by explicit routes, a Pull
// endpoint that notes overlapping pulls of a user, and a ping storm whose
// ledger checks that every acknowledged ping ended in one recorded outcome.
package natstest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Cluster is a JetStream cluster of nats-servers on loopback, as nats-server's
// own createJetStreamClusterExplicit starts one: fixed client and route
// ports, every server routed to every other.
type Cluster struct {
	Servers []*server.Server
	t       testing.TB
}

// StartCluster starts n servers and waits until JetStream has a meta
// leader; they are shut down at the test's end.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	ports := freePorts(t, 2*n)
	var routes []string
	for i := range n {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", ports[n+i]))
	}
	c := &Cluster{t: t}
	for i := range n {
		opts := &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1), Host: "127.0.0.1", Port: ports[i],
			JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true,
			Cluster: server.ClusterOpts{Name: "p4p-test", Host: "127.0.0.1", Port: ports[n+i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ",")),
		}
		ns, err := server.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		go ns.Start()
		c.Servers = append(c.Servers, ns)
	}
	t.Cleanup(func() {
		for _, ns := range c.Servers {
			ns.Shutdown()
			ns.WaitForShutdown()
		}
	})
	for _, ns := range c.Servers {
		if !ns.ReadyForConnections(10 * time.Second) {
			t.Fatalf("nats-server %s not ready", ns.Name())
		}
	}
	c.awaitJetStream()
	return c
}

// freePorts finds n ports free on loopback now.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// URL lists every server's client URL, comma-separated, as --nats takes them.
func (c *Cluster) URL() string {
	var urls []string
	for _, ns := range c.Servers {
		urls = append(urls, ns.ClientURL())
	}
	return strings.Join(urls, ",")
}

// awaitJetStream waits until JetStream answers, that is, the cluster has
// elected its meta leader.
func (c *Cluster) awaitJetStream() {
	c.t.Helper()
	js := c.JetStream()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := js.AccountInfo(ctx)
		cancel()
		if err == nil && c.allCurrent() {
			return
		}
		if err == nil {
			err = errors.New("not every server is a current peer of the meta group")
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("JetStream cluster not ready after 30s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// allCurrent reports whether every server is a current peer of the
// JetStream meta group that knows all of them: before that a stream with
// a replica on each server is refused ("no suitable peers for
// placement, peer offline").
func (c *Cluster) allCurrent() bool {
	online := 0
	for _, ns := range c.Servers {
		if !ns.JetStreamIsCurrent() {
			return false
		}
		if ns.JetStreamIsLeader() {
			online = len(ns.JetStreamClusterPeers()) // online, with stats: the leader's view
		}
	}
	return online == len(c.Servers)
}

// JetStream connects to the cluster, for a test's own look-ups.
func (c *Cluster) JetStream() jetstream.JetStream {
	c.t.Helper()
	return JetStream(c.t, c.URL())
}

// JetStream connects a test to the NATS at url (one server or a
// cluster's list), closed when the test ends.
func JetStream(t testing.TB, url string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// Leader is the server that leads the stream now.
func (c *Cluster) Leader(js jetstream.JetStream, stream string) *server.Server {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		c.t.Fatalf("stream %s: %v", stream, err)
	}
	info := s.CachedInfo()
	if info.Cluster == nil {
		c.t.Fatalf("stream %s has no cluster information", stream)
	}
	for _, ns := range c.Servers {
		if ns.Name() == info.Cluster.Leader {
			return ns
		}
	}
	c.t.Fatalf("stream %s: leader %q is none of the cluster's servers", stream, info.Cluster.Leader)
	return nil
}

// StepDown asks the stream's leader to hand over, as an operator would
// with `nats stream cluster step-down`.
func (c *Cluster) StepDown(js jetstream.JetStream, stream string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := js.Conn().RequestWithContext(ctx, "$JS.API.STREAM.LEADER.STEPDOWN."+stream, nil)
	if err != nil {
		return fmt.Errorf("step down %s: %w", stream, err)
	}
	if strings.Contains(string(resp.Data), `"error"`) {
		return fmt.Errorf("step down %s: %s", stream, resp.Data)
	}
	return nil
}
