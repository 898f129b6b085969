package mockserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"p4p"
	"p4p/internal/serve"
	"p4p/token"
)

// Server is a running mock Livefyre, shaped like httptest.Server: it
// listens on loopback by default, reports its URL and closes cleanly.
type Server struct {
	// URL is the base URL, e.g. "http://127.0.0.1:43121", standing in for
	// https://{name}.quill.fyre.co.
	URL string

	cfg    Config
	log    *slog.Logger
	tokens *token.Cache
	// userTokens validates user auth tokens, for the app's view.
	userTokens *token.Cache
	appview    *appview
	broker     *broker
	topology   *topology // the servers and replicas (replicas.go)
	leases     *leases   // users being pulled, when mocks share a NATS (lease.go)
	js         jetstream.JetStream
	queue      *queue
	store      *store
	storage    *storage
	alarms     *alarms
	events     *events
	metrics    *metrics
	puller     *puller
	history    *history   // timeline records (history.go)
	users      *userIndex // the admin users list (users.go)
	order      *userOrder // each user's events in order (record.go)
	session    *sessions  // admin sessions (session.go)
	// dialHealth follows pulls that cannot dial for local reasons.
	dialHealth *dialHealth
	http       *serve.Server
	pools      []*pool
	waiting    *waiting // due pulls waiting for their user's pull to end
	// inflight holds a token per ping being handled (Config.MaxInflight).
	inflight chan struct{}

	stopWork  context.CancelFunc
	done      chan struct{}  // closed by Close
	watching  sync.WaitGroup // the storage watcher
	workMu    sync.Mutex     // guards pools, waiting and stopWork against a reload
	rejoining atomic.Bool    // rejoinConsumers is under way
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
	s := &Server{cfg: cfg, log: cfg.Logger, done: make(chan struct{}), order: newUserOrder(), inflight: make(chan struct{}, cfg.MaxInflight),
		alarms:     newAlarms(cfg.Logger),
		tokens:     &token.Cache{Validator: token.Validator{Network: cfg.Network, Key: cfg.Key, Users: cfg.Owners, Now: cfg.Now}},
		userTokens: &token.Cache{Validator: userTokenValidator(cfg)}}
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
	if s.topology, err = newTopology(s.broker.conn, s.broker.dir != "", s.cfg.Replicas); err != nil {
		return err
	}
	if s.cfg.Replicas == 0 {
		if err := s.topology.keepExisting(ctx, s.js); err != nil {
			return err
		}
	}
	if s.queue, err = openQueue(ctx, s.js, s.cfg, s.topology); err != nil {
		return err
	}
	if s.store, err = openStore(ctx, s.js, s.topology); err != nil {
		return err
	}
	if s.broker.dir == "" { // mocks may share this NATS: lease.go
		if s.leases, err = openLeases(ctx, s.js, s.topology, s.pullAckWait()); err != nil {
			return err
		}
	}
	s.watchStorage(ctx)
	s.events = openEvents(s.broker.conn, s.cfg)
	s.startAppview()
	if s.puller, err = newPuller(s.cfg); err != nil {
		return err
	}
	s.metrics = newMetrics(s.queue.depth, s.storage.reading)
	s.dialHealth = newDialHealth(s.log, s.metrics.registry)
	if err := s.openAdmin(ctx); err != nil {
		return err
	}
	if err := s.startWork(ctx); err != nil {
		return err
	}
	s.topology.log(s.log)
	return s.listen()
}

// watchStorage measures the store's room now, reports its limit, and goes
// on measuring it until Close.
func (s *Server) watchStorage(ctx context.Context) {
	s.storage = newStorage(s.js, s.broker.dir, s.broker.limit, s.log)
	embedded := s.broker.dir != ""
	if embedded {
		s.storage.reload = s.reloadStore
	}
	s.storage.check(ctx)
	if r := s.storage.reading(); embedded {
		args := []any{"dir", s.broker.dir, "limit", p4p.FormatSize(r.Limit), "reserve", p4p.FormatSize(r.Reserve),
			"used", p4p.FormatSize(r.Used), "state", r.State}
		if r.DiskFree != nil {
			args = append(args, "disk_free", p4p.FormatSize(*r.DiskFree))
		}
		s.log.Info("store", args...)
	}
	s.watching.Add(1)
	go func() {
		defer s.watching.Done()
		s.storage.run(s.done)
	}()
}

// reloadStore restarts the embedded NATS server, which reads the store from
// disk again, then the pull and move workers on it. Pulls under way when it
// restarts carry on: one waiting for room to record its outcome finds it on
// the new server; one whose ack is lost meanwhile is delivered again and
// found already recorded (runPull), so it ends once.
func (s *Server) reloadStore(ctx context.Context) error {
	s.workMu.Lock()
	defer s.workMu.Unlock()
	select {
	case <-s.done:
		return errors.New("closing")
	default:
	}
	if err := s.broker.restart(ctx); err != nil {
		return err
	}
	s.stopPools()
	return s.startWork(ctx)
}

// rejoinConsumers starts the workers again on the consumers as they are
// now, once one was deleted under them. Both pools may call it; one
// rejoin serves both.
func (s *Server) rejoinConsumers() {
	if !s.rejoining.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer s.rejoining.Store(false)
		s.workMu.Lock()
		defer s.workMu.Unlock()
		select {
		case <-s.done:
			return
		default:
		}
		s.log.Warn("a consumer was deleted under the workers; joining it anew")
		for {
			s.stopPools()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			err := s.startWork(ctx)
			cancel()
			if err == nil {
				s.alarms.clear("joining the consumers")
				return
			}
			s.alarms.raise("joining the consumers", err)
			select {
			case <-s.done:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (s *Server) stopPools() {
	for _, p := range s.pools {
		p.stop()
	}
	s.pools = nil
	if s.waiting != nil {
		s.waiting.stop()
	}
	if s.stopWork != nil {
		s.stopWork()
	}
}

func (s *Server) startWork(ctx context.Context) error {
	mover, puller, err := s.consumers(ctx)
	if err != nil {
		return fmt.Errorf("consumers: %w", err)
	}
	work, stop := context.WithCancel(context.Background())
	s.stopWork = stop
	s.waiting = newWaiting(work, movers, s.movePending)
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
		p, err := startPool(work, s.done, c.cons, c.n, c.prefetch, c.handle, s.rejoinConsumers)
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
	s.http = serve.New(s.Handler(), s.cfg.connLimits(), slog.NewLogLogger(s.log.Handler(), slog.LevelWarn))
	s.metrics.registry.MustRegister(connCollectors(s.http)...)
	l := s.http.Limits()
	s.log.Info("connection limits", "max_conns", l.MaxConns, "idle_timeout", l.IdleTimeout, "read_header_timeout", l.ReadHeaderTimeout)
	go s.http.Serve(s.http.Listener(ln))
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
	s.appRoutes(mux)
	mux.HandleFunc("/profiles/{$}", s.handleProfiles)
	mux.HandleFunc("/profiles/{id}", s.handleProfile)
	mux.HandleFunc("/events", s.handleEvents)
	s.adminRoutes(mux)
	s.studioRoutes(mux)
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/readyz", s.handleReady)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		respondError(w, errorf(ENotFound, "%s %s: no such endpoint", r.Method, r.URL.Path))
	})
	return mux
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
			s.closeErr = s.http.Shutdown(ctx)
			cancel()
		}
		s.workMu.Lock()
		s.stopPools()
		s.workMu.Unlock()
		s.watching.Wait()
		s.closeAdmin()
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
