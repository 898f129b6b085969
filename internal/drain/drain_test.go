package drain

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestShutdownClosesFreshConnections: a connection that never sent a
// request does not hold the shutdown up (plain Shutdown waits until it is
// five seconds old), and a request in flight still finishes.
func TestShutdownClosesFreshConnections(t *testing.T) {
	release, entered := make(chan struct{}), make(chan struct{})
	var conns Conns
	srv := &http.Server{ConnState: conns.Track, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "done")
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)

	fresh, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	inFlight := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			inFlight <- err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		inFlight <- string(body)
	}()
	<-entered

	// Shorter than the five seconds plain Shutdown would wait.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- Shutdown(ctx, srv, &conns) }()
	fresh.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := fresh.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !isReset(err) {
		t.Errorf("the fresh connection: read %v, want it closed by the server", err)
	}
	close(release)
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if got := <-inFlight; got != "done" {
		t.Errorf("the request in flight got %q, want done", got)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op)
}
