package sim

import (
	"context"
	"fmt"
	"slices"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// Skills is batches of one scenario at several bot skills on the same
// seeds, so run i of every skill is the same seed: paired, like with like.
type Skills struct {
	Scenario string       `json:"scenario"`
	Seed     uint64       `json:"seed"`
	Runs     int          `json:"runs"`   // per skill
	Skills   []Simulation `json:"skills"` // least able first
	Paired   Paired       `json:"paired"`
	// Exercise marks the output as exercise data, never production metrics.
	Exercise bool `json:"exercise"`
}

// Paired is what the paired seeds say about the skills' order: whether
// more able bots score and restore better on the same seed.
type Paired struct {
	// Least and Most are the least and most able skills compared.
	Least bot.Skill `json:"least"`
	Most  bot.Skill `json:"most"`
	// Ordered counts the seeds on which every skill scored at least as
	// much overall as every less able one (expert ≥ practiced ≥ novice);
	// of Seeds.
	Seeds           int     `json:"seeds"`
	Ordered         int     `json:"ordered"`
	OrderedFraction float64 `json:"ordered_fraction"`
	// Faster counts the seeds on which Most restored sooner than Least,
	// of FasterOf: the seeds where time to restore applies to both (none
	// in a discussion). A run that never restored is slower than one that
	// did, and two that never did are not compared as faster.
	Faster         int     `json:"faster"`
	FasterOf       int     `json:"faster_of"`
	FasterFraction float64 `json:"faster_fraction"`
}

// SimulateSkills runs Simulate for each skill on the same seeds, least
// able first whatever the order asked; opts.Skill is ignored. Progress
// counts the runs of every skill together.
func SimulateSkills(ctx context.Context, sc *scenario.Scenario, opts SimOptions, skills []bot.Skill) (Skills, error) {
	order, err := sortSkills(skills)
	if err != nil {
		return Skills{}, err
	}
	out := Skills{Scenario: sc.Name, Seed: opts.Seed, Runs: opts.Runs, Exercise: true}
	progress := opts.Progress
	for k, skill := range order {
		o := opts
		o.Skill = skill
		o.KeepFirstLog = opts.KeepFirstLog && k == 0
		if progress != nil {
			o.Progress = func(done, total int) { progress(k*total+done, len(order)*total) }
		}
		s, err := Simulate(ctx, sc, o)
		if err != nil {
			return Skills{}, fmt.Errorf("%s bots: %w", skill, err)
		}
		out.Skills = append(out.Skills, s)
	}
	out.Paired = pair(out.Skills)
	return out, nil
}

// sortSkills checks skills and puts them least able first, without
// repeats.
func sortSkills(skills []bot.Skill) ([]bot.Skill, error) {
	if len(skills) == 0 {
		return nil, fmt.Errorf("sim: name at least one skill: %v", bot.Skills())
	}
	var out []bot.Skill
	for _, known := range bot.Skills() {
		if slices.Contains(skills, known) {
			out = append(out, known)
		}
	}
	for _, s := range skills {
		if !slices.Contains(out, s) {
			_, err := bot.ParseSkill(string(s))
			return nil, err
		}
	}
	return out, nil
}

// pair compares the skills seed by seed; sims are least able first, with
// the same seeds in the same order.
func pair(sims []Simulation) Paired {
	if len(sims) < 2 {
		return Paired{}
	}
	least, most := sims[0], sims[len(sims)-1]
	p := Paired{Least: least.Skill, Most: most.Skill, Seeds: len(least.Runs)}
	for i := range least.Runs {
		ordered := true
		for k := 1; k < len(sims); k++ {
			if sims[k].Runs[i].Overall.Points < sims[k-1].Runs[i].Overall.Points {
				ordered = false
			}
		}
		if ordered {
			p.Ordered++
		}
		l, okL := least.Runs[i].Result.Measure(score.PhaseRestore)
		m, okM := most.Runs[i].Result.Measure(score.PhaseRestore)
		if !okL || !okM || l.NotApplicable || m.NotApplicable {
			continue
		}
		p.FasterOf++
		if !m.Censored && (l.Censored || m.Duration < l.Duration) {
			p.Faster++
		}
	}
	p.OrderedFraction = fraction(p.Ordered, p.Seeds)
	p.FasterFraction = fraction(p.Faster, p.FasterOf)
	return p
}

func fraction(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
