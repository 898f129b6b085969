//go:build unix

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"p4p/livefyre"
)

// TestStalledFollowerSIGTERM: p4p mock with an /events follower that
// stopped reading, its write blocked (and a write timeout far away),
// exits 0 within 2s of SIGTERM.
func TestStalledFollowerSIGTERM(t *testing.T) {
	needInterrupt(t)
	mock := startProc(t, e2eEnv, "mock", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--delay", "1h",
		"--event-write-timeout", "1h")
	// A receive buffer as small as the kernel allows, so that a few
	// hundred kilobytes of events block the mock's write.
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1024) })
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(mock.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /events HTTP/1.1\r\nHost: mock\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); err != nil { // answered: following
		t.Fatalf("the follower: %v", err)
	}

	// Pings, each an event of some 450 bytes: about 9 MB in all, more
	// than the mock's socket may buffer (the kernel grows a send buffer up
	// to 4 MB by default).
	client := &livefyre.Client{BaseURL: mock.URL, Network: e2eNetwork, Key: e2eKey}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const pings = 20_000
	long := strings.Repeat("u", 248)
	var (
		wg     sync.WaitGroup
		failed atomic.Int64
	)
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < pings; i += 16 {
				if _, err := client.Ping(ctx, fmt.Sprintf("%s-%d", long, i)); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d of %d pings failed", n, pings)
	}

	start := time.Now()
	mock.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- mock.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("p4p mock exited with %v after SIGTERM, want 0; stderr: %s", err, mock.stderr)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("p4p mock took %s to exit after SIGTERM, want under 2s", took.Round(time.Millisecond))
		}
	case <-time.After(30 * time.Second):
		t.Errorf("p4p mock did not exit within 30s of SIGTERM")
	}
}
