package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"p4p/load"
	"p4p/load/slo"
)

// reportUsage is p4p report's synopsis.
const reportUsage = `usage: p4p report merge DIR... [--report-dir OUT]
  merges the report directories of the shards of one run split with
  p4p load --shard i/n into one report, as if one machine had run it`

// defaultMergeDir is where p4p report merge writes without --report-dir.
const defaultMergeDir = "reports/merged"

// runReport runs p4p report's subcommands; merge is the only one.
func runReport(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "merge" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, reportUsage)
			return flag.ErrHelp
		}
		return usagef("name a subcommand\n%s", reportUsage)
	}
	return runMerge(args[1:], stdout, stderr)
}

// mergeArgs parses p4p report merge's arguments: directories, with the
// flags before, between or after them.
func mergeArgs(args []string, stderr io.Writer) (dirs []string, out string, err error) {
	fs := flag.NewFlagSet("p4p report merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&out, "report-dir", defaultMergeDir, "where to write the merged report")
	fs.Usage = func() {
		fmt.Fprintln(stderr, reportUsage)
		fs.PrintDefaults()
	}
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, "", err
			}
			return nil, "", usageError{err}
		}
		if args = fs.Args(); len(args) > 0 {
			dirs, args = append(dirs, args[0]), args[1:]
		}
	}
	if len(dirs) == 0 {
		return nil, "", usagef("name the shards' report directories\n%s", reportUsage)
	}
	if len(dirs) > load.MaxShards {
		return nil, "", usagef("%d directories: at most %d shards", len(dirs), load.MaxShards)
	}
	return dirs, out, nil
}

// runMerge merges shards' reports: exit status 0 when the merged run
// passed, 1 when an SLO was breached on the merged data, a shard failed
// or is missing, or the shards are not of one run.
func runMerge(args []string, stdout, stderr io.Writer) error {
	dirs, out, err := mergeArgs(args, stderr)
	if err != nil {
		return err
	}
	l, err := load.Merge(dirs, out, load.Options{HarnessVersion: harnessVersion()})
	if errors.Is(err, slo.ErrSLO) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	if err := l.WriteText(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nMerged report of %d shards in %s: report.html (open in a browser), summary.json, junit.xml\n",
		len(l.Shards), out)
	if !l.Passed {
		return fmt.Errorf("the merged run failed: %s", failureSummary(l))
	}
	return nil
}
