//go:build !unix && !windows

package load

import "time"

// processCPU is 0 where p4p has no way to read the process's CPU time:
// reports then show no CPU used.
func processCPU() time.Duration { return 0 }
