package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"p4p"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// rawBuffer is how many results may wait for the raw results file before
// the validators wait for it.
const rawBuffer = 8192

// judge decides what became of a result, and returns its URL as the
// reports may show it (token redacted).
type judge func(r *vegeta.Result) (v verdict, shown string)

// attack runs one Vegeta attack, or one of the lean attacker's (each
// worker judging its own results), and sees every result through: judged
// by as many validators as there are CPUs, counted by the collector, and
// streamed, token-free, to the raw results file in Vegeta's encoding (so
// that `vegeta report` and `vegeta plot` read it).
type attack struct {
	name      string
	attacker  *vegeta.Attacker
	lean      *lean // if set, sends instead of attacker
	targeter  vegeta.Targeter
	pacer     vegeta.Pacer
	duration  time.Duration
	judge     judge
	after     func(r *vegeta.Result, v verdict) // optional
	collector *collector
	raw       io.Writer
	secrets   []string // removed from error strings
}

// run attacks until the duration is over or ctx is done, and returns
// once every result is counted and written.
func (a *attack) run(ctx context.Context) error {
	raw := make(chan *vegeta.Result, rawBuffer)
	written := make(chan error, 1)
	go func() { written <- a.writeRaw(raw) }()
	if a.lean != nil {
		a.lean.attack(ctx, a.name, a.targeter, a.pacer, a.duration, func(r *vegeta.Result) { raw <- a.see(r) })
		close(raw)
		return <-written
	}

	results := a.attacker.Attack(a.targeter, a.pacer, a.duration, a.name)
	stop := context.AfterFunc(ctx, func() { a.attacker.Stop() })
	defer stop()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range results {
				raw <- a.see(r)
			}
		}()
	}
	wg.Wait()
	close(raw)
	return <-written
}

// see judges and counts one result and makes it fit to be kept: no body,
// no headers, the token redacted, and a failed validation in Error.
func (a *attack) see(r *vegeta.Result) *vegeta.Result {
	v, shown := a.judge(r)
	if a.after != nil {
		a.after(r, v)
	}
	a.collector.add(r, v)
	r.Body, r.Headers, r.URL = nil, nil, a.scrub(shown)
	switch {
	case v.class == classTransport:
		r.Error = a.scrub(v.detail)
	case !v.valid():
		r.Error = v.class + ": " + a.scrub(v.kind)
	}
	return r
}

func (a *attack) scrub(s string) string {
	for _, secret := range a.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, p4p.Redacted)
		}
	}
	return s
}

// writeRaw encodes the results as they come; after a write error it
// keeps draining so that the attack is never blocked.
func (a *attack) writeRaw(results <-chan *vegeta.Result) error {
	if a.raw == nil {
		for range results {
		}
		return nil
	}
	w := bufio.NewWriterSize(a.raw, 256<<10)
	enc := vegeta.NewEncoder(w)
	var err error
	for r := range results {
		if err == nil {
			err = enc.Encode(r)
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return fmt.Errorf("write raw results: %w", err)
	}
	return nil
}
