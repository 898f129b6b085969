// Package refapp is p4p's reference integrator: a customer site whose Pull
// endpoint does exactly what Livefyre's Ping for Pull documentation asks
// (../shared/spec/ping-for-pull.md, sections 1.5 and 1.6), and which pings
// Livefyre whenever one of its users changes.
//
// A Server holds a set of user profiles in memory and serves:
//
//	GET  {PullPath}?id={id}&lftoken=…  the Pull endpoint: 403 with an empty body
//	                                    unless lftoken is a valid system token,
//	                                    400 without an id, 404 for an unknown
//	                                    user, else 200 and the profile's JSON
//	GET  /users                         the users' ids and display names
//	POST /hook                          change a user, then ping Livefyre
//	GET  /token?id={id}                 {"token": …}: a user auth token for the
//	                                    user, with their current display_name,
//	                                    as the site's SSO would issue it now
//	GET  /healthz                       "ok"
//
// POST /hook takes {"id": …, and any profile fields to set, with their
// documented names}; it answers 200 {"id","pinged","pull_id"} once the
// change is stored and Livefyre has accepted the ping, or 502 when the
// change is stored but the ping failed. Server.Update does the same from
// Go.
//
// It is shaped like httptest.Server: Start listens on loopback port 0 by
// default, URL says where, and Close waits for requests in flight. With
// Config.Register it registers its Pull URL template with Livefyre on
// Start. The mock Livefyre's tests use it directly, and the embedded
// pipeline (package p4p/embedded), which the conformance suite, p4p load,
// the demo and the benchmarks start, wires it to the mock as the endpoint
// that is known to be right.
//
// With Config.TLS it serves HTTPS with a fresh self-signed certificate;
// Server.Client trusts it, as httptest.Server.Client does.
//
// With Config.Fault it is deliberately wrong in exactly one way, named
// after a real integrator's mistake (Faults lists them): the conformance
// suite runs against each fault to prove that every one of its specs can
// fail. Token faults use a validator of their own (faulttoken.go), so the
// correct path keeps using token.Validator unchanged.
package refapp
