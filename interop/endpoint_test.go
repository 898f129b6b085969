package interop

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// startTimeout bounds how long an endpoint process may take to say it
// listens.
const startTimeout = 30 * time.Second

// startEndpoint runs a Pull endpoint as a process, name with args and env
// added to the test's environment, and returns the URL from the
// "listening on URL" line it prints once ready. The process is killed when
// the test ends; what it wrote to stderr is logged if the test failed.
func startEndpoint(t *testing.T, name string, args []string, env ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("%s stderr:\n%s", filepath.Base(name), stderr)
		}
	})
	found := make(chan string, 1)
	go func() { // ends when the process does: Wait closes the pipe
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "listening on "); ok && len(strings.Fields(rest)) > 0 {
				found <- strings.Fields(rest)[0]
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(startTimeout):
		t.Fatalf("%s %s did not say where it listens within %s; stderr: %s", name, strings.Join(args, " "), startTimeout, stderr)
		return ""
	}
}

// startNode runs a Node script that prints "listening on URL" and returns
// the URL.
func startNode(t *testing.T, node, script string, env ...string) string {
	t.Helper()
	return startEndpoint(t, node, []string{script}, env...)
}

// need returns the path of a program the test needs, skipping the test
// where it is missing, except in CI, where missing is a failure.
func need(t *testing.T, program, install string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		missing(t, "%s is not installed (%s): %v", program, install, err)
	}
	return path
}

// missing skips t for a missing tool, or fails it in CI, which installs
// every tool the tests use (.ci/run).
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// nodeModule returns the node binary, checking that the npm package name
// is installed in node/, as make interop-deps installs it.
func nodeModule(t *testing.T, name string) string {
	t.Helper()
	node, _ := nodeSDK(t)
	if _, err := os.Stat(filepath.Join("node", "node_modules", name, "package.json")); err != nil {
		missing(t, "the npm package %s is not installed (run make interop-deps): %v", name, err)
	}
	return node
}

// buildP4P builds the p4p command into a temporary directory and returns
// its path.
func buildP4P(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "p4p")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command(need(t, "go", "the Go toolchain"), "build", "-o", bin, "p4p/cmd/p4p").CombinedOutput()
	if err != nil {
		t.Fatalf("go build p4p: %v\n%s", err, out)
	}
	return bin
}

// syncBuffer is a bytes.Buffer a process may write to while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Len()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
