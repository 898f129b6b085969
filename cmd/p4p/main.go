// Command p4p is a load-testing and conformance harness for Livefyre's Ping
// for Pull profile sync: a mock Livefyre, a reference integrator and the
// tools that certify and measure a Pull endpoint.
//
// Usage:
//
//	p4p conformance [flags]   certify a Pull endpoint
//	p4p load SCENARIO [flags] load-test a Pull endpoint or the whole pipeline
//	p4p report merge DIR...   merge the reports of a load run's shards
//	p4p mock    [flags]   run a mock Livefyre
//	p4p refapp  [flags]   run the reference integrator (a correct Pull endpoint)
//	p4p demo    [flags]   run both in-process and show a ping propagating
//	p4p token   [flags]   print a Livefyre token, or check one
//
// Run "p4p COMMAND -h" for a command's flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed
	exitUsage = 2 // bad flags or arguments
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: it parses its own flags from args.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"mock":        {"run a mock Livefyre", runMock},
	"refapp":      {"run the reference integrator", runRefapp},
	"demo":        {"run the mock and the reference integrator and show a ping propagating", runDemo},
	"token":       {"print a Livefyre token, or check one", runToken},
	"conformance": {"certify a Pull endpoint (default: the reference endpoint, in-process)", runConformance},
	"load":        {"load-test a Pull endpoint or the whole pipeline, gated by SLOs", runLoad},
	"report":      {"merge the reports of a load run's shards (p4p report merge DIR...)", runReport},
}

var commandOrder = []string{"conformance", "load", "report", "mock", "refapp", "demo", "token"}

// Main runs p4p with args (without the program name) and returns the exit
// status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "p4p: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	err := cmd.run(args[1:], stdout, stderr)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "p4p %s: %v\n", args[0], err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "p4p %s: %v\n", args[0], err)
		return exitFail
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: p4p COMMAND [flags]\n\ncommands:")
	for _, name := range commandOrder {
		fmt.Fprintf(w, "  %-11s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nRun \"p4p COMMAND -h\" for a command's flags.")
}

// usageError is a bad flag or argument: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// parse parses a flag set, turning its errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
