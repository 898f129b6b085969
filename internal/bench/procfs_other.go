//go:build !linux

package main

import (
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Without /proc, bench cannot measure another process's memory or CPU.
var errNoProcfs = fmt.Errorf("measuring a process on %s: %w", runtime.GOOS, errors.ErrUnsupported)

func (p *process) rss() (cur, peak int64, err error) { return 0, 0, errNoProcfs }

func (p *process) cpu() (time.Duration, error) { return 0, errNoProcfs }

func selfCPU() (time.Duration, error) { return 0, errNoProcfs }

// loadAvg is the machine's load average, which bench reads only on Linux.
func loadAvg() string { return "unknown" }
