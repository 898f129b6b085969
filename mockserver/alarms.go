package mockserver

import (
	"log/slog"
	"sync"
)

// alarms log a failing step of the pipeline once when it starts failing
// and once when it works again, not once per attempt: a store that is full
// for an hour is two lines in the log, not a million.
type alarms struct {
	log *slog.Logger
	mu  sync.Mutex
	on  map[string]int // failures since the alarm was raised, by step
}

func newAlarms(log *slog.Logger) *alarms { return &alarms{log: log, on: map[string]int{}} }

// raise notes that step failed with err; the first failure is logged.
func (a *alarms) raise(step string, err error, args ...any) {
	a.mu.Lock()
	n := a.on[step]
	a.on[step] = n + 1
	a.mu.Unlock()
	if n == 0 {
		a.log.Warn(step+" failing; further failures are not logged until it works again", append(args, "err", err)...)
	}
}

// clear notes that step worked; if it had been failing, that is logged.
func (a *alarms) clear(step string) {
	a.mu.Lock()
	n, raised := a.on[step]
	delete(a.on, step)
	a.mu.Unlock()
	if raised {
		a.log.Info(step+" works again", "failures", n)
	}
}
