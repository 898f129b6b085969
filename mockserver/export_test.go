package mockserver

import (
	"context"
	"net"
)

// SetDial makes the mock's pulls dial with dial, for tests that inject
// dial failures.
func SetDial(c *Config, dial func(ctx context.Context, network, addr string) (net.Conn, error)) {
	c.dial = dial
}
