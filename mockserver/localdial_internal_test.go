package mockserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TestLocalDialFailure: only a dial that failed for want of a local
// resource is no attempt; a refused connection, a timeout or a failure
// after the dial is the endpoint's.
func TestLocalDialFailure(t *testing.T) {
	dialErr := func(syscallName string, errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError(syscallName, errno)}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, refused := net.Dial("tcp", addr)
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	_, timedOut := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"EMFILE at socket", dialErr("socket", syscall.EMFILE), true},
		{"ENFILE at socket", dialErr("socket", syscall.ENFILE), true},
		{"EADDRNOTAVAIL at connect", dialErr("connect", syscall.EADDRNOTAVAIL), true},
		{"ENOBUFS at connect", dialErr("connect", syscall.ENOBUFS), true},
		{"EMFILE, wrapped by the client", fmt.Errorf("Get %q: %w", "http://x", dialErr("socket", syscall.EMFILE)), true},
		{"connection refused (a real one)", refused, false},
		{"ECONNREFUSED", dialErr("connect", syscall.ECONNREFUSED), false},
		{"EHOSTUNREACH", dialErr("connect", syscall.EHOSTUNREACH), false},
		{"a dial timeout", timedOut, false},
		{"EMFILE on read, after the dial", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.EMFILE)}, false},
		{"not a network error", errors.New("too many open files"), false},
	} {
		if got := localDialFailure(tt.err); got != tt.want {
			t.Errorf("%s (%v): localDialFailure = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

// TestLocalRetriesEnd: a local dial failure that does not pass counts as an
// attempt after maxLocalRetries, so that the pull ends in an outcome; a
// failure that is not local starts the count again.
func TestLocalRetriesEnd(t *testing.T) {
	d := newDialHealth(slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	local := attempt{err: errors.New("no connection for local reasons"), local: true, retryable: true}
	for range 2 {
		for i := range maxLocalRetries {
			if !d.local(local, "7") {
				t.Fatalf("local failure %d: counted as an attempt, want a retry", i+1)
			}
		}
		if d.local(local, "7") {
			t.Fatalf("local failure %d: retried, want it counted as an attempt", maxLocalRetries+1)
		}
	}
	d.local(local, "8")
	d.local(attempt{err: errors.New("status 500"), retryable: true}, "8")
	if got := len(d.retries); got != 0 {
		t.Errorf("%d pulls' retries kept after they ended, want 0", got)
	}
}
