// Package p4p holds the rules of Livefyre's Ping for Pull that every part
// of p4p shares, each defined once: what a network name is (spec 3.1),
// what a user id is (spec 2.3, 6.17), what a Pull URL template is and how
// Livefyre fills it (spec 1.3, 1.5, 6.8, 6.9), how pull ids order, the
// delay from ping to pull (spec 1.1), and how outside JSON is decoded
// strictly and pointed into (RFC 6901).
//
// Its model is the root package of benbjohnson/wtf: domain types and
// their rules, with no dependency on the rest of p4p, so that the mock
// Livefyre, the reference endpoint, the conformance suite, the load tool
// and the CLI all import it and none keeps a copy of a rule. When you need
// a rule of the protocol, look for it here first.
package p4p
