// Package interop proves that p4p's mock Livefyre works with the official
// SDKs: the Node SDK (livefyre@2.0.9, in node/) registers a Pull URL and
// pings the mock, and validates the tokens the mock pulls with. It also
// runs the conformance suite against Pull endpoints written the way
// integrators wrote them, in their languages (node/express_endpoint.js,
// the Financial Times' Express service; python/pull_endpoint.py, a
// standard-library endpoint that checks the token by hand), and pins each
// verdict. The package has only tests.
package interop
