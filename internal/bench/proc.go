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

// process is a p4p subcommand (the mock, the reference endpoint) running
// as its own process, so that its CPU and memory are its own.
type process struct {
	cmd *exec.Cmd
	url string
	dir string // removed on stop, if set
}

func startMock(c config, args ...string) (*process, error) {
	dir, err := os.MkdirTemp("", "p4p-bench-*")
	if err != nil {
		return nil, err
	}
	all := append([]string{"mock", "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "error",
		"--network", network}, args...)
	return startProcess(c, dir, all...)
}

// startRefapp starts the reference endpoint, plain HTTP on loopback,
// serving the first users synthetic users; its Pull URL template is
// url + "/pull?id={id}".
func startRefapp(c config, users int, extra ...string) (*process, error) {
	return startProcess(c, "", append(refappArgs(users), extra...)...)
}

func refappArgs(users int) []string {
	return []string{"refapp", "--addr", "127.0.0.1:0", "--log-level", "error",
		"--network", network, "--users", strconv.Itoa(users)}
}

// startProcess runs p4p with args, the network key in its environment,
// and waits for it to say where it listens.
func startProcess(c config, dir string, args ...string) (*process, error) {
	cmd := exec.Command(c.binary, args...)
	cmd.Env = append(os.Environ(), "P4P_NETWORK_KEY="+key)
	cmd.Stderr = os.Stderr
	p := &process{cmd: cmd, dir: dir}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		p.removeDir()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		p.removeDir()
		return nil, fmt.Errorf("start %s: %w", c.binary, err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), " listening on "); ok {
			p.url = strings.Fields(rest)[0]
			go func() {
				for sc.Scan() {
				}
			}()
			return p, nil
		}
	}
	p.stop()
	return nil, fmt.Errorf("%s %s did not start", c.binary, args[0])
}

func (p *process) stop() {
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		p.cmd.Process.Kill() // no interrupt on Windows
	}
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
	p.removeDir()
}

func (p *process) removeDir() {
	if p.dir != "" {
		os.RemoveAll(p.dir)
	}
}

func listen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// wrk runs wrk with the ping script and returns requests per second and
// the count of non-2xx answers.
// With idsFile, pings cycle through the ids listed there.
func wrk(ctx context.Context, c config, url, tok, idsFile string) (rps float64, bad int, err error) {
	env := []string{"LFTOKEN=" + tok}
	if idsFile != "" {
		env = append(env, "IDS_FILE="+idsFile)
	}
	w, err := runWrk(ctx, url, "internal/bench/ping.lua", c.connections, c.duration, env...)
	return w.rps, w.non2xx, err
}

// wrkRun is what one wrk run printed, and the CPU it took.
type wrkRun struct {
	rps      float64
	requests int64 // responses read, whatever their status
	non2xx   int   // "Non-2xx or 3xx responses"
	socket   int   // socket errors: connect, read, write and timeout
	cpu      time.Duration
}

// runWrk runs wrk, 2 threads, with a Lua script and extra environment.
func runWrk(ctx context.Context, url, script string, conns int, d time.Duration, env ...string) (wrkRun, error) {
	cmd := exec.CommandContext(ctx, "wrk", wrkArgs(url, script, conns, d)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkRun{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	w := parseWrk(string(out))
	w.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if w.rps == 0 {
		return w, fmt.Errorf("wrk printed no rate: %s", out)
	}
	return w, nil
}

func wrkArgs(url, script string, conns int, d time.Duration) []string {
	return []string{"-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", int(d.Seconds())), "-s", script, url}
}

func parseWrk(out string) wrkRun {
	var w wrkRun
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "Requests/sec:") && len(f) == 2:
			w.rps, _ = strconv.ParseFloat(f[1], 64)
		case strings.HasPrefix(line, "  Non-2xx or 3xx responses:") && len(f) == 4:
			w.non2xx, _ = strconv.Atoi(f[3])
		case strings.HasPrefix(line, "  Socket errors:"):
			// "  Socket errors: connect 0, read 1, write 0, timeout 12"
			for i := 3; i+1 < len(f); i += 2 {
				n, _ := strconv.Atoi(strings.TrimSuffix(f[i+1], ","))
				w.socket += n
			}
		case len(f) >= 2 && f[1] == "requests" && strings.Contains(line, " requests in "):
			w.requests, _ = strconv.ParseInt(f[0], 10, 64)
		}
	}
	return w
}
