package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// followFlag runs the bench binary as the /events followers' process:
// -follow URL -followers N.
const followFlag = "follow"

// readBuffer is each follower's read buffer, reused for every read.
const readBuffer = 64 << 10

// readers is the process that holds the /events followers, so that their
// reading competes with the mock and the endpoint as another process
// would, not inside this one's scheduler beside the endpoint and the
// pings.
type readers struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Scanner
}

// startReaders starts n followers of url's /events in a process of their
// own and waits until every one is streaming.
func startReaders(ctx context.Context, url string, n int) (*readers, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-"+followFlag, url, "-followers", fmt.Sprint(n))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the followers: %w", err)
	}
	r := &readers{cmd: cmd, stdin: stdin, out: bufio.NewScanner(stdout)}
	if !r.out.Scan() || r.out.Text() != "following" {
		r.stdin.Close()
		cmd.Wait()
		return nil, fmt.Errorf("the followers did not start: %q", r.out.Text())
	}
	return r, nil
}

// stop ends the followers and returns what they read; it fails if any
// follower's stream ended before stop.
func (r *readers) stop() (read int64, err error) {
	r.stdin.Close()
	var summary string
	if r.out.Scan() {
		summary = r.out.Text()
	}
	if err := r.cmd.Wait(); err != nil {
		return 0, fmt.Errorf("the followers: %w", err)
	}
	var ended int
	if _, err := fmt.Sscanf(summary, "read %d bytes, %d ended", &read, &ended); err != nil {
		return 0, fmt.Errorf("the followers said %q", summary)
	}
	if ended > 0 {
		return read, fmt.Errorf("%d followers' streams ended while pulls ran", ended)
	}
	return read, nil
}

// followMain is the followers' process: n followers of url's /events,
// each reading raw bytes into its own buffer and discarding them, until
// stdin closes. It says "following" once all stream, and at the end how
// many bytes they read and how many streams ended early.
func followMain(url string, n int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		read, ended atomic.Int64
		wg          sync.WaitGroup
		conns       []net.Conn
	)
	for i := range n {
		c, err := dialEvents(ctx, url)
		if err != nil {
			return fmt.Errorf("follower %d: %w", i+1, err)
		}
		conns = append(conns, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, readBuffer)
			for {
				k, err := c.Read(buf)
				read.Add(int64(k))
				if err != nil {
					if ctx.Err() == nil {
						ended.Add(1)
					}
					return
				}
			}
		}()
	}
	fmt.Println("following")
	io.Copy(io.Discard, os.Stdin)
	cancel()
	for _, c := range conns {
		c.Close()
	}
	wg.Wait()
	fmt.Printf("read %d bytes, %d ended\n", read.Load(), ended.Load())
	return nil
}

// dialEvents sends GET /events on a connection of its own and checks the
// answer is 200; the rest of the stream is left to read.
func dialEvents(ctx context.Context, rawURL string) (net.Conn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c, "GET /events HTTP/1.1\r\nHost: %s\r\n\r\n", u.Host)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	status := make([]byte, len("HTTP/1.1 200 "))
	if _, err := io.ReadFull(c, status); err != nil {
		c.Close()
		return nil, err
	}
	c.SetReadDeadline(time.Time{})
	if !bytes.Equal(status, []byte("HTTP/1.1 200 ")) {
		c.Close()
		return nil, fmt.Errorf("answered %q", strings.TrimSpace(string(status)))
	}
	return c, nil
}
