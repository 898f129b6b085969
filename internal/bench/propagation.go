package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"p4p/reports"
)

// loadPropagation is p4p load's propagation scenario on the embedded
// default (the mock and the reference endpoint in its process, no delay).
type loadPropagation struct {
	summary *reports.Load
	command string
}

func benchLoadPropagation(ctx context.Context, c config, r *report) error {
	dir, err := os.MkdirTemp("", "p4p-bench-propagation-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	argv := []string{c.binary, "load", "propagation", "--rate", fmt.Sprintf("%d/s", c.propRate),
		"--duration", c.propDuration.String(), "--user-count", strconv.Itoa(c.propUsers),
		"--slo", "lost==0", "--report-dir", dir, "-q"}
	_, _, runErr := runTool(ctx, argv)
	l, err := reports.ReadLoadDir(dir)
	switch {
	case err != nil && runErr != nil:
		return runErr
	case err != nil:
		return err
	case runErr != nil && l.Passed:
		return runErr
	}
	// A run that failed its SLO or fell short of its rate exits 1 with a
	// summary: the report says what was not met.
	r.loadPropagation = &loadPropagation{summary: l, command: shellLine(argv, nil, dir)}
	return nil
}
