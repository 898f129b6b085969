// Command bench measures p4p's mock Livefyre on this machine, each figure
// beside a peer measured in the same run, and prints a Markdown report
// (docs/BENCHMARKS.md keeps the latest):
//
//   - pings acknowledged per second, by wrk against the mock, and wrk against
//     a bare Go handler as the peer;
//   - completed pulls per second against the reference integrator;
//   - ping-to-update latency at a paced 1,000 pings/s with no delay;
//   - the mock's resident memory with 100,000 pulls queued.
//
// Run it with make bench; it needs wrk (Debian package wrk) and bin/p4p.
package main
