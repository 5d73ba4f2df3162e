package sim

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// DefaultCheckRuns is how many runs of each skill a check plays when not
// told: enough for the rules below to see a pattern, few enough to take
// seconds.
const DefaultCheckRuns = 20

// RareHitRate is the share of expert runs under which an expectation that
// experts do sometimes meet gets a weaker warning.
const RareHitRate = 0.9

// CheckOptions set up a scenario check.
type CheckOptions struct {
	Runs    int    // per skill; DefaultCheckRuns when 0
	Seed    uint64 // run i of every skill uses Seed+i
	Workers int    // as SimOptions
	// Progress counts the runs of every skill together.
	Progress func(done, total int)
}

// Level says how much a finding matters.
type Level string

const (
	// Warning: the batch shows something the author should look at.
	Warning Level = "warning"
	// Weak: the same, but it may be the bots' luck rather than the
	// scenario (an expectation experts usually meet).
	Weak Level = "weak"
	// NotJudged: the batch could not tell (a decision always answered the
	// same way). Not a warning.
	NotJudged Level = "not_judged"
)

// Finding is what the check says about one block of the scenario.
type Finding struct {
	Level   Level         `json:"level"`
	Block   scenario.Kind `json:"block"` // fault, expect, inject or decision
	Name    string        `json:"name"`
	Summary string        `json:"summary"`
	Detail  string        `json:"detail"`
	// Range is the block's definition, for file:line:col.
	Range hcl.Range `json:"-"`
}

// Diagnostic is the finding as HCL prints a scenario's diagnostics. HCL
// has no severity under warning, so a finding NotJudged is a warning too
// here: print those some other way.
func (f Finding) Diagnostic() *hcl.Diagnostic {
	rng := f.Range
	return &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: f.Summary, Detail: f.Detail, Subject: &rng}
}

// CheckReport is a check's batch and what it found, in source order.
type CheckReport struct {
	Batch    Skills    `json:"batch"`
	Findings []Finding `json:"findings"`
}

// Warned says a finding is a warning, weak or not: the check failed.
func (r CheckReport) Warned() bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Level != NotJudged })
}

// Check plays a quick batch of sc at every skill on the same seeds and
// reports what a scenario author would want to know before running it
// with people:
//
//   - a root-cause fault that starts in expert runs and that expert bots
//     never fix with a remedy (healing by itself is not a fix), or one
//     that never starts in any run at all;
//   - an expectation expert bots never meet where it was decided (met or
//     not met: not applicable and not reached cost nothing), and, weaker,
//     one they meet in fewer than RareHitRate of those runs;
//   - an inject that never fires in any run of any skill;
//   - a decision two of whose options, forced on bots, lead to the same
//     place (checkDecisions).
//
// The scenario must be valid (loaded without errors).
func Check(ctx context.Context, sc *scenario.Scenario, opts CheckOptions) (CheckReport, error) {
	if opts.Runs == 0 {
		opts.Runs = DefaultCheckRuns
	}
	batch, err := SimulateSkills(ctx, sc, SimOptions{Runs: opts.Runs, Seed: opts.Seed, Workers: opts.Workers, Progress: opts.Progress}, bot.Skills())
	if err != nil {
		return CheckReport{}, err
	}
	expert := batch.Skills[len(batch.Skills)-1]
	var fs []Finding
	fs = append(fs, checkCauses(sc, batch, expert)...)
	fs = append(fs, checkExpectations(sc, expert)...)
	fs = append(fs, checkInjects(sc, batch)...)
	ds, err := checkDecisions(ctx, sc, opts)
	if err != nil {
		return CheckReport{}, err
	}
	fs = append(fs, ds...)
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Range.Filename, b.Range.Filename), cmp.Compare(a.Range.Start.Byte, b.Range.Start.Byte))
	})
	if fs == nil {
		fs = []Finding{}
	}
	return CheckReport{Batch: batch, Findings: fs}, nil
}

