package refapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"p4p/livefyre"
	"p4p/profile"
	"p4p/token"
)

// Timeouts of a Server's own work.
const (
	registerTimeout = 30 * time.Second
	shutdownTimeout = 30 * time.Second
)

// Server is a running reference integrator, shaped like httptest.Server.
type Server struct {
	// URL is the server's base URL, "http://ip:port", no trailing slash.
	URL string

	cfg      Config
	log      *slog.Logger
	users    *users
	tokens   token.Validator
	profiles *profile.Validator
	livefyre *livefyre.Client // nil when pinging is disabled
	handler  http.Handler

	srv       *http.Server
	served    chan struct{} // closed when Serve returns
	closeOnce sync.Once
	closeErr  error
}

// Start listens on cfg.Addr, serves, and, if cfg.Register and
// cfg.Livefyre are set, registers PullTemplate with Livefyre. It returns
// once the server is ready; on any error nothing is left running.
func Start(cfg Config) (*Server, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("refapp: %w", err)
	}
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	go func() {
		defer close(s.served)
		s.srv.Serve(ln)
	}()
	if s.livefyre != nil && s.cfg.Register {
		ctx, cancel := context.WithTimeout(context.Background(), registerTimeout)
		defer cancel()
		if err := s.livefyre.Register(ctx, s.PullTemplate()); err != nil {
			s.Close()
			return nil, fmt.Errorf("refapp: %w", err)
		}
		s.log.Info("pull URL registered", "template", s.PullTemplate(), "livefyre", s.cfg.Livefyre)
	}
	s.log.Info("refapp listening", "url", s.URL, "users", len(s.cfg.Users))
	return s, nil
}

// newServer builds everything but the listener.
func newServer(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	u, err := newUsers(cfg.Users)
	if err != nil {
		return nil, fmt.Errorf("refapp: %w", err)
	}
	pv, err := profile.NewValidator(profile.Limits{})
	if err != nil {
		return nil, fmt.Errorf("refapp: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, users: u, profiles: pv, served: make(chan struct{}),
		tokens: token.Validator{Network: cfg.Network, Key: cfg.Key, Now: time.Now}}
	if cfg.Livefyre != "" {
		s.livefyre = &livefyre.Client{BaseURL: cfg.Livefyre, Network: cfg.Network, Key: cfg.Key}
	}
	s.handler = s.routes()
	return s, nil
}

// PullTemplate is the Pull URL to register with Livefyre, e.g.
// "http://127.0.0.1:43121/pull?id={id}".
func (s *Server) PullTemplate() string {
	return s.URL + s.cfg.PullPath + "?id={id}"
}

// Handler is the server's HTTP handler, for mounting it elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// User returns a copy of a user's current profile.
func (s *Server) User(id string) (profile.Profile, bool) {
	return s.users.get(id)
}

// Close stops the server: it stops accepting connections and waits for
// requests in flight (up to 30 s, then cuts them off). Later calls return
// the first call's result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.closeErr = fmt.Errorf("refapp: close: %w", err)
			s.srv.Close()
		}
		<-s.served
	})
	return s.closeErr
}

// routes maps exact paths to handlers. PullPath is whatever the caller
// chose, so it is matched as a plain string, never as a ServeMux pattern.
func (s *Server) routes() http.Handler {
	routes := map[string]http.HandlerFunc{
		s.cfg.PullPath: s.handlePull,
		"/users":       s.handleUsers,
		"/hook":        s.handleHook,
		"/healthz":     s.handleHealth,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := routes[r.URL.Path]
		if !ok {
			writeError(w, http.StatusNotFound, errors.New("no such route"))
			return
		}
		h(w, r)
	})
}
