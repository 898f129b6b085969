package mockserver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"p4p"
)

// broker is the NATS connection the mock runs on: an embedded nats-server
// with JetStream on file storage, or an external one named by URL.
type broker struct {
	conn    *nats.Conn
	dir     string // the embedded store's directory; "" for an external NATS
	limit   int64  // the embedded store's limit in bytes; 0 if JetStream's default
	tempDir string // removed on close, when the data dir was ours
	// How the embedded store syncs to disk: every write, or every
	// syncInterval (0: nats-server's default, 2 minutes).
	syncAlways   bool
	syncInterval time.Duration

	mu       sync.Mutex
	embedded *server.Server // nil when external; replaced by restart
}

func connect(cfg Config) (*broker, error) {
	if cfg.NATSURL != "" {
		// A cluster's other servers take over at once: reconnect soon,
		// so that pings wait for it (canQueue) rather than fail.
		nc, err := nats.Connect(cfg.NATSURL, nats.Name("p4p-mock"), nats.MaxReconnects(-1),
			nats.ReconnectWait(100*time.Millisecond), nats.ReconnectJitter(100*time.Millisecond, time.Second))
		if err != nil {
			return nil, fmt.Errorf("connect to NATS %s: %w", redactURLs(cfg.NATSURL), p4p.RedactURLError(err))
		}
		return &broker{conn: nc}, nil
	}
	return embed(cfg)
}

// redactURLs redacts each of a comma-separated list of URLs.
func redactURLs(list string) string {
	urls := strings.Split(list, ",")
	for i, u := range urls {
		urls[i] = p4p.RedactURL(strings.TrimSpace(u))
	}
	return strings.Join(urls, ",")
}

// embed starts an in-process nats-server that accepts no network clients,
// its store bounded by storeLimit, synced to disk as cfg says.
func embed(cfg Config) (*broker, error) {
	dir := cfg.DataDir
	b := &broker{syncAlways: cfg.SyncAlways, syncInterval: cfg.SyncInterval}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "p4p-mock-*")
		if err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
		dir, b.tempDir = tmp, tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	b.dir, b.limit = dir, storeLimit(cfg.MaxStore, dir)
	ns, err := b.startServer()
	if err != nil {
		b.removeTemp()
		return nil, err
	}
	b.embedded = ns
	// The connection asks b, not the server, for its in-process pipe, so
	// that after restart it reconnects to the new server by itself.
	b.conn, err = nats.Connect(ns.ClientURL(), nats.InProcessServer(b), nats.Name("p4p-mock"),
		nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	if err != nil {
		b.close()
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	return b, nil
}

func (b *broker) startServer() (*server.Server, error) {
	ns, err := server.NewServer(&server.Options{
		ServerName:        "p4p-mock",
		JetStream:         true,
		StoreDir:          b.dir,
		JetStreamMaxStore: cmp.Or(b.limit, -1),
		SyncAlways:        b.syncAlways,
		SyncInterval:      b.syncInterval,
		DontListen:        true,
		NoLog:             true,
		NoSigs:            true,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("embedded NATS: not ready after 30s")
	}
	return ns, nil
}

// InProcessConn connects to the embedded server in use.
func (b *broker) InProcessConn() (net.Conn, error) {
	ns := b.server()
	if ns == nil {
		return nil, errors.New("embedded NATS: stopped")
	}
	return ns.InProcessConn()
}

// server is the embedded server in use, or nil.
func (b *broker) server() *server.Server {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.embedded
}

// restart stops the embedded server and starts another on the same
// directory and limits; the connection reconnects to it. A file store keeps
// a write error for good once the filesystem has refused a write (it ran
// out of space): reading the store from disk again is how it takes writes
// again, without a restart of the mock. Acknowledged messages are on disk,
// so nothing queued is lost.
func (b *broker) restart(ctx context.Context) error {
	if err := b.replaceServer(); err != nil {
		return err
	}
	for !b.conn.IsConnected() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("reconnect to the restarted embedded NATS: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

// replaceServer holds mu throughout, so that the connection, reconnecting
// meanwhile, waits for the new server rather than dialling the old one.
func (b *broker) replaceServer() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dir == "" {
		return errors.New("an external NATS: its operator restarts it")
	}
	if b.embedded != nil { // nil after a start that failed: try again
		b.embedded.Shutdown()
		b.embedded.WaitForShutdown()
	}
	ns, err := b.startServer()
	b.embedded = ns // nil if it failed: the mock reports NATS down, and tries again
	return err
}

// connected reports, at once, a connection that is down: a request sent
// meanwhile would wait in the reconnect buffer until it timed out.
func (b *broker) connected() error {
	return natsConnected(b.conn)
}

// awaitConnected is connected, except that a connection reconnecting to
// one of a cluster's other servers is waited for until ctx ends.
func (b *broker) awaitConnected(ctx context.Context) error {
	err := b.connected()
	if err == nil || b.dir != "" || countServers(b.conn.Servers()) < 2 {
		return err
	}
	for b.conn.Status() == nats.RECONNECTING && pause(ctx, 10*time.Millisecond) {
	}
	return b.connected()
}

func natsConnected(nc *nats.Conn) error {
	if st := nc.Status(); st != nats.CONNECTED {
		return fmt.Errorf("not connected to NATS (%s)", strings.ToLower(st.String()))
	}
	return nil
}

func (b *broker) close() {
	if b.conn != nil {
		b.conn.Close()
	}
	if ns := b.server(); ns != nil {
		ns.Shutdown()
		ns.WaitForShutdown()
	}
	b.removeTemp()
}

func (b *broker) removeTemp() {
	if b.tempDir != "" {
		os.RemoveAll(b.tempDir)
	}
}