func checkCauses(sc *scenario.Scenario, batch Skills, expert Simulation) []Finding {
	var out []Finding
	for i, f := range rootCauses(sc) {
		anywhere := 0
		for _, s := range batch.Skills {
			c := s.Causes[i]
			anywhere += c.Fixed + c.Healed + c.Active
		}
		c := expert.Causes[i]
		started := c.Fixed + c.Healed + c.Active
		switch {
		case anywhere == 0:
			out = append(out, Finding{Level: Warning, Block: scenario.KindFault, Name: f.Name, Range: f.DefRange,
				Summary: "Root cause never starts",
				Detail: fmt.Sprintf("Root-cause fault %q started in none of the %d runs (%d per skill), so nobody could fix it. Give it start or when, or name it in a decision option's or a harmful remedy's triggers.",
					f.Name, batch.Runs*len(batch.Skills), batch.Runs)})
		case started > 0 && c.Fixed == 0:
			out = append(out, Finding{Level: Warning, Block: scenario.KindFault, Name: f.Name, Range: f.DefRange,
				Summary: "Root cause never fixed by expert bots",
				Detail: fmt.Sprintf("Root-cause fault %q started in %d of %d expert runs and no remedy fixed it in any (healed by itself in %d, still active at the end in %d). Check its fixed_by: a remedy its service's group may apply, reachable from a runbook step.",
					f.Name, started, len(expert.Runs), c.Healed, c.Active)})
		}
	}
	return out
}

func checkExpectations(sc *scenario.Scenario, expert Simulation) []Finding {
	var out []Finding
	for i, x := range liveExpects(sc) {
		st := expert.Expectations[i]
		decided := st.Met + st.NotMet
		aside := ""
		if st.NotApplicable+st.NotReached > 0 {
			aside = fmt.Sprintf("; besides, not applicable in %d and not reached before the run ended in %d", st.NotApplicable, st.NotReached)
		}
		switch {
		case decided == 0:
		case st.Met == 0:
			out = append(out, Finding{Level: Warning, Block: scenario.KindExpect, Name: x.Name, Range: x.DefRange,
				Summary: "Expectation never met by expert bots",
				Detail: fmt.Sprintf("Expert bots missed expectation %q in all %d runs where it was decided%s. If expert play should meet it, check its condition and within.",
					x.Name, decided, aside)})
		case float64(st.Met) < RareHitRate*float64(decided):
			out = append(out, Finding{Level: Weak, Block: scenario.KindExpect, Name: x.Name, Range: x.DefRange,
				Summary: "Expectation rarely met by expert bots",
				Detail: fmt.Sprintf("Expert bots met expectation %q in %d of %d runs where it was decided%s: under %.0f%%. It may depend on luck: check its condition and within.",
					x.Name, st.Met, decided, aside, 100*RareHitRate)})
		}
	}
	return out
}

func checkInjects(sc *scenario.Scenario, batch Skills) []Finding {
	var out []Finding
	for i, in := range liveInjects(sc) {
		fired := 0
		for _, s := range batch.Skills {
			fired += s.Injects[i].Fired
		}
		if fired > 0 {
			continue
		}
		out = append(out, Finding{Level: Warning, Block: scenario.KindInject, Name: in.Name, Range: in.DefRange,
			Summary: "Inject never fires",
			Detail: fmt.Sprintf("Inject %q fired in none of the %d runs (%d per skill). %s",
				in.Name, batch.Runs*len(batch.Skills), batch.Runs, whyNotFired(sc, batch, in))})
	}
	return out
}

