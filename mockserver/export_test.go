package mockserver

import (
	"context"
	"net"

	"p4p/livefyre"
)

// SetDial makes the mock's pulls dial with dial, for tests that inject
// dial failures.
func SetDial(c *Config, dial func(ctx context.Context, network, addr string) (net.Conn, error)) {
	c.dial = dial
}

// Emit sends ev through the mock's events, as a step of the pipeline
// would, so that tests of /events need not run pulls.
func (s *Server) Emit(ev livefyre.Event) { s.events.emit(ev) }

// Followers is how many /events followers are connected.
func (s *Server) Followers() int {
	s.events.mu.Lock()
	defer s.events.mu.Unlock()
	return len(s.events.followers)
}

// Listening says whether the mock is subscribed to the events subject.
func (s *Server) Listening() bool {
	s.events.mu.Lock()
	defer s.events.mu.Unlock()
	return s.events.sub != nil
}

// LeaseKey is the key of userID's lease in the p4p_leases bucket.
func LeaseKey(userID string) string { return userToken(userID) }
