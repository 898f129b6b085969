//go:build unix

package mockserver_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"p4p/livefyre"
	"p4p/mockserver"
	"p4p/refapp"
)

// BenchmarkPulls measures the pull side: b.N users pinged at once (64 in
// flight) into a mock with 64 workers and the reference endpoint on
// loopback, until every pull has succeeded. It reports pulls/s and the
// CPU this process (mock, endpoint and pinger) spent per pull; run it
// with -cpuprofile to see where the mock's share goes.
//
//	go test -run '^$' -bench BenchmarkPulls -benchtime 10000x -cpuprofile /tmp/pulls.prof ./mockserver
func BenchmarkPulls(b *testing.B) {
	mock := startMock(b, func(c *mockserver.Config) { c.Workers = benchWorkers })
	users := refapp.SyntheticUsers(b.N)
	app, err := refapp.Start(refapp.Config{Network: network, Key: key, Livefyre: mock.URL, Register: true, Users: users})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { app.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	client := &livefyre.Client{BaseURL: mock.URL, Network: network, Key: key}
	events, err := client.Events(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer events.Close()
	form := url.Values{"lftoken": {systemToken(b)}}.Encode()
	pinger := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	cpu := cpuTime()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; i < b.N; i += 64 {
				resp, err := pinger.Post(fmt.Sprintf("%s/api/v3_0/user/%s/refresh", mock.URL, users[i].ID), "application/x-www-form-urlencoded", strings.NewReader(form))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	updated := 0
	for ev := range events.C {
		switch ev.Type {
		case livefyre.ProfileUpdated:
			updated++
		case livefyre.PullFailed:
			b.Fatalf("pull failed: %s", ev.Error)
		}
		if updated == b.N {
			break
		}
	}
	took := time.Since(start)
	b.StopTimer()
	wg.Wait()
	if updated < b.N {
		b.Fatalf("%d of %d updates seen: %v", updated, b.N, events.Err())
	}
	b.ReportMetric(float64(b.N)/took.Seconds(), "pulls/s")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/pull")
}

// cpuTime is the CPU this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchWorkers is BenchmarkPulls' Config.Workers (-pull-workers).
var benchWorkers = 64

func init() {
	flag.IntVar(&benchWorkers, "pull-workers", benchWorkers, "BenchmarkPulls: the mock's workers")
}
