// Command firedrill runs incident-response tabletop exercises.
//
//	firedrill validate FILE…      check scenario files
//	firedrill check NAME|FILE     validate, then play a quick batch and warn of what never happens
//	firedrill scenarios           list the built-in library
//	firedrill brief NAME|FILE     print the facilitator brief
//	firedrill simulate NAME|FILE  run it with bots and print the MTTx
//
// Run "firedrill help" for every command.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// exitUsage and exitFailure are the exit codes for a bad command line and
// for a command that ran and failed (a bad scenario, say).
const (
	exitFailure = 1
	exitUsage   = 2
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch, so tests can run commands in-process.
type env struct {
	stdout, stderr io.Writer
	color          bool
}

func commands() []command {
	return []command{
		{"validate", "check scenario files and print every problem (FILE…)", runValidate},
		{"check", "validate a scenario, play a quick batch at every skill and warn of what never happens (NAME|FILE [--runs N] [--seed S] [--timeout D]); exit 1 on warnings, 2 when it cannot check", runCheck},
		{"scenarios", "list the built-in scenarios", runScenarios},
		{"brief", "print the facilitator brief of a scenario in Markdown (NAME|FILE)", runBrief},
		{"serve", "host exercises over HTTP and websockets ([--addr HOST:PORT] [--db URL])", runServe},
		{"start", "create an exercise on a server and print its codes (NAME|FILE [--server URL] [--speed N] [--humans SEATS])", runStart},
		{"play", "join an exercise in the terminal console (--server URL --code CODE [--facilitator])", runPlay},
		{"drill", "the one-command drill: embedded server, you in one seat, bots in the rest, the review at the end (NAME|FILE [--as SEAT] [--speed N])", runDrill},
		{"report", "write the review of an exercise (EXERCISE|events.jsonl [--db URL] [--format md|html|json|aar] [-o FILE]) or --scenario NAME --all", runReport},
		{"simulate", "run a scenario headless with bots in every role and print its MTTx and scores (NAME|FILE [--runs N] [--seed S] [--skill LEVEL|LEVEL,LEVEL|all] [--events FILE] [--json])", runSimulate},
	}
}

// usageError is a mistake on the command line; main prints usage for it.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// failed means the command already told the user what went wrong.
var errFailed = errors.New("failed")

// exitStatus ends a command with a status of its own, for a command whose
// statuses say more than ran or failed (check: 1 found warnings, 2 could
// not check). The command has already said why.
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, color: isTerminal(os.Stderr)}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var ue usageError
		var st exitStatus
		switch {
		case err == nil:
			return 0
		case errors.As(err, &st):
			return int(st)
		case errors.As(err, &ue):
			fmt.Fprintf(e.stderr, "firedrill %s: %s\n", c.name, ue.msg)
			return exitUsage
		case errors.Is(err, errFailed):
			return exitFailure
		default:
			fmt.Fprintf(e.stderr, "firedrill %s: %v\n", c.name, err)
			return exitFailure
		}
	}
	fmt.Fprintf(e.stderr, "firedrill: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "firedrill runs incident-response tabletop exercises.")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0 && os.Getenv("NO_COLOR") == ""
}
