package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/scenarios"
	"github.com/firedrill/firedrill/ui/brief"
)

const diagWidth = 100

func runValidate(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() == 0 {
		return usageError{"name at least one scenario file: firedrill validate scenarios/*.hcl"}
	}
	loader := scenario.NewLoader()
	bad := false
	for _, path := range fs.Args() {
		_, diags := loader.LoadFile(path)
		if len(diags) == 0 {
			continue
		}
		bad = bad || diags.HasErrors()
		if err := loader.WriteDiagnostics(e.stderr, diags, diagWidth, e.color); err != nil {
			return fmt.Errorf("print diagnostics: %w", err)
		}
	}
	if bad {
		return errFailed
	}
	return nil
}

// loadScenario resolves NAME|FILE, printing diagnostics for a bad one.
func loadScenario(e *env, arg string) (*scenario.Scenario, error) {
	sc, _, err := resolveScenario(e, arg)
	return sc, err
}

// resolveScenario is loadScenario, with the loader that holds the file's
// source for printing more diagnostics about it.
func resolveScenario(e *env, arg string) (*scenario.Scenario, *scenario.Loader, error) {
	loader := scenario.NewLoader()
	sc, diags := loader.Resolve(arg, scenarios.Files)
	if len(diags) > 0 {
		if err := loader.WriteDiagnostics(e.stderr, diags, diagWidth, e.color); err != nil {
			return nil, nil, fmt.Errorf("print diagnostics: %w", err)
		}
	}
	if diags.HasErrors() {
		return nil, nil, errFailed
	}
	return sc, loader, nil
}

func runScenarios(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError{"takes no arguments"}
	}
	scs, diags := scenario.LoadLibrary(scenarios.Files)
	if diags.HasErrors() {
		return fmt.Errorf("the built-in library does not load: %s", diags.Error())
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDURATION\tDIFFICULTY\tTAGS\tTITLE")
	for _, sc := range scs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sc.Name, scenario.FormatDuration(sc.Duration), sc.Difficulty, strings.Join(sc.Tags, ","), sc.Title)
	}
	return tw.Flush()
}

func runBrief(_ context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return usageError{"name one scenario: firedrill brief NAME|FILE"}
	}
	sc, err := loadScenario(e, args[0])
	if err != nil {
		return err
	}
	return brief.Write(e.stdout, sc)
}
