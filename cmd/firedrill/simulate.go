package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/sim"
)

// perRunRows is how many runs the text output lists one by one; beyond it
// only the distribution is useful to read (--json has every run).
const perRunRows = 25

func runSimulate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	runs := fs.Int("runs", 1, "number of runs (seeds SEED, SEED+1, …)")
	seed := fs.Uint64("seed", 1, "seed of the first run")
	skill := fs.String("skill", string(bot.Expert), "bot skill: novice, practiced or expert")
	events := fs.String("events", "", "write the first run's event log to this file as JSON lines")
	asJSON := fs.Bool("json", false, "print the result as one JSON document")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if name == "" {
		return usageError{"name one scenario: firedrill simulate NAME|FILE [--runs N] [--seed S] [--skill LEVEL] [--events out.jsonl] [--json]"}
	}
	if *runs < 1 {
		return usageError{fmt.Sprintf("--runs must be at least 1, got %d", *runs)}
	}
	lvl, err := bot.ParseSkill(*skill)
	if err != nil {
		return usageError{err.Error()}
	}
	sc, err := loadScenario(e, name)
	if err != nil {
		return err
	}
	bar := newProgress(e.stderr, e.color)
	sim, err := sim.Simulate(ctx, sc, sim.SimOptions{
		Runs: *runs, Seed: *seed, Skill: lvl, KeepFirstLog: *events != "", Progress: bar.update,
	})
	bar.finish()
	if err != nil {
		return err
	}
	if *events != "" {
		if err := writeEvents(*events, sim); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sim)
	}
	return printSimulation(e.stdout, sim)
}

// parseNamed parses a command's flags around its one positional argument
// (a scenario or an exercise), which may come before the flags, as people
// type it, or after them. It returns "" when there is none; more than one
// is a usage error.
func parseNamed(fs *flag.FlagSet, args []string) (string, error) {
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return "", usageError{err.Error()}
	}
	switch {
	case fs.NArg() == 0:
	case name == "" && fs.NArg() == 1:
		name = fs.Arg(0)
	default:
		return "", usageError{"one scenario or exercise at a time; flags go after it"}
	}
	return name, nil
}

func writeEvents(path string, sim sim.Simulation) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, ev := range sim.FirstLog {
		if err := enc.Encode(ev); err != nil {
			f.Close()
			return fmt.Errorf("write events: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write events: %w", err)
	}
	return f.Close()
}

func printSimulation(w io.Writer, sim sim.Simulation) error {
	fmt.Fprintf(w, "%s — %d run(s), %s bots (exercise data, not production metrics)\n\n", sim.Scenario, len(sim.Runs), sim.Skill)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	header := "seed\tended\t"
	for _, p := range score.Phases() {
		header += "time to " + string(p) + "\t"
	}
	fmt.Fprintln(tw, header+"war rooms\t")
	for i, r := range sim.Runs {
		if i == perRunRows {
			fmt.Fprintf(tw, "… %d more runs (use --json for every run)\t\n", len(sim.Runs)-perRunRows)
			break
		}
		row := fmt.Sprintf("%d\t%s\t", r.Seed, r.Ended)
		for _, m := range r.Result.Measures {
			row += measureCell(m) + "\t"
		}
		fmt.Fprintln(tw, row+fmt.Sprintf("%d\t", r.Result.WarRooms))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "measure\tn\tmedian\tp90\tmin\tmax\tnever happened\t")
	for _, p := range score.Phases() {
		s := sim.Aggregate[p]
		fmt.Fprintf(tw, "time to %s\t%d\t%s\t%s\t%s\t%s\t%d\t\n", p, s.N, clock(s.Median), clock(s.P90), clock(s.Min), clock(s.Max), s.Censored)
	}
	r := sim.WarRooms
	fmt.Fprintf(tw, "war rooms opened\t%d\t%d\t%d\t%d\t%d\t\t\n", len(sim.Runs), r.Median, r.P90, r.Min, r.Max)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nTimes are from the start of the root-cause fault (detect, identify, mitigate, fix, restore) or from detection (acknowledge, declare); \"never happened\" runs are counted at the end of the exercise.")
	return nil
}

func measureCell(m score.Measure) string {
	switch {
	case m.NotApplicable:
		return "n/a"
	case m.Censored:
		return "never (>" + clock(m.Duration) + ")"
	}
	return clock(m.Duration)
}

func clock(d time.Duration) string {
	d = d.Round(time.Second)
	if h := int(d.Hours()); h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, int(d.Minutes())%60, int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// progress draws a bar on a terminal once a simulation has run for a
// second; on anything else it stays silent.
type progress struct {
	w       io.Writer
	tty     bool
	started time.Time
	drawn   bool
}

func newProgress(w io.Writer, tty bool) *progress {
	return &progress{w: w, tty: tty, started: time.Now()}
}

func (p *progress) update(done, total int) {
	if !p.tty || time.Since(p.started) < time.Second {
		return
	}
	const width = 30
	filled := width * done / total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d runs", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
	p.drawn = true
}

func (p *progress) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
