// Package livefyre is the client side of Livefyre's quill API as p4p's mock
// implements it: registering a Pull URL, pinging for a pull, reading remote
// profiles back and following pipeline events. It also owns the wire types
// those endpoints exchange, so that the mock, the reference integrator and
// the conformance and load tools agree on them.
//
// The URLs, parameters and status codes follow ../shared/spec/ping-for-pull.md
// sections 1.3, 1.4, 3.2, 3.3 and 4; where the official SDKs disagree the
// client sends what the SDKs send (form bodies, the v3_0 path).
package livefyre
