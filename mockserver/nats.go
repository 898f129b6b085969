package mockserver

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// broker is the NATS connection the mock runs on: an embedded nats-server
// with JetStream on file storage, or an external one named by URL.
type broker struct {
	conn     *nats.Conn
	embedded *server.Server // nil when external
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
	return embed(cfg.DataDir)
}

// embed starts an in-process nats-server that accepts no network clients.
func embed(dir string) (*broker, error) {
	b := &broker{}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "p4p-mock-*")
		if err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
		dir, b.tempDir = tmp, tmp
	}
	ns, err := server.NewServer(&server.Options{
		ServerName: "p4p-mock",
		JetStream:  true,
		StoreDir:   dir,
		DontListen: true,
		NoLog:      true,
		NoSigs:     true,
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
