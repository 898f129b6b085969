package mockserver

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// broker is the NATS connection the mock runs on: an embedded nats-server
// with JetStream on file storage, or an external one named by URL.
type broker struct {
	conn     *nats.Conn
	embedded *server.Server // nil when external
	dir      string         // the embedded store's directory
	limit    int64          // the embedded store's limit in bytes; 0 if JetStream's default
	tempDir  string         // removed on close, when the data dir was ours
}

func connect(cfg Config) (*broker, error) {
	if cfg.NATSURL != "" {
		nc, err := nats.Connect(cfg.NATSURL, nats.Name("p4p-mock"), nats.MaxReconnects(-1))
		if err != nil {
			return nil, fmt.Errorf("connect to NATS %s: %w", cfg.NATSURL, err)
		}
		return &broker{conn: nc}, nil
	}
	return embed(cfg.DataDir, cfg.MaxStore)
}

// embed starts an in-process nats-server that accepts no network clients,
// its store bounded by storeLimit.
func embed(dir string, maxStore int64) (*broker, error) {
	b := &broker{}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "p4p-mock-*")
		if err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
		dir, b.tempDir = tmp, tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	b.dir, b.limit = dir, storeLimit(maxStore, dir)
	ns, err := server.NewServer(&server.Options{
		ServerName:        "p4p-mock",
		JetStream:         true,
		StoreDir:          dir,
		JetStreamMaxStore: cmp.Or(b.limit, -1),
		DontListen:        true,
		NoLog:             true,
		NoSigs:            true,
	})
	if err != nil {
		b.removeTemp()
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		b.removeTemp()
		return nil, errors.New("embedded NATS: not ready after 30s")
	}
	b.embedded = ns
	b.conn, err = nats.Connect(ns.ClientURL(), nats.InProcessServer(ns), nats.Name("p4p-mock"))
	if err != nil {
		b.close()
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	return b, nil
}

// reloadJetStream stops the embedded JetStream and starts it again on the
// same directory and limits. A file store keeps a write error for good once
// the filesystem has refused a write (it ran out of space); reloading it
// from disk is how it takes writes again, without a restart of the mock.
func (b *broker) reloadJetStream() error {
	ns := b.embedded
	if ns == nil {
		return errors.New("an external NATS: its JetStream is its operator's to restart")
	}
	cfg := ns.JetStreamConfig()
	if cfg == nil {
		return errors.New("JetStream is not running")
	}
	if err := ns.ShutdownJetStream(); err != nil {
		return fmt.Errorf("stop JetStream: %w", err)
	}
	// EnableJetStream puts its own directory under the one it is given.
	c := *cfg
	c.StoreDir = filepath.Dir(cfg.StoreDir)
	if err := ns.EnableJetStream(&c); err != nil {
		return fmt.Errorf("start JetStream: %w", err)
	}
	return nil
}

func (b *broker) close() {
	if b.conn != nil {
		b.conn.Close()
	}
	if b.embedded != nil {
		b.embedded.Shutdown()
		b.embedded.WaitForShutdown()
	}
	b.removeTemp()
}

func (b *broker) removeTemp() {
	if b.tempDir != "" {
		os.RemoveAll(b.tempDir)
	}
}
