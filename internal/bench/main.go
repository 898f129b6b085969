package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
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

	// The load issue's figures: the pull scenario at maximum rate beside
	// Vegeta and wrk, and the propagation scenario at a paced rate.
	vegeta          string        // the Vegeta binary
	loadDuration    time.Duration // each generator's run at maximum rate
	loadWorkers     int           // their workers or connections
	loadUsers       int           // users the endpoint serves, the URLs cycled through
	loadRounds      int           // how many times each generator runs, in turn
	propRate        int           // pings per second for the propagation scenario
	propDuration    time.Duration // how long it pings
	propUsers       int           // the users it pings
	overloadWorkers int           // p4p load's --max-workers in the overload step
	followers       int           // /events followers in the followers step
	followerPulls   int           // pulls per measurement in the followers step
	only            string        // the steps to run, comma-separated; empty for all
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
	flag.StringVar(&c.vegeta, "vegeta", "bin/vegeta", "the Vegeta binary (make bench builds it)")
	flag.DurationVar(&c.loadDuration, "load-duration", 10*time.Second, "length of each run at maximum rate")
	flag.IntVar(&c.loadWorkers, "load-workers", 64, "workers or connections of each generator at maximum rate")
	flag.IntVar(&c.loadUsers, "load-users", 1000, "users the endpoint serves at maximum rate")
	flag.IntVar(&c.loadRounds, "load-rounds", 2, "rounds of p4p load, Vegeta and wrk in turn")
	flag.IntVar(&c.propRate, "prop-rate", 5000, "pings per second for the propagation scenario")
	flag.DurationVar(&c.propDuration, "prop-duration", 10*time.Second, "length of the propagation scenario")
	flag.IntVar(&c.propUsers, "prop-users", 10_000, "users the propagation scenario pings")
	flag.IntVar(&c.overloadWorkers, "overload-workers", 4096, "at most so many pings in flight from p4p load in the overload step")
	flag.IntVar(&c.followers, "followers", 500, "/events followers reading while pulls run, in the followers step")
	flag.IntVar(&c.followerPulls, "follower-pulls", 10_000, "pulls per measurement in the followers step")
	flag.StringVar(&c.only, "only", "", "run only these steps, comma-separated: "+strings.Join(stepKeys(), ", ")+
		"; load is both load steps")
	follow := flag.String(followFlag, "", "internal: be the followers step's process of /events followers of this mock URL")
	flag.Parse()
	if *follow != "" { // the followers' process, started by the followers step
		if err := followMain(*follow, c.followers); err != nil {
			fmt.Fprintln(os.Stderr, "bench -follow:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(c config, out io.Writer) error {
	if err := checkOnly(c.only); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	r := &report{started: time.Now(), ran: map[string]bool{}}
	for _, s := range steps {
		if !selected(c.only, s.key) {
			continue
		}
		fmt.Fprintf(os.Stderr, "bench: %s…\n", s.name)
		if err := s.fn(ctx, c, r); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		r.ran[s.key] = true
	}
	r.write(out, c)
	return nil
}

// step is one figure, or one set of figures, the bench measures.
type step struct {
	key  string // for -only
	name string
	fn   func(context.Context, config, *report) error
}

var steps = []step{
	{"pings", "ping acknowledgements", benchPings},
	{"pulls", "pull throughput", benchPulls},
	{"latency", "ping-to-update latency", benchLatency},
	{"memory", "memory with queued pulls", benchMemory},
	{"followers", "pull throughput with /events followers", benchFollowers},
	{"load-pull", "load: pull scenario at maximum rate", benchLoadPull},
	{"load-propagation", "load: propagation scenario", benchLoadPropagation},
	{"overload", "overload: the rated ping load and twice it", benchOverload},
	{"replicas", "mock replicas on one nats-server", benchReplicas},
}

func stepKeys() []string {
	var keys []string
	for _, s := range steps {
		keys = append(keys, s.key)
	}
	return keys
}

// checkOnly refuses a -only naming no step.
func checkOnly(only string) error {
	if only == "" {
		return nil
	}
	for _, o := range strings.Split(only, ",") {
		if !slices.ContainsFunc(stepKeys(), func(key string) bool { return selected(o, key) }) {
			return fmt.Errorf("-only %q: no such step; steps are %s", strings.TrimSpace(o), strings.Join(stepKeys(), ", "))
		}
	}
	return nil
}

// selected reports whether -only selects the step key: all do when only
// is empty, and a prefix before "-" selects its group.
func selected(only, key string) bool {
	if only == "" {
		return true
	}
	for _, o := range strings.Split(only, ",") {
		if o = strings.TrimSpace(o); o == key || strings.HasPrefix(key, o+"-") {
			return true
		}
	}
	return false
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
