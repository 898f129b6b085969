package load

import "time"

// cpuClock measures the CPU time (user and system) this process spends
// from its start. processCPU, which reads the process's total, is per
// operating system: cpu_unix.go, cpu_windows.go and cpu_other.go.
type cpuClock struct{ start time.Duration }

func startCPUClock() cpuClock { return cpuClock{start: processCPU()} }

func (c cpuClock) used() time.Duration { return processCPU() - c.start }
