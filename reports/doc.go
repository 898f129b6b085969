// Package reports renders the results of p4p's runs: a conformance run's
// [Conformance] value becomes report.json and junit.xml for machines, and
// report.html and a terminal summary for people, all from the same data.
// Each says the run's verdict (certified, certified with deviations, or
// not certified) and each finding's severity (a failure, a deviation, or
// a warning) in the same words.
//
// The HTML report is a self-contained certificate of the run that an
// integrator can hand to their team: one file with an inline stylesheet,
// no scripts and no external resources, that reads the same in a browser,
// on paper and without colour. [WriteDir] writes every rendering to a
// directory together with a results.tar.gz of them, after removing any
// secret (a network key, a token) the caller names.
//
// A load run's [Load] value is rendered the same way: summary.json and
// junit.xml (a testcase per SLO) for machines, report.html with its
// charts drawn server-side as inline SVG, and a terminal summary in the
// manner of vegeta report. [WriteLoadDir] writes the first three next to
// the engine's raw results, with the same redaction and leak checks.
//
// Reports are data first: the producers (the conformance suite and the
// load engine) fill the types in conformance.go and load.go, and nothing
// here changes what a run found.
package reports
