//go:build linux

package mockserver_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
)

// TestStoreFull runs the mock on a 32 MiB filesystem the test makes (a
// tmpfs; the test runs as root in CI) and fills the disk under it with a
// file of somebody else's: the store is a state, not a loop. Exhausted,
// pings get 507 with Retry-After at once and pulls pause without asking the
// endpoint anything; with a little room back (full), pulls go on and pings
// are still refused; with room back, pings are queued again. Every ping
// acknowledged before ends in exactly one outcome, with no restart, and
// each change of state is one line in the log.
func TestStoreFull(t *testing.T) {
	const pullDelay = 4 * time.Second
	dir := smallDisk(t, 32<<20)
	logs := &syncBuffer{}
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, func(c *mockserver.Config) {
		c.DataDir = filepath.Join(dir, "data")
		c.Delay.Min, c.Delay.Max = pullDelay, pullDelay
		c.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	register(t, s, e.template())
	h := health(t, s)
	if want := int64(24 << 20); h.Store.Limit < want*9/10 || h.Store.Limit > want {
		t.Fatalf("store limit %d, want about %d: 3/4 of the 32 MiB disk", h.Store.Limit, want)
	}
	reserve := h.Store.Reserve

	const n = 10
	due := time.Now().Add(pullDelay)
	for i := range n {
		ping(t, s, fmt.Sprintf("before-%d", i))
	}
	ballast := filepath.Join(dir, "ballast")
	fillDisk(t, dir, ballast, reserve/2)
	awaitHealth(t, s, http.StatusServiceUnavailable, "store")
	refused := pingStatus(t, s, "while-exhausted")
	if refused.StatusCode != http.StatusInsufficientStorage || refused.Header.Get("Retry-After") == "" {
		t.Fatalf("ping while exhausted: status %d, Retry-After %q; want 507 with Retry-After",
			refused.StatusCode, refused.Header.Get("Retry-After"))
	}
	// The pulls fall due while the store is exhausted; none may reach the
	// endpoint, whose answer could not be recorded. (The delay leaves the
	// mock seconds to see the disk fill first.)
	time.Sleep(time.Until(due) + time.Second)
	if got := e.requests.Load(); got != 0 {
		t.Fatalf("the endpoint was asked %d times while the store was exhausted, want 0", got)
	}

	fillDisk(t, dir, ballast, reserve*7/4) // full, not exhausted
	for i := range n {
		if rp := awaitOutcome(t, s, fmt.Sprintf("before-%d", i)); rp.Sync.Outcome != livefyre.OutcomeSucceeded || rp.Sync.Pulls != 1 {
			t.Fatalf("before-%d: %+v, want one successful pull once the reserve is back", i, rp.Sync)
		}
	}
	if resp := pingStatus(t, s, "while-full"); resp.StatusCode != http.StatusInsufficientStorage {
		t.Fatalf("ping while full: status %d, want 507", resp.StatusCode)
	}

	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	awaitHealth(t, s, http.StatusOK, "")
	ping(t, s, "after")
	if rp := awaitOutcome(t, s, "after"); rp.Sync.Outcome != livefyre.OutcomeSucceeded {
		t.Fatalf("after: %+v, want the profile stored", rp.Sync)
	}
	for _, id := range []string{"while-exhausted", "while-full"} {
		if _, ok := getProfile(t, s, id); ok {
			t.Errorf("%s was refused, yet has a profile", id)
		}
	}
	if got, want := e.requests.Load(), int64(n+1); got != want {
		t.Errorf("the endpoint was asked %d times, want %d: one per acknowledged ping", got, want)
	}
	// One line per change of state: ok, exhausted, full, ok. The filling
	// may be seen half done (ok, full, exhausted), hence "full" up to twice.
	for line, most := range map[string]int{"store exhausted": 1, "store full": 2, "store has room again": 1} {
		if got := strings.Count(logs.String(), line); got < 1 || got > most {
			t.Errorf("%q logged %d times, want 1 to %d:\n%s", line, got, most, logs)
		}
	}
}

// smallDisk mounts a tmpfs of size bytes, unmounted at cleanup; it skips
// the test where that is not allowed.
func smallDisk(t *testing.T, size int64) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small filesystem needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v: %s", err, out)
	}
	// Registered after the mock's own cleanup would be too early: cleanups
	// run last-in first-out, and this one is registered first.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk sizes ballast so that dir's filesystem has about leave bytes
// free.
func fillDisk(t *testing.T, dir, ballast string, leave int64) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	var have int64
	if info, err := os.Stat(ballast); err == nil {
		have = info.Size()
	}
	size := max(have+free-leave, 0)
	f, err := os.OpenFile(ballast, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if size < have {
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		return
	}
	// tmpfs allocates only what is written.
	if _, err := f.WriteAt(make([]byte, size-have), have); err != nil {
		t.Fatal(err)
	}
}

// TestDiskRunsOut fills the disk to the last byte while pings arrive, so
// that some write of JetStream's meets "no space left on device" (its file
// store then refuses every write until reloaded). Once room returns, with
// no restart, every acknowledged ping ends in exactly one outcome; and a
// mock restarted on the same nearly full disk starts and works.
func TestDiskRunsOut(t *testing.T) {
	dir := smallDisk(t, 32<<20)
	data := filepath.Join(dir, "data")
	e := newEndpoint(t, serveProfile("Ada"))
	s := startMock(t, func(c *mockserver.Config) {
		c.DataDir = data
		c.Delay.Min, c.Delay.Max = time.Second, time.Second
	})
	register(t, s, e.template())
	ballast := filepath.Join(dir, "ballast")
	filled := make(chan error, 1)
	go func() { filled <- fillToTheBrim(ballast) }()
	var acked []string
	codes := map[int]int{}
	for i := range 300 {
		id := fmt.Sprintf("u-%d", i)
		resp := pingStatus(t, s, id)
		codes[resp.StatusCode]++
		if resp.StatusCode == http.StatusOK {
			acked = append(acked, id)
		}
	}
	if err := <-filled; err == nil {
		t.Fatal("the ballast never met a full disk")
	}
	t.Logf("pings while the disk filled: %v", codes)
	if codes[http.StatusInsufficientStorage] == 0 {
		t.Fatalf("no ping was refused with 507 while the disk filled: %v", codes)
	}
	awaitHealth(t, s, http.StatusServiceUnavailable, "store")
	if err := os.Truncate(ballast, 0); err != nil {
		t.Fatal(err)
	}
	awaitHealth(t, s, http.StatusOK, "")
	for _, id := range acked {
		if rp := awaitOutcome(t, s, id); rp.Sync.Outcome != livefyre.OutcomeSucceeded || rp.Sync.Pulls != 1 {
			t.Fatalf("%s: %+v, want one successful pull", id, rp.Sync)
		}
	}

	// A restart on the same disk, a little fuller than before: the limit
	// counts what the store already holds, so the mock takes pings.
	s.Close()
	fillDisk(t, dir, ballast, 8<<20)
	s = startMock(t, func(c *mockserver.Config) { c.DataDir = data })
	ping(t, s, "after-restart")
	if rp := awaitOutcome(t, s, "after-restart"); rp.Sync.Outcome != livefyre.OutcomeSucceeded {
		t.Fatalf("after the restart: %+v, want the profile stored", rp.Sync)
	}
}

// fillToTheBrim writes to path until the filesystem refuses; it returns
// that refusal.
func fillToTheBrim(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 256<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			return err
		}
	}
}