// whyNotFired says what should have fired an inject, for the author to
// look at.
func whyNotFired(sc *scenario.Scenario, batch Skills, in *scenario.Inject) string {
	var why []string
	if in.HasAt {
		var ends []time.Duration
		for _, s := range batch.Skills {
			for _, r := range s.Runs {
				ends = append(ends, r.Result.End)
			}
		}
		last := slices.Max(ends)
		if in.At >= last {
			why = append(why, fmt.Sprintf("It is due at %s, but every run had ended by %s.", clockText(in.At), clockText(last)))
		} else {
			why = append(why, fmt.Sprintf("It is due at %s.", clockText(in.At)))
		}
	}
	if in.When != nil {
		why = append(why, fmt.Sprintf("Its condition never held: %s.", strings.TrimSpace(sc.SourceText(in.When.Range()))))
	}
	var by []string
	for i, d := range liveDecisions(sc) {
		for _, o := range d.Options {
			if o == nil || !slices.ContainsFunc(o.Triggers, func(r scenario.Ref) bool { return r.Kind == scenario.KindInject && r.Name == in.Name }) {
				continue
			}
			taken := 0
			for _, s := range batch.Skills {
				for _, oc := range s.Decisions[i].Options {
					if oc.Option == o.Name {
						taken += oc.Runs
					}
				}
			}
			by = append(by, fmt.Sprintf("option %q of decision %q (taken in %d runs)", o.Name, d.Name, taken))
		}
	}
	if len(by) > 0 {
		why = append(why, "It is triggered by "+strings.Join(by, ", ")+".")
	}
	if len(why) == 0 {
		return "Nothing starts it: give it at or when, or name it in a decision option's triggers."
	}
	return strings.Join(why, " ")
}

// DecisionEffect is what each option of a decision leads to, option
// against option, each forced on bots over the same seeds.
type DecisionEffect struct {
	Decision string
	// Skill is the ablest skill the decision was put to in at least half
	// of the runs: a dilemma that only arises for a slow team is judged on
	// slow runs. Empty when it was put to no skill that often.
	Skill bot.Skill
	Pairs []OptionPair
}

// OptionPair compares two options over the seeds where the decision was
// put in both runs.
type OptionPair struct {
	A, B string
	Runs int
	// Differ says the options led to measurably different places
	// (differ).
	Differ bool
}

// Matters reports whether every pair of options was compared and differed.
func (e DecisionEffect) Matters() bool {
	if e.Skill == "" {
		return false
	}
	for _, p := range e.Pairs {
		if p.Runs < score.MinRunsToCompare || !p.Differ {
			return false
		}
	}
	return true
}

// EffectOf plays opts.Runs seeds once per option of d, each time with the
// bots forced to take it, and compares the options pair by pair.
func EffectOf(ctx context.Context, sc *scenario.Scenario, d *scenario.Decision, opts SimOptions) (DecisionEffect, error) {
	out := DecisionEffect{Decision: d.Name}
	idx := slices.Index(liveDecisions(sc), d)
	options := nonNil(d.Options)
	for _, skill := range []bot.Skill{bot.Expert, bot.Practiced, bot.Novice} {
		by := map[string][]RunResult{}
		offered := 0
		for _, o := range options {
			so := opts
			so.Skill, so.Choices, so.Progress = skill, map[string]string{d.Name: o.Name}, nil
			sim, err := Simulate(ctx, sc, so)
			if err != nil {
				return DecisionEffect{}, err
			}
			by[o.Name] = sim.Runs
			for _, r := range sim.Runs {
				if r.Decisions[idx].Offered {
					offered++
				}
			}
		}
		if 2*offered < opts.Runs*len(options) {
			continue
		}
		out.Skill = skill
		for i, a := range options {
			for _, b := range options[i+1:] {
				var ra, rb []RunResult
				for s := range opts.Runs {
					x, y := by[a.Name][s], by[b.Name][s]
					if x.Decisions[idx].Offered && y.Decisions[idx].Offered {
						ra, rb = append(ra, x), append(rb, y)
					}
				}
				out.Pairs = append(out.Pairs, OptionPair{A: a.Name, B: b.Name, Runs: len(ra), Differ: len(ra) > 0 && differ(d.Name, ra, rb)})
			}
		}
		return out, nil
	}
	return out, nil
}

