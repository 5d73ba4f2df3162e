package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/sim"
)

// lowerBoundNote explains the ≥ and the intervals under every table of
// phase medians.
const lowerBoundNote = "≥ marks a median that is only a lower bound: more than half the runs, or the median run, never got there. The 95% intervals are percentile bootstraps of the median."

// perRunRows is how many runs the text output lists one by one; beyond it
// only the distribution is useful to read (--json has every run).
const perRunRows = 25

func runSimulate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	runs := fs.Int("runs", 1, "number of runs (seeds SEED, SEED+1, …)")
	seed := fs.Uint64("seed", 1, "seed of the first run")
	skill := fs.String("skill", string(bot.Expert), "bot skill: novice, practiced or expert; a comma list of them, or all, to run each on the same seeds side by side")
	events := fs.String("events", "", "write the first run's event log to this file as JSON lines")
	asJSON := fs.Bool("json", false, "print the result as one JSON document")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if name == "" {
		return usageError{"name one scenario: firedrill simulate NAME|FILE [--runs N] [--seed S] [--skill LEVEL|LEVEL,LEVEL|all] [--events out.jsonl] [--json]"}
	}
	if *runs < 1 {
		return usageError{fmt.Sprintf("--runs must be at least 1, got %d", *runs)}
	}
	skills, err := skillsFlag(*skill)
	if err != nil {
		return usageError{err.Error()}
	}
	if len(skills) > 1 && *events != "" {
		return usageError{"--events writes one run's log: give one --skill with it"}
	}
	sc, err := loadScenario(e, name)
	if err != nil {
		return err
	}
	bar := newProgress(e.stderr, e.color)
	opts := sim.SimOptions{Runs: *runs, Seed: *seed, Skill: skills[0], KeepFirstLog: *events != "", Progress: bar.update}
	var doc any
	var show func(io.Writer) error
	if len(skills) == 1 {
		s, err := sim.Simulate(ctx, sc, opts)
		bar.finish()
		if err != nil {
			return err
		}
		if *events != "" {
			if err := writeEvents(*events, s); err != nil {
				return err
			}
		}
		doc, show = s, func(w io.Writer) error { return printSimulation(w, s) }
	} else {
		s, err := sim.SimulateSkills(ctx, sc, opts, skills)
		bar.finish()
		if err != nil {
			return err
		}
		doc, show = s, func(w io.Writer) error { return printSkills(w, s) }
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}
	return show(e.stdout)
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

