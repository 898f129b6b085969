package load

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// lean is p4p's own attacker for the pull scenario, in place of Vegeta's,
// whose net/http client costs a load generator as much CPU per request as
// the validation: two goroutines per connection handing each request and
// response over channels, a Request and a Response built and a body
// allocated for each. It keeps Vegeta's attack loop (its Pacer and
// Targeter, a worker per request in flight, more workers started up to
// maxWorkers when all are busy), and sends with the lean client
// (client.go): HTTP/1.1, one kept-alive connection per worker, buffers
// reused. Each worker judges its own result (see) before its next
// request, so that the body can be read into the same buffer every time.
//
// The results are Vegeta's, in its encoding, for the raw results file.
// What differs from Vegeta's attacker: no HTTP/2 (it sends HTTP/1.1, over
// TLS too), no transparent gzip (it asks for none), and no proxy (a run
// whose Pull URL a proxy in the environment would carry uses Vegeta's
// attacker; see useLean).
type lean struct {
	endpoint    *endpoint
	workers     uint64
	maxWorkers  uint64 // 0: no limit
	connections int    // workers keeping their connection alive; the rest close it after each request
	// maxRate starts maxWorkers workers at once, each sending its next
	// request as soon as it has judged the last, until the duration is
	// over: the state Vegeta's loop reaches at rate 0 (every worker busy,
	// so one more started for each hit until maxWorkers), without a tick
	// handed from the pacer's goroutine to a worker for every request.
	maxRate bool
}

// useLean reports whether the lean attacker can send to pullURL: it sends
// directly, so not when the environment names a proxy for it.
func useLean(pullURL string) bool {
	u, err := url.Parse(pullURL)
	if err != nil {
		return false
	}
	proxy, err := http.ProxyFromEnvironment(&http.Request{URL: u})
	return err == nil && proxy == nil
}

// leanRun is one attack under way: Vegeta's sequence numbers and
// timestamps, taken together under one lock.
type leanRun struct {
	name    string
	began   time.Time
	mu      sync.Mutex
	seq     uint64
	stop    chan struct{}
	stopped sync.Once
}

func (r *leanRun) halt() { r.stopped.Do(func() { close(r.stop) }) }

// attack hits the targets as p paces them for du (0: until p or ctx
// stops), handing every result to see, and returns when every worker is
// done.
func (l *lean) attack(ctx context.Context, name string, tr vegeta.Targeter, p vegeta.Pacer, du time.Duration, see func(*vegeta.Result)) {
	run := &leanRun{name: name, began: time.Now(), stop: make(chan struct{})}
	defer context.AfterFunc(ctx, run.halt)()
	maxWorkers := l.maxWorkers
	if maxWorkers == 0 {
		maxWorkers = vegeta.DefaultMaxWorkers
	}
	workers := min(l.workers, maxWorkers)
	var wg sync.WaitGroup
	ticks := make(chan struct{})
	spawn := func(i uint64) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.worker(ctx, run, tr, ticks, see, int(i) < l.connections)
		}()
	}
	if l.maxRate && l.maxWorkers > 0 {
		for i := range l.maxWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.freeWorker(ctx, run, tr, du, see, int(i) < l.connections)
			}()
		}
		wg.Wait()
		return
	}
	for i := range workers {
		spawn(i)
	}
	defer func() {
		close(ticks)
		wg.Wait()
	}()
	for count := uint64(0); ; {
		elapsed := time.Since(run.began)
		if du > 0 && elapsed > du {
			return
		}
		wait, stop := p.Pace(elapsed, count)
		if stop {
			return
		}
		time.Sleep(wait)
		if workers < maxWorkers {
			select {
			case ticks <- struct{}{}:
				count++
				continue
			case <-run.stop:
				return
			default: // every worker is busy: one more
				spawn(workers)
				workers++
			}
		}
		select {
		case ticks <- struct{}{}:
			count++
		case <-run.stop:
			return
		}
	}
}

// worker sends a request for each tick on its own connection.
func (l *lean) worker(ctx context.Context, run *leanRun, tr vegeta.Targeter, ticks <-chan struct{}, see func(*vegeta.Result), keep bool) {
	c := l.endpoint.conn(keep)
	defer c.close()
	for range ticks {
		see(l.hit(ctx, run, c, tr))
	}
}

// freeWorker sends one request after another on its own connection
// until du is over or the attack stops.
func (l *lean) freeWorker(ctx context.Context, run *leanRun, tr vegeta.Targeter, du time.Duration, see func(*vegeta.Result), keep bool) {
	c := l.endpoint.conn(keep)
	defer c.close()
	for du <= 0 || time.Since(run.began) <= du {
		select {
		case <-run.stop:
			return
		default:
		}
		see(l.hit(ctx, run, c, tr))
	}
}

// hit sends one request, as Vegeta's attacker does: the timestamp and
// sequence number taken together, the error as net/http words it
// (`Get "URL": …`, the URL redacted later by the attack's scrub).
func (l *lean) hit(ctx context.Context, run *leanRun, c *conn, tr vegeta.Targeter) *vegeta.Result {
	res := &vegeta.Result{Attack: run.name}
	run.mu.Lock()
	res.Timestamp = run.began.Add(time.Since(run.began))
	res.Seq = run.seq
	run.seq++
	run.mu.Unlock()
	var tgt vegeta.Target
	if err := tr(&tgt); err != nil {
		run.halt()
		res.Error, res.Latency = err.Error(), time.Since(res.Timestamp)
		return res
	}
	res.Method, res.URL = tgt.Method, tgt.URL
	err := c.do(ctx, tgt.URL, res)
	res.Latency = time.Since(res.Timestamp)
	if err != nil {
		res.Code, res.Body, res.Headers, res.BytesIn = 0, nil, nil, 0
		res.Error = methodWord(tgt.Method) + ` "` + tgt.URL + `": ` + err.Error()
	}
	return res
}

// methodWord is how net/http's url.Error names a method: "Get".
func methodWord(m string) string {
	if m == "" {
		return ""
	}
	return m[:1] + strings.ToLower(m[1:])
}
