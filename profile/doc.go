// Package profile owns the pull response: the typed Profile a Pull endpoint
// serves (spec 1.6), and the Validator the mock Livefyre runs on every
// response body.
//
// Validator.Check refuses, in order: an empty body, a body over
// Limits.MaxBytes, invalid UTF-8 (which encoding/json would silently
// replace), anything but exactly one JSON object, nesting deeper than
// Limits.MaxDepth, duplicate keys at any level (encoding/json would keep the
// last), a body that breaks the JSON Schema embedded in p4p/schemas, and an
// id other than the one requested. Every refusal is an *Error whose Kind is
// one of the Err* values and whose Problems point at the offending values
// with JSON pointers.
//
// A valid body takes a fast path (fastCheck): the schema written out by
// hand for the one shape it allows, deciding on the bytes in one pass,
// about ten times faster than the JSON Schema library and with a few
// allocations instead of hundreds. Whatever it does not pass goes through
// the library, which explains the refusal, so the errors are the library's.
// A differential test and fuzz target (FuzzFastCheck) hold the two to the
// same verdict and the same Document; a change to the schema must change
// fast.go too, or they fail.
//
// The schema follows the EL docs and what Livefyre accepted from real
// integrators: booleans may be JSON booleans or the strings "true" and
// "false" (spec 6.11), URLs may be "" (spec 5.1, 5.2), and unknown fields
// are allowed and listed in Document.Ignored (spec 6.15).
package profile
