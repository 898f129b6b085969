// Package embedded is p4p's embedded pipeline: the mock Livefyre
// (mockserver) and the reference Pull endpoint (refapp), started together
// in this process on loopback and wired to each other, as one value shaped
// like httptest.Server. It is the world that make conformance without a
// PULL_URL, p4p load without --pull-url, p4p demo and the benchmarks run
// against, so that none of them wires the two parts, or carries their
// settings, itself.
//
// Start starts it and Close stops it. By default the reference endpoint
// serves synthetic users over plain HTTP, pings the mock when a user
// changes through its update hook, and has its Pull URL template
// registered with the mock, whose pulls are immediate. Either part can be
// replaced by one running elsewhere: WithLivefyre names a running Livefyre
// (the reference endpoint then pings and registers with it),
// WithoutLivefyre leaves Livefyre out (the endpoint alone, for a pull
// load test), and WithPullURL names a running Pull endpoint (the mock
// alone, with that template registered). With both replaced Start starts
// nothing, so that a caller can always go through it.
//
// It is configured with functional options rather than a Config struct:
// the knobs are many, each caller sets a different few, none is written
// by users or echoed in a report, and an option's zero value (an empty
// name, a zero duration) keeps the default, so that a caller passes its
// own settings through without branching on them.
package embedded
