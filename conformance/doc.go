// Package conformance certifies a Livefyre Ping for Pull endpoint: the URL
// on a site that Livefyre calls, after the site pings it, to read a user's
// profile (spec 1.5, 1.6).
//
// It owns the specs (Specs), each a requirement with a stable id, a level
// (MUST fails the run, SHOULD warns), the protocol section it comes from,
// labels for selecting it, and a Check that returns an error and runs
// inside or outside Ginkgo; the environment a run talks to (Start: the
// endpoint under test, or p4p's reference endpoint over HTTPS, and a mock
// Livefyre, in-process or running elsewhere); the evidence of every
// request a spec makes, with tokens redacted and a curl command that
// repeats it; and the Ginkgo suite (RunSuite) that p4p conformance and go
// test run. Rendering the report is package reports' business.
//
// Every spec names the fault mode of the reference endpoint
// (refapp.Fault) that makes it, and no other spec, fail; a test in
// cmd/p4p runs the suite against each one.
package conformance
