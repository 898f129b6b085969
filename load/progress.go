package load

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progressEvery is how often the progress line is printed and the
// samples (heap, queue depth) taken.
const progressEvery = time.Second

// progress starts the once-a-second sampling and progress line, and
// returns the function that stops it. extra, if not nil, takes its own
// samples and returns more to print.
func (r *run) progress(extra func(now time.Time) string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				r.tick(now, extra)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done); wg.Wait() })
	}
}

// tick takes the samples and prints one progress line.
func (r *run) tick(now time.Time, extra func(time.Time) string) {
	r.collector.sample(now, heapMB())
	more := ""
	if extra != nil {
		more = extra(now)
	}
	if r.opt.Progress == nil {
		return
	}
	p := r.collector.progress()
	elapsed := now.Sub(r.started).Truncate(time.Second)
	total := time.Duration(r.s.Duration) + r.drain()
	line := fmt.Sprintf("[%s/%s] sent %d (%.1f/s, target %s)  valid %d  p99 %s  failed %d%s",
		elapsed, total, p.total, float64(p.total)/max(now.Sub(r.started).Seconds(), 1e-9), r.s.Rate,
		p.valid, fmtMS(p.p99), p.failed, more)
	if isTerminal(r.opt.Progress) {
		fmt.Fprintf(r.opt.Progress, "\r\033[K%s", line)
		return
	}
	fmt.Fprintln(r.opt.Progress, line)
}

// endProgress ends a progress line left open on a terminal.
func (r *run) endProgress() {
	if r.opt.Progress != nil && isTerminal(r.opt.Progress) {
		fmt.Fprintln(r.opt.Progress)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// fmtMS writes a latency in milliseconds with a sensible unit.
func fmtMS(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v < 1:
		return fmt.Sprintf("%.0fµs", v*1000)
	case v < 1000:
		return strings.TrimSuffix(fmt.Sprintf("%.2f", v), ".00") + "ms"
	default:
		return fmt.Sprintf("%.2fs", v/1000)
	}
}
