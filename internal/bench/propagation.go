package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"p4p/reports"
)

// loadPropagation is p4p load's propagation scenario on the embedded
// default (the mock and the reference endpoint in its process, no delay).
type loadPropagation struct {
	summary *reports.Load
	command string
}

// propDrain bounds the wait for updates after the last ping.
const propDrain = time.Minute

// propP99Target is the target for ping-to-update at the
// propagation step's rate: pulls keep up with the pings.
const propP99Target = 1000 // ms

// backlog is the queue as sampled over the pinging: the pulls pending
// and running (not yet ended) at each sample, in order.
type backlog []int64

// queueBacklog is the sampled queue depth, pending plus running, of the
// windows in which pings were sent. A window whose sample was not taken
// (the mock did not answer in time) reads 0, as an empty queue does.
func queueBacklog(l *reports.Load) backlog {
	var b backlog
	for _, w := range l.Series {
		if w.Requests > 0 {
			b = append(b, w.QueuePending+w.QueueRunning)
		}
	}
	return b
}

// grew reports whether the backlog grew over the pinging: the deepest
// sample of its second half more than the deepest of its first half
// plus a tenth of a second of pings (a backlog that keeps up stays
// within what arrives between two samples). Too few samples say no.
func (b backlog) grew(rate int) bool {
	if len(b) < 4 {
		return false
	}
	half := len(b) / 2
	return slices.Max(b[half:]) > slices.Max(b[:half])+int64(rate/10)
}

// sampled reports whether any window holds a sample: a queue empty at
// every sample of a run at rate is not what keeping up looks like, but
// samples not taken (the mock too busy to answer) are.
func (b backlog) sampled() bool { return slices.Max(append(b, 0)) > 0 }

// met is the report's verdict on the backlog.
func (b backlog) met(rate int) string {
	if !b.sampled() {
		return "**not sampled**"
	}
	return yes(!b.grew(rate))
}

func (b backlog) String() string {
	if !b.sampled() {
		return "0 or not sampled in every window"
	}
	var parts []string
	for _, n := range b {
		parts = append(parts, grouped(float64(n)))
	}
	return strings.Join(parts, ", ")
}

func benchLoadPropagation(ctx context.Context, c config, r *report) error {
	dir, err := os.MkdirTemp("", "p4p-bench-propagation-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The drain is bounded: a run whose updates are not all seen within
	// it says so (lost, not visible) rather than waiting out the promise.
	argv := []string{c.binary, "load", "propagation", "--rate", fmt.Sprintf("%d/s", c.propRate),
		"--duration", c.propDuration.String(), "--user-count", strconv.Itoa(c.propUsers),
		"--drain", propDrain.String(), "--slo", "lost==0", "--report-dir", dir, "-q"}
	_, _, runErr := runTool(ctx, argv)
	l, err := reports.ReadLoadDir(dir)
	switch {
	case err != nil && runErr != nil:
		return runErr
	case err != nil:
		return err
	case runErr != nil && l.Passed:
		return runErr
	}
	// A run that failed its SLO or fell short of its rate exits 1 with a
	// summary: the report says what was not met.
	r.loadPropagation = &loadPropagation{summary: l, command: shellLine(argv, nil, dir)}
	return nil
}