func writeEvents(path string, batch sim.Simulation) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, ev := range batch.FirstLog {
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

func printSimulation(w io.Writer, batch sim.Simulation) error {
	fmt.Fprintf(w, "%s — %d run(s), %s bots, seeds %s (exercise data, not production metrics)\n\n", batch.Scenario, len(batch.Runs), batch.Skill, seedRange(batch.Seed, len(batch.Runs)))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	header := "seed\tended\t"
	for _, p := range score.Phases() {
		header += "time to " + string(p) + "\t"
	}
	fmt.Fprintln(tw, header+"war rooms\tscore\t")
	for i, r := range batch.Runs {
		if i == perRunRows {
			fmt.Fprintf(tw, "… %d more runs (use --json for every run)\t\n", len(batch.Runs)-perRunRows)
			break
		}
		row := fmt.Sprintf("%d\t%s\t", r.Seed, r.Ended)
		for _, m := range r.Result.Measures {
			row += measureCell(m) + "\t"
		}
		fmt.Fprintln(tw, row+fmt.Sprintf("%d\t%s\t", r.Result.WarRooms, pct(r.Overall.Percent)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "measure\tn\tmedian\t95% CI\tp90\tmin\tmax\tnever happened\t")
	for _, s := range batch.Phases {
		fmt.Fprintf(tw, "time to %s\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t\n", s.Phase, s.N, medianCell(s), interval(s), clock(s.P90), clock(s.Min), clock(s.Max), s.Censored)
	}
	r := batch.WarRooms
	fmt.Fprintf(tw, "war rooms opened\t%d\t%d\t\t%d\t%d\t%d\t\t\n", len(batch.Runs), r.Median, r.P90, r.Min, r.Max)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nTimes are from the start of the root-cause fault (detect, identify, mitigate, fix, restore) or from detection (acknowledge, declare); \"never happened\" runs are counted at the end of the exercise.")
	fmt.Fprintln(w, lowerBoundNote)

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "score (of %g points)\tmedian\t95%% CI\tmin\tmax\tmean\t\n", batch.Maximum)
	scoreRow := func(label string, d sim.ScoreStats) {
		fmt.Fprintf(tw, "%s\t%s\t%.1f–%s\t%s\t%s\t%s\t\n", label, pct(d.Median), d.MedianCI[0], pct(d.MedianCI[1]), pct(d.Min), pct(d.Max), pct(d.Mean))
	}
	scoreRow("overall", batch.Overall)
	for _, d := range batch.Dimensions {
		scoreRow(string(d.Dimension), d.ScoreStats)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return printVerdicts(w, batch)
}

// printVerdicts prints what became of each expectation, root cause,
// inject and decision over the runs, a table each.
func printVerdicts(w io.Writer, batch sim.Simulation) error {
	n := len(batch.Runs)
	table := func(align uint, header string, rows int, row func(i int) string) error {
		if rows == 0 {
			return nil
		}
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', align)
		fmt.Fprintln(tw, header)
		for i := range rows {
			fmt.Fprintln(tw, row(i))
		}
		return tw.Flush()
	}
	return errors.Join(
		table(tabwriter.AlignRight, "expectation\tmet\tnot met\tnot applicable\tnot reached\thit rate\t", len(batch.Expectations), func(i int) string {
			x := batch.Expectations[i]
			return fmt.Sprintf("%s\t%d\t%d\t%d\t%d\t%s\t", x.Name, x.Met, x.NotMet, x.NotApplicable, x.NotReached, percent(x.HitRate))
		}),
		table(tabwriter.AlignRight, "root cause\tfixed\thealed by itself\tstill active\tnever started\t", len(batch.Causes), func(i int) string {
			c := batch.Causes[i]
			return fmt.Sprintf("%s\t%d\t%d\t%d\t%d\t", c.Fault, c.Fixed, c.Healed, c.Active, c.NotStarted)
		}),
		table(0, "inject\tfired in", len(batch.Injects), func(i int) string {
			return fmt.Sprintf("%s\t%d of %d runs", batch.Injects[i].Name, batch.Injects[i].Fired, n)
		}),
		table(0, "decision\toptions taken", len(batch.Decisions), func(i int) string {
			return fmt.Sprintf("%s\t%s", batch.Decisions[i].Name, optionsCell(batch.Decisions[i], n))
		}),
	)
}

// optionsCell says how a decision went: each option taken with its runs,
// then those nobody answered and the runs it never came up in.
func optionsCell(d sim.DecisionStats, runs int) string {
	var parts []string
	for _, o := range d.Options {
		if o.Runs > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", o.Option, o.Runs))
		}
	}
	if d.Unanswered > 0 {
		parts = append(parts, fmt.Sprintf("unanswered %d", d.Unanswered))
	}
	if off := runs - d.Offered; off > 0 {
		parts = append(parts, fmt.Sprintf("never offered %d", off))
	}
	return strings.Join(parts, ", ")
}

// printSkills prints skills side by side: run by run on the shared seeds,
// then every figure in a column per skill, then what the pairs say.
func printSkills(w io.Writer, s sim.Skills) error {
	var names []string
	for _, x := range s.Skills {
		names = append(names, string(x.Skill))
	}
	fmt.Fprintf(w, "%s — %d run(s) per skill on seeds %s, paired by seed: %s (exercise data, not production metrics)\n\n",
		s.Scenario, s.Runs, seedRange(s.Seed, s.Runs), strings.Join(names, ", "))

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	header := "seed\t"
	for _, n := range names {
		header += n + " score\t" + n + " restore\t"
	}
	fmt.Fprintln(tw, header)
	for i := range s.Runs {
		if i == perRunRows {
			fmt.Fprintf(tw, "… %d more seeds (use --json for every run)\t\n", s.Runs-perRunRows)
			break
		}
		row := fmt.Sprintf("%d\t", s.Skills[0].Runs[i].Seed)
		for _, x := range s.Skills {
			r := x.Runs[i]
			m, _ := r.Result.Measure(score.PhaseRestore)
			row += pct(r.Overall.Percent) + "\t" + measureCell(m) + "\t"
		}
		fmt.Fprintln(tw, row)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)

	// Section headings keep empty cells so every section shares the
	// columns; the padding they leave is trimmed off the line ends.
	var table bytes.Buffer
	tw = tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	row := func(label string, cell func(sim.Simulation) string) {
		line := label + "\t"
		for _, x := range s.Skills {
			line += cell(x) + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	gap := func(heading string) { row(heading, func(sim.Simulation) string { return "" }) }
	row("median [95% CI]", func(x sim.Simulation) string { return string(x.Skill) })
	row(fmt.Sprintf("overall score (of %g points)", s.Skills[0].Maximum), func(x sim.Simulation) string { return scoreCell(x.Overall) })
	for i, d := range s.Skills[0].Dimensions {
		row("  "+string(d.Dimension), func(x sim.Simulation) string { return scoreCell(x.Dimensions[i].ScoreStats) })
	}
	for i, p := range s.Skills[0].Phases {
		row("time to "+string(p.Phase), func(x sim.Simulation) string { return phaseCell(x.Phases[i]) })
	}
	row("war rooms opened", func(x sim.Simulation) string { return fmt.Sprint(x.WarRooms.Median) })
	if len(s.Skills[0].Expectations) > 0 {
		gap("expectations met (hit rate)")
		for i, e := range s.Skills[0].Expectations {
			row("  "+e.Name, func(x sim.Simulation) string { return expectationCell(x.Expectations[i]) })
		}
	}
	if len(s.Skills[0].Causes) > 0 {
		gap("root causes fixed by a remedy")
		for i, c := range s.Skills[0].Causes {
			row("  "+c.Fault, func(x sim.Simulation) string { return fmt.Sprintf("%d of %d", x.Causes[i].Fixed, len(x.Runs)) })
		}
	}
	if len(s.Skills[0].Injects) > 0 {
		gap("injects fired")
		for i, in := range s.Skills[0].Injects {
			row("  "+in.Name, func(x sim.Simulation) string { return fmt.Sprintf("%d of %d", x.Injects[i].Fired, len(x.Runs)) })
		}
	}
	if len(s.Skills[0].Decisions) > 0 {
		gap("decisions: options taken")
		for i, d := range s.Skills[0].Decisions {
			row("  "+d.Name, func(x sim.Simulation) string { return optionsCell(x.Decisions[i], len(x.Runs)) })
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(table.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
	fmt.Fprintln(w, "\n\"never\" counts the runs where a phase never happened, at the end of the exercise.")
	fmt.Fprintln(w, lowerBoundNote)
	if s.Paired.Seeds > 0 {
		fmt.Fprintf(w, "Paired by seed: %s; %s.\n", orderedLine(s.Skills, s.Paired), fasterLine(s.Paired))
	}
	return nil
}

func scoreCell(d sim.ScoreStats) string {
	return fmt.Sprintf("%s [%.1f–%s]", pct(d.Median), d.MedianCI[0], pct(d.MedianCI[1]))
}

func phaseCell(p sim.PhaseStats) string {
	if p.N == 0 {
		return "n/a"
	}
	cell := medianCell(p) + " [" + interval(p) + "]"
	if p.Censored > 0 {
		cell += fmt.Sprintf(", never %d", p.Censored)
	}
	return cell
}

func expectationCell(e sim.ExpectationStats) string {
	cell := fmt.Sprintf("%d (%s)", e.Met, percent(e.HitRate))
	if e.NotApplicable > 0 {
		cell += fmt.Sprintf(", n/a %d", e.NotApplicable)
	}
	return cell
}

// medianCell is a phase's median, marked ≥ when only a lower bound.
func medianCell(p sim.PhaseStats) string {
	if p.N == 0 {
		return "n/a"
	}
	if p.MedianLowerBound {
		return "≥" + clock(p.Median)
	}
	return clock(p.Median)
}

func interval(p sim.PhaseStats) string {
	if p.N == 0 {
		return ""
	}
	return clock(p.MedianCI.Lo) + "–" + clock(p.MedianCI.Hi)
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", f) }

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

func seedRange(seed uint64, runs int) string {
	if runs == 1 {
		return fmt.Sprint(seed)
	}
	return fmt.Sprintf("%d–%d", seed, seed+uint64(runs)-1)
}

// orderedLine says on how many seeds the skills' overall scores came in
// the order of their ability.
func orderedLine(sims []sim.Simulation, p sim.Paired) string {
	var order []string
	for i := len(sims) - 1; i >= 0; i-- {
		order = append(order, string(sims[i].Skill))
	}
	return fmt.Sprintf("overall score %s on %d of %d seeds (%s)", strings.Join(order, " ≥ "), p.Ordered, p.Seeds, percent(p.OrderedFraction))
}

// fasterLine says on how many seeds the most able skill restored sooner.
func fasterLine(p sim.Paired) string {
	if p.FasterOf == 0 {
		return "no time to restore to compare (a discussion)"
	}
	return fmt.Sprintf("%s restored faster than %s on %d of %d (%s)", p.Most, p.Least, p.Faster, p.FasterOf, percent(p.FasterFraction))
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// skillsFlag reads --skill: one level, a comma list, or all.
func skillsFlag(s string) ([]bot.Skill, error) {
	if strings.EqualFold(strings.TrimSpace(s), "all") {
		return bot.Skills(), nil
	}
	var out []bot.Skill
	for _, part := range strings.Split(s, ",") {
		k, err := bot.ParseSkill(part)
		if err != nil {
			return nil, fmt.Errorf("%w, a comma list of them, or all", err)
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}