// checkDecisions warns of a decision two of whose options, each forced on
// bots over the same seeds, lead to the same place (differ): the same
// faults, injects, decisions, expectations and records in most runs, and
// no detectable difference in time to restore or overall score.
func checkDecisions(ctx context.Context, sc *scenario.Scenario, opts CheckOptions) ([]Finding, error) {
	var out []Finding
	for _, d := range liveDecisions(sc) {
		e, err := EffectOf(ctx, sc, d, SimOptions{Runs: opts.Runs, Seed: opts.Seed, Workers: opts.Workers})
		if err != nil {
			return nil, err
		}
		f := Finding{Block: scenario.KindDecision, Name: d.Name, Range: d.DefRange}
		var same []string
		for _, p := range e.Pairs {
			if !p.Differ {
				same = append(same, fmt.Sprintf("%s and %s (%d runs)", p.A, p.B, p.Runs))
			}
		}
		switch {
		case e.Skill == "":
			f.Level, f.Summary = NotJudged, "Decision seldom offered"
			f.Detail = fmt.Sprintf("Decision %q was put to its audience in fewer than half of the runs at every skill, so whether its options matter could not be judged.", d.Name)
		case len(same) > 0:
			f.Level, f.Summary = Warning, "Decision's options make no difference"
			f.Detail = fmt.Sprintf("Forced on %s bots over the same seeds, %s led to the same faults, injects, decisions, expectations and records, with no detectable difference in time to restore or overall score. If the choice should matter, give the options triggers or let a condition read decision.%s.choice.",
				e.Skill, andList(same), d.Name)
		default:
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// differ is the test of whether two groups of runs of one skill, on the
// same seeds, went to different places: what followed differs in most runs
// (footprint), or time to restore or the overall score does (their medians'
// bootstrap intervals do not overlap).
func differ(decision string, a, b []RunResult) bool {
	if !maps.Equal(footprint(decision, a), footprint(decision, b)) {
		return true
	}
	ra, rb := restoreTimes(a), restoreTimes(b)
	if len(ra) > 0 && len(rb) > 0 {
		if v := score.Compare(ra, rb).Verdict; v == score.Shorter || v == score.Longer {
			return true
		}
	}
	sa, sb := score.SummarizeScores(percents(a)).MedianCI, score.SummarizeScores(percents(b)).MedianCI
	return sa[0] > sb[1] || sb[0] > sa[1]
}

// footprint is what followed in more than half of the runs: faults
// started, injects fired, decisions offered (the decision itself aside),
// expectations met and the kinds of record opened. Expectations catch a
// choice a condition reads, which the overall score of a few runs may be
// too noisy to show.
func footprint(decision string, runs []RunResult) map[string]bool {
	seen := map[string]int{}
	for _, r := range runs {
		for _, f := range r.FaultsStarted {
			seen["fault."+f]++
		}
		for _, in := range r.Injects {
			if in.Fired {
				seen["inject."+in.Name]++
			}
		}
		for _, d := range r.Decisions {
			if d.Offered && d.Name != decision {
				seen["decision."+d.Name]++
			}
		}
		for _, e := range r.Expectations {
			if e.Verdict == Met {
				seen["expect."+e.Name]++
			}
		}
		for _, k := range r.Records {
			seen["record."+k]++
		}
	}
	out := map[string]bool{}
	for k, n := range seen {
		if 2*n > len(runs) {
			out[k] = true
		}
	}
	return out
}

func restoreTimes(runs []RunResult) []time.Duration {
	var out []time.Duration
	for _, r := range runs {
		if m, ok := r.Result.Measure(score.PhaseRestore); ok && !m.NotApplicable {
			out = append(out, m.Duration)
		}
	}
	return out
}

func percents(runs []RunResult) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = r.Overall.Percent
	}
	return out
}

// clockText is a virtual time as people read it in a diagnostic: "1h30m".
func clockText(d time.Duration) string {
	return scenario.FormatDuration(d.Round(time.Second))
}

// andList joins names for a sentence: "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
