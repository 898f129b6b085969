package refapp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"p4p/internal/serve"
	"p4p/livefyre"
	"p4p/profile"
)

// Timeouts of a Server's own work.
const (
	registerTimeout = 30 * time.Second
	shutdownTimeout = 30 * time.Second
)

// Server is a running reference integrator, shaped like httptest.Server.
type Server struct {
	// URL is the server's base URL, "http://ip:port" or, with TLS,
	// "https://ip:port", no trailing slash.
	URL string

	cfg      Config
	log      *slog.Logger
	users    *users
	tokens   tokenValidator
	profiles *profile.Validator
	livefyre *livefyre.Client // nil when pinging is disabled
	handler  http.Handler
	cert     *x509.Certificate // nil for plain HTTP
	client   *http.Client      // what Client returns

	stale       *staleCache   // FaultStaleCache's cache, else nil
	lastStamp   atomic.Int64  // FaultUnstableProfile's last stamp
	pulls       atomic.Uint64 // Config.VaryBodies' last number
	changedOnce sync.Map      // FaultFirstChangeOnly: the ids of users changed once
	tokenNames  sync.Map      // FaultStaleUserToken: user id → the display name of its first token

	srv       *serve.Server
	served    chan struct{} // closed when Serve returns
	closeOnce sync.Once
	closeErr  error
}

// Start is StartContext with a background context.
func Start(cfg Config) (*Server, error) { return StartContext(context.Background(), cfg) }

// StartContext listens on cfg.Addr, serves, over HTTPS if cfg.TLS is set,
// and, if cfg.Register and cfg.Livefyre are set, registers PullTemplate
// with Livefyre within ctx. It returns once the server is ready; on any
// error nothing is left running.
func StartContext(ctx context.Context, cfg Config) (*Server, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	s.srv = serve.New(s.handler, s.cfg.connLimits(), slog.NewLogLogger(s.log.Handler(), slog.LevelWarn))
	s.srv.HTTP.ConnContext = s.connContext
	ln, err := s.listen()
	if err != nil {
		return nil, fmt.Errorf("refapp: %w", err)
	}
	go func() {
		defer close(s.served)
		s.srv.Serve(ln)
	}()
	if err := s.register(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("refapp: %w", err)
	}
	s.log.Info("refapp listening", "url", s.URL, "users", len(s.cfg.Users), "fault", string(s.cfg.Fault))
	return s, nil
}

// listen opens the listener, its connections capped, and sets URL: plain
// HTTP, or TLS with a fresh certificate when Config.TLS asks for it and the
// fault allows it.
func (s *Server) listen() (net.Listener, error) {
	raw, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, err
	}
	ln := s.srv.Listener(raw)
	if !s.cfg.TLS || s.cfg.Fault == FaultPlainHTTP {
		s.URL = "http://" + ln.Addr().String()
		return ln, nil
	}
	cert, err := serverCertificate(s.cfg.Certificate)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.cert, s.client = cert.Leaf, clientTrusting(cert.Leaf)
	s.URL = "https://" + ln.Addr().String()
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), nil
}

// register registers PullTemplate with Livefyre if the config asks for it.
// With FaultEncodedTemplate, whose template Livefyre refuses, a failure is
// logged and the server keeps serving.
func (s *Server) register(ctx context.Context) error {
	if s.livefyre == nil || !s.cfg.Register {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, registerTimeout)
	defer cancel()
	err := s.livefyre.Register(ctx, s.PullTemplate())
	switch {
	case err != nil && s.cfg.Fault == FaultEncodedTemplate:
		s.log.Warn("pull URL registration failed; serving anyway", "template", s.PullTemplate(), "err", err)
		return nil
	case err != nil:
		return err
	}
	s.log.Info("pull URL registered", "template", s.PullTemplate(), "livefyre", s.cfg.Livefyre)
	return nil
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
		tokens: newTokens(cfg), client: clientTrusting(nil)}
	if cfg.Fault == FaultStaleCache {
		s.stale = newStaleCache(FaultStaleTTL)
	}
	if cfg.Livefyre != "" {
		s.livefyre = &livefyre.Client{BaseURL: cfg.Livefyre, Network: cfg.Network, Key: cfg.Key}
	}
	s.handler = s.routes()
	return s, nil
}

// PullTemplate is the Pull URL to register with Livefyre, e.g.
// "http://127.0.0.1:43121/pull?id={id}"; with FaultEncodedTemplate its
// braces are percent-encoded, "…/pull?id=%7Bid%7D".
func (s *Server) PullTemplate() string {
	if s.cfg.Fault == FaultEncodedTemplate {
		return s.URL + s.cfg.PullPath + "?id=%7Bid%7D"
	}
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
			s.srv.HTTP.Close()
		}
		<-s.served
		s.client.CloseIdleConnections()
	})
	return s.closeErr
}

// routes maps exact paths to handlers. PullPath is whatever the caller
// chose, so it is matched as a plain string, never as a ServeMux pattern.
func (s *Server) routes() http.Handler {
	pull := s.handlePull
	if s.cfg.Fault == FaultSlow {
		pull = s.slowed(pull)
	}
	routes := map[string]http.HandlerFunc{
		s.cfg.PullPath: pull,
		"/users":       s.handleUsers,
		"/hook":        s.handleHook,
		UserTokenPath:  s.handleUserToken,
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
