package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// mock is a p4p mock running as its own process, so that its CPU and
// memory are its own.
type mock struct {
	cmd *exec.Cmd
	url string
	dir string
}

func startMock(c config, args ...string) (*mock, error) {
	dir, err := os.MkdirTemp("", "p4p-bench-*")
	if err != nil {
		return nil, err
	}
	all := append([]string{"mock", "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "error",
		"--network", network, "--key", key}, args...)
	cmd := exec.Command(c.binary, all...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", c.binary, err)
	}
	m := &mock{cmd: cmd, dir: dir}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), " listening on "); ok {
			m.url = strings.Fields(rest)[0]
			go func() {
				for sc.Scan() {
				}
			}()
			return m, nil
		}
	}
	m.stop()
	return nil, fmt.Errorf("%s mock did not start", c.binary)
}

func (m *mock) stop() {
	m.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		m.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(m.dir)
}

// rss returns the process's resident and peak resident memory in bytes.
func (m *mock) rss() (cur, peak int64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", m.cmd.Process.Pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			cur = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return cur, peak, nil
}

func listen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// wrk runs wrk with the ping script and returns requests per second and
// the count of non-2xx answers.
// With idsFile, pings cycle through the ids listed there.
func wrk(ctx context.Context, c config, url, tok, idsFile string) (rps float64, bad int, err error) {
	cmd := exec.CommandContext(ctx, "wrk", "-t2", fmt.Sprintf("-c%d", c.connections),
		fmt.Sprintf("-d%ds", int(c.duration.Seconds())), "-s", "bench/ping.lua", url)
	cmd.Env = append(os.Environ(), "LFTOKEN="+tok)
	if idsFile != "" {
		cmd.Env = append(cmd.Env, "IDS_FILE="+idsFile)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, 0, fmt.Errorf("wrk: %v: %s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "Requests/sec:") && len(f) == 2:
			rps, _ = strconv.ParseFloat(f[1], 64)
		case strings.HasPrefix(line, "  Non-2xx or 3xx responses:") && len(f) == 4:
			bad, _ = strconv.Atoi(f[3])
		}
	}
	if rps == 0 {
		return 0, 0, fmt.Errorf("wrk printed no rate: %s", out)
	}
	return rps, bad, nil
}
