package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/sim"
)

// check's exit statuses: 0 when it found nothing, checkWarned when it
// found warnings (weak ones too), checkFailed when it could not check (a
// bad command line, a scenario that does not validate, a run that failed
// or ran out of time). checkFailed is exitUsage's code, so a usage error
// reads the same.
const (
	checkWarned = exitFailure
	checkFailed = exitUsage
)

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	runs := fs.Int("runs", sim.DefaultCheckRuns, "runs per skill, on the same seeds for every skill")
	seed := fs.Uint64("seed", 1, "seed of the first run")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up after this long")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case name == "":
		return usageError{"name one scenario: firedrill check NAME|FILE [--runs N] [--seed S] [--timeout D]"}
	case *runs < 1:
		return usageError{fmt.Sprintf("--runs must be at least 1, got %d", *runs)}
	case *timeout <= 0:
		return usageError{fmt.Sprintf("--timeout must be longer than zero, got %s", *timeout)}
	}
	sc, loader, err := resolveScenario(e, name)
	if err != nil {
		return cannotCheck(e, err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	bar := newProgress(e.stderr, e.color)
	rep, err := sim.Check(ctx, sc, sim.CheckOptions{Runs: *runs, Seed: *seed, Progress: bar.update})
	bar.finish()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w after %s: lower --runs or raise --timeout", err, *timeout)
	}
	if err != nil {
		return cannotCheck(e, err)
	}
	if err := printCheck(e.stdout, loader, sc, rep); err != nil {
		return cannotCheck(e, err)
	}
	if rep.Warned() {
		return exitStatus(checkWarned)
	}
	return nil
}

// cannotCheck reports err, unless it was reported already, and ends with
// checkFailed.
func cannotCheck(e *env, err error) error {
	if !errors.Is(err, errFailed) {
		fmt.Fprintf(e.stderr, "firedrill check: %v\n", err)
	}
	return exitStatus(checkFailed)
}

// printCheck prints the warnings as validate prints a scenario's
// diagnostics, then what could not be judged, then a line that sums up.
func printCheck(w io.Writer, loader *scenario.Loader, sc *scenario.Scenario, rep sim.CheckReport) error {
	var warnings hcl.Diagnostics
	var notJudged []sim.Finding
	weak := 0
	for _, f := range rep.Findings {
		switch f.Level {
		case sim.NotJudged:
			notJudged = append(notJudged, f)
		case sim.Weak:
			weak++
			fallthrough
		default:
			warnings = append(warnings, f.Diagnostic())
		}
	}
	if err := loader.WriteDiagnostics(w, warnings, diagWidth, false); err != nil {
		return fmt.Errorf("print warnings: %w", err)
	}
	if len(notJudged) > 0 {
		fmt.Fprintln(w, "Not judged (no warning):")
		for _, f := range notJudged {
			r := f.Range
			fmt.Fprintf(w, "  %s:%d:%d: %s %q: %s\n    %s\n", r.Filename, r.Start.Line, r.Start.Column, f.Block, f.Name, f.Summary, f.Detail)
		}
		fmt.Fprintln(w)
	}
	b := rep.Batch
	var skills []string
	for _, s := range b.Skills {
		skills = append(skills, string(s.Skill))
	}
	verdict := "no warnings"
	if len(warnings) > 0 {
		verdict = plural(len(warnings), "warning")
		if weak > 0 {
			verdict += fmt.Sprintf(" (%d weak)", weak)
		}
	}
	if len(notJudged) > 0 {
		verdict += fmt.Sprintf(", %d not judged", len(notJudged))
	}
	fmt.Fprintf(w, "%s: %d runs per skill (%s) on seeds %s: %s. Exercise data, not production metrics.\n",
		sc.Name, b.Runs, strings.Join(skills, ", "), seedRange(b.Seed, b.Runs), verdict)
	if b.Paired.Seeds > 0 {
		fmt.Fprintf(w, "Paired by seed: %s; %s.\n", orderedLine(b.Skills, b.Paired), fasterLine(b.Paired))
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
