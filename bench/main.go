package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"time"
)

const (
	network = "bench.fyre.co"
	key     = "M5X4rTeKsGNRsV2RekagqSIE9UM="
)

// config is what a run measures, and how hard.
type config struct {
	binary      string        // the p4p binary
	duration    time.Duration // each wrk run
	connections int           // wrk connections
	pulls       int           // pings for the pull throughput run
	rate        int           // pings per second for the latency run
	paced       time.Duration // how long the latency run lasts
	queued      int           // pulls queued for the memory figure
	pingUsers   int           // users the endpoint knows, for pings with pulls running
}

func main() {
	var c config
	flag.StringVar(&c.binary, "p4p", "bin/p4p", "the p4p binary")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "length of each wrk run")
	flag.IntVar(&c.connections, "connections", 64, "wrk connections")
	flag.IntVar(&c.pulls, "pulls", 20_000, "pulls for the pull throughput figure")
	flag.IntVar(&c.rate, "rate", 1000, "pings per second for the latency figure")
	flag.DurationVar(&c.paced, "paced", 10*time.Second, "length of the paced latency run")
	flag.IntVar(&c.queued, "queued", 100_000, "pulls queued for the memory figure")
	flag.IntVar(&c.pingUsers, "ping-users", 200_000, "users known to the endpoint when pings run with pulls")
	flag.Parse()
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(c config, out io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	r := &report{started: time.Now()}
	steps := []struct {
		name string
		fn   func(context.Context, config, *report) error
	}{
		{"ping acknowledgements", benchPings},
		{"pull throughput", benchPulls},
		{"ping-to-update latency", benchLatency},
		{"memory with queued pulls", benchMemory},
	}
	for _, s := range steps {
		fmt.Fprintf(os.Stderr, "bench: %s…\n", s.name)
		if err := s.fn(ctx, c, r); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	r.write(out, c)
	return nil
}

// bare is the peer for the ping figure: a Go handler that does nothing but
// answer, on the same loopback, measured by the same wrk.
func bare() (url string, stop func(), err error) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok","code":200,"data":{}}`))
	})}
	ln, err := listen()
	if err != nil {
		return "", nil, err
	}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func machine() string {
	return fmt.Sprintf("%s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
}
