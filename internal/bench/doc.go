// Command bench measures p4p on this machine, each figure beside a peer
// measured in the same run, and prints a Markdown report
// (docs/BENCHMARKS.md keeps the latest).
//
// The mock Livefyre:
//
//   - pings acknowledged per second, by wrk against the mock, and wrk against
//     a bare Go handler as the peer;
//   - completed pulls per second against one reference endpoint process
//     (p4p refapp), beside the responses per second wrk (pull.lua) draws
//     from that same process in the same run (target: at least 0.35), with
//     the mock's and the endpoint's CPU per pull;
//   - ping-to-update latency at a paced 1,000 pings/s with no delay;
//   - the mock's resident memory with 100,000 pulls queued;
//   - completed pulls per second with 500 /events followers reading, as a
//     fraction of the rate with none before and after on the same mock
//     (target: at least 0.5); the followers run in a process of their own
//     (this command, with -follow), reading raw bytes;
//   - scaling out (-only replicas): pings acknowledged and pulls completed
//     per second with 1, 2 and 4 mock processes on one nats-server (in this
//     process), as ratios to one (docs/SCALE.md).
//
// The mock runs as its own process (p4p mock), so that its CPU and memory
// are its own; where its pulls need an endpoint, that is the reference
// endpoint of an embedded.Pipeline in this process, registered with it
// (for the pull throughput, a p4p refapp process of its own).
//
// The load harness, p4p load:
//
//   - the pull scenario at maximum rate, every response validated, against
//     one reference endpoint process (p4p refapp), beside Vegeta and wrk
//     (pull.lua) sending the same URLs at the same concurrency, in turn,
//     round after round: responses per second, and each generator's and the
//     endpoint's CPU per response; in two settings, each with its own
//     endpoint: bodies that repeat (p4p load's memo) and every body new
//     (p4p refapp --vary-bodies);
//   - the propagation scenario at 5,000 pings/s on the embedded default:
//     pings, rate achieved, updated, failed, lost, ping-to-update (target:
//     p99 under 1 s), and the queue's backlog sampled while pinging and
//     whether it grew (target: bounded).
//
// Run it with make bench; it needs wrk (Debian package wrk), bin/p4p and
// bin/vegeta, which make bench builds. -only runs some steps, e.g.
// -only load.
package main
