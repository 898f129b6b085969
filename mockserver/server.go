package mockserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"p4p/internal/drain"
	"p4p/token"
)

// Server is a running mock Livefyre, shaped like httptest.Server: it
// listens on loopback by default, reports its URL and closes cleanly.
type Server struct {
	// URL is the base URL, e.g. "http://127.0.0.1:43121", standing in for
	// https://{name}.quill.fyre.co.
	URL string

	conns   drain.Conns // closed at Close when they never carried a request
	cfg     Config
	log     *slog.Logger
	tokens  *token.Cache
	broker  *broker
	js      jetstream.JetStream
	queue   *queue
	store   *store
	events  *events
	metrics *metrics
	puller  *puller
	http    *http.Server
	pools   []*pool
	// inflight holds a token per ping being handled (Config.MaxInflight).
	inflight chan struct{}

	stopWork  context.CancelFunc
	done      chan struct{} // closed by Close
	closeOnce sync.Once
	closeErr  error
}

// Start starts a mock Livefyre: its queue and store (embedded NATS
// JetStream unless cfg.NATSURL names one), its pull workers and its HTTP
// listener. It returns once the mock accepts requests.
func Start(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, done: make(chan struct{}), inflight: make(chan struct{}, cfg.MaxInflight),
		tokens: &token.Cache{Validator: token.Validator{Network: cfg.Network, Key: cfg.Key, Users: cfg.Owners, Now: cfg.Now}}}
	if err := s.open(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Server) open() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if s.broker, err = connect(s.cfg); err != nil {
		return err
	}
	if s.js, err = jetstream.New(s.broker.conn); err != nil {
		return err
	}
	if s.queue, err = openQueue(ctx, s.js, s.cfg); err != nil {
		return err
	}
	if s.store, err = openStore(ctx, s.js); err != nil {
		return err
	}
	s.events = openEvents(s.broker.conn, s.cfg)
	if s.puller, err = newPuller(s.cfg); err != nil {
		return err
	}
	s.metrics = newMetrics(s.queue.depth)
	if err := s.startWork(ctx); err != nil {
		return err
	}
	return s.listen()
}

func (s *Server) startWork(ctx context.Context) error {
	mover, puller, err := s.consumers(ctx)
	if err != nil {
		return fmt.Errorf("consumers: %w", err)
	}
	work, stop := context.WithCancel(context.Background())
	s.stopWork = stop
	for _, c := range []struct {
		cons        jetstream.Consumer
		n, prefetch int
		handle      func(context.Context, jetstream.Msg)
	}{
		{mover, movers, moverPrefetch, s.movePending},
		// Pulls buffered here wait for a worker while their AckWait runs,
		// so buffer no more than the workers can start at once.
		{puller, s.cfg.Workers, s.cfg.Workers, s.runPull},
	} {
		p, err := startPool(work, s.done, c.cons, c.n, c.prefetch, c.handle)
		if err != nil {
			return fmt.Errorf("consume: %w", err)
		}
		s.pools = append(s.pools, p)
	}
	return nil
}

func (s *Server) listen() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Addr, err)
	}
	s.URL = "http://" + ln.Addr().String()
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		ConnState:         s.conns.Track,
	}
	go s.http.Serve(ln)
	return nil
}

// Handler returns the mock's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", s.handleRegister)
	// Both spellings of the ping path: the SDKs' v3_0 and the docs' v3.0
	// (spec 6.1).
	mux.HandleFunc("/api/v3_0/user/{user_id}/refresh", s.handlePing)
	mux.HandleFunc("/api/v3.0/user/{user_id}/refresh", s.handlePing)
	mux.HandleFunc("/profiles/{$}", s.handleProfiles)
	mux.HandleFunc("/profiles/{id}", s.handleProfile)
	mux.HandleFunc("/events", s.handleEvents)
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		respondError(w, errorf(ENotFound, "%s %s: no such endpoint", r.Method, r.URL.Path))
	})
	return mux
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if !s.broker.conn.IsConnected() {
		respondError(w, errorf(EUnavailable, "not connected to NATS"))
		return
	}
	// time_scale lets a harness pointed at this mock divide Livefyre's
	// ten-minute promise as the mock divides its delays.
	respond(w, http.StatusOK, map[string]any{"network": s.cfg.Network, "pull_profile_url": s.store.Template(),
		"time_scale": s.cfg.TimeScale})
}

// Close stops accepting requests, lets in-flight requests and pull
// attempts finish, hands pulls not yet started back to the queue, and
// shuts the queue down. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		if s.events != nil {
			// Before the shutdown, which would wait on a follower
			// blocked in a write.
			s.events.close()
		}
		if s.http != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			s.closeErr = drain.Shutdown(ctx, s.http, &s.conns)
			cancel()
		}
		for _, p := range s.pools {
			p.stop()
		}
		if s.stopWork != nil {
			s.stopWork()
		}
		if s.store != nil {
			s.store.close()
		}
		if s.broker != nil {
			s.broker.close()
		}
		if errors.Is(s.closeErr, http.ErrServerClosed) {
			s.closeErr = nil
		}
	})
	return s.closeErr
}
