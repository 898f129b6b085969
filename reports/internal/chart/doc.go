// Package chart draws the load report's charts as inline SVG, on the
// server, with no script: a [Line] of values over a run's time and a [Bar]
// histogram of counts in log-spaced buckets, each in a 560×280 picture with
// its axes, ticks at round values, labels and legend or markers.
//
// It knows nothing of load runs: the reports package decides what to chart
// and passes the values and their text. Whatever the values, the markup is
// well-formed SVG with only finite numbers: NaN is a gap in a line, and
// infinities and values beyond ±1e300 are clamped; every string is escaped.
package chart
