package load

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and kernel) this process has spent so
// far, or 0 if the system will not say.
func processCPU() time.Duration {
	h, err := syscall.GetCurrentProcess()
	if err != nil {
		return 0
	}
	var creation, exit, kernel, user syscall.Filetime
	if err := syscall.GetProcessTimes(h, &creation, &exit, &kernel, &user); err != nil {
		return 0
	}
	return filetimeSpan(kernel) + filetimeSpan(user)
}

// filetimeSpan reads a FILETIME that holds a span, not an instant: a count
// of 100 ns intervals.
func filetimeSpan(ft syscall.Filetime) time.Duration {
	return time.Duration(int64(ft.HighDateTime)<<32|int64(ft.LowDateTime)) * 100
}
