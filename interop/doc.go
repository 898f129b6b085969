// Package interop proves that p4p's mock Livefyre works with the official
// SDKs: the Node SDK (livefyre@2.0.9, in node/) registers a Pull URL and
// pings the mock, and validates the tokens the mock pulls with. The
// package has only tests.
package interop
