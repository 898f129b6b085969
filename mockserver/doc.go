// Package mockserver is a mock Livefyre that runs the whole Ping for Pull
// pipeline for real: it registers a network's Pull URL, accepts pings,
// queues them durably in NATS JetStream, pulls the registered endpoint with
// a fresh system token (one minted within the last second: systoken.go),
// validates the response against the pull-response
// JSON Schema and stores the remote profile, emitting an event at every
// step.
//
// The surface follows ../shared/spec/ping-for-pull.md: registration (1.3,
// 3.2), ping (1.4, 3.3), the pull request (1.5) and its response (1.6),
// tokens (2), and the V2 profile listing (4).
//
// # The queue
//
// Two JetStream work-queue streams carry a ping to its outcome:
//
//   - P4P_PENDING holds at most one message per user: the pull waiting to
//     start. A ping publishes to it; when a message for the user is already
//     there the stream refuses the publish and the ping is coalesced into
//     that pending pull. The message carries the time the pull is due
//     (the delay model), in the job and again in a header, and the mover
//     naks it with that delay until then; the header lets it do so without
//     decoding the job, as it must for every ping once when pulls wait.
//     On the embedded server the mover's consumer keeps its state (every
//     delayed pull, naked) in memory: a file consumer writes it out whole
//     ten times a second, a cost that grows with the queue, and nothing in
//     it needs to outlive the server, since a mover made anew delivers
//     every pending pull again and each carries its due time.
//   - P4P_PULLS holds at most one message per user too: the pull being
//     made, and retried with backoff. The mover moves a due pending message
//     here (publish, then ack), so a user's pulls never overlap, and a ping
//     that arrives once a pull has started queues the next pull rather
//     than joining one that may already have read a stale profile.
//
// Remote profiles and the registered Pull URL live in JetStream key-value
// buckets, and events travel on a core NATS subject, so several mocks on one
// NATS cluster share a queue, a store and an event stream. With no NATS URL
// the mock embeds a nats-server with file storage under its data directory;
// the code path is the same.
//
// # What the design costs
//
// Coalescing by the stream's per-subject limit makes a user's pending pull
// one JetStream message, and a ping one publish of it, stored before the
// 200 so that an acknowledged ping survives kill -9. That publish alone
// costs about as much CPU as a bare Go handler's whole answer (make bench
// measures both in the same run, and the ceiling they put on the ping
// rate: internal/bench/floor.go), so a mock that stores each ping with a
// publish of its own has almost nothing left for the rest of a ping (the
// token check, the answer, the history record, the events) if it is to
// answer at half a bare handler's rate. A ping and its pull take about a
// dozen more JetStream operations (the move, the record read and
// written, the double ack, three history records, four events, the users
// index's watch), each of a few tens of microseconds, and none dominant
// (docs/BENCHMARKS.md, "Performance"). Going well past that would take
// several users' pings in one message, a log of batches with the per-user
// coalescing kept in an index of the mock's own rather than in the
// stream's subjects: a different queue, not a change to this one.
//
// A due pull whose user still has a pull in P4P_PULLS cannot be moved;
// the mover holds it, in progress, until a worker of this mock acks that
// pull, or for a second when the pull may end in another mock
// (waiting.go).
package mockserver
