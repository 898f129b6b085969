// Package load load-tests a Livefyre Ping for Pull endpoint, or the whole
// pipeline from ping to stored profile, and judges the run by its SLOs.
//
// It owns the scenarios (Scenario, as p4p load's flags or a scenario file
// give it: DecodeScenario and ReadScenario read files, validated against
// schemas/scenario.schema.json, and Check fills in the defaults): Pull
// hits the Pull endpoint as Livefyre would and validates every response
// as Livefyre does; Propagation pings the mock Livefyre and follows its
// events until each acknowledged ping's update is stored or has failed
// for good, settling the ones that fell in a gap of the events from the
// sync records; Soak runs either for long and reports the drift between
// its first and last windows. Rates ramp as Vegeta's pacers do.
//
// Pull sends with a lean HTTP/1.1 client of its own (lean.go, client.go)
// inside Vegeta's attack loop: a worker per request in flight, each with
// one kept-alive connection and its buffers, judging its own response
// before its next request. Vegeta's attacker, built on net/http, cost as
// much CPU per request as the validation; the lean one about a third of
// it. A Pull URL that the environment sends through a proxy, and the
// propagation pings, still go through Vegeta's attacker. Either way the
// raw results are Vegeta's, in its encoding.
//
// Run starts what a scenario needs (the reference endpoint, and for
// propagation the mock Livefyre, in-process unless the scenario names
// running ones), runs it, judges its SLOs (package load/slo) and writes
// the reports, with the network key and tokens redacted. Rendering the
// reports is package reports' business.
//
// A run can be split across machines (Scenario.Shard, p4p load --shard
// i/n): each shard sends its stripe of the unsplit schedule to its share
// of the users, and writes ShardFile beside its reports; Merge adds the
// shards' files up into one report, exactly, and judges the SLOs on it.
package load
