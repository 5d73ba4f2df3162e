package sim

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/score"
)

// TestSimulateSkillsPairsSeeds: skills come back least able first, each on
// the same seeds as the others, each the same batch Simulate gives alone.
func TestSimulateSkillsPairsSeeds(t *testing.T) {
	sc := flawed(t)
	var progress []int
	opts := SimOptions{Runs: 4, Seed: 7, Workers: 2, Progress: func(done, total int) {
		if total != 8 {
			t.Errorf("progress total %d, want 8", total)
		}
		progress = append(progress, done)
	}}
	got, err := SimulateSkills(context.Background(), sc, opts, []bot.Skill{bot.Expert, bot.Novice, bot.Expert})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Skills) != 2 || got.Skills[0].Skill != bot.Novice || got.Skills[1].Skill != bot.Expert {
		t.Fatalf("skills %v, want novice then expert once each", skillsOf(got))
	}
	slices.Sort(progress)
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8}; !slices.Equal(progress, want) {
		t.Errorf("progress %v, want %v", progress, want)
	}
	alone := simulate(t, sc, SimOptions{Runs: 4, Seed: 7, Skill: bot.Expert})
	if mustJSON(t, alone) != mustJSON(t, got.Skills[1]) {
		t.Error("the expert batch differs from Simulate's alone")
	}
	if !got.Exercise || got.Paired.Seeds != 4 || got.Paired.Least != bot.Novice || got.Paired.Most != bot.Expert {
		t.Errorf("document %+v", got.Paired)
	}
	// The flawed scenario is easy: experts restore sooner on every seed.
	if got.Paired.Faster != 4 || got.Paired.FasterOf != 4 || got.Paired.FasterFraction != 1 {
		t.Errorf("paired %+v: want experts faster on 4 of 4 seeds", got.Paired)
	}
}

func skillsOf(s Skills) []bot.Skill {
	var out []bot.Skill
	for _, x := range s.Skills {
		out = append(out, x.Skill)
	}
	return out
}

func TestSimulateSkillsRejects(t *testing.T) {
	sc := flawed(t)
	for _, skills := range [][]bot.Skill{nil, {bot.Expert, "wizard"}} {
		if _, err := SimulateSkills(context.Background(), sc, SimOptions{Runs: 1}, skills); err == nil {
			t.Errorf("skills %v accepted", skills)
		}
	}
}

// TestPair: the paired fractions on made-up runs, one seed per case.
func TestPair(t *testing.T) {
	run := func(points float64, restore time.Duration, censored, na bool) RunResult {
		return RunResult{
			Overall: score.Total{Points: points},
			Result: score.Result{Measures: []score.Measure{
				{Phase: score.PhaseRestore, Duration: restore, Censored: censored || na, NotApplicable: na},
			}},
		}
	}
	const m = time.Minute
	tests := []struct {
		name                   string
		novice, practiced, exp RunResult
		ordered, faster, of    int
	}{
		{"in order and faster", run(10, 60*m, false, false), run(20, 40*m, false, false), run(30, 20*m, false, false), 1, 1, 1},
		{"ties are in order", run(20, 60*m, false, false), run(20, 40*m, false, false), run(20, 60*m, false, false), 1, 0, 1},
		{"practiced above expert", run(10, 60*m, false, false), run(40, 40*m, false, false), run(30, 20*m, false, false), 0, 1, 1},
		{"novice never restored", run(10, 90*m, true, false), run(20, 90*m, true, false), run(30, 80*m, false, false), 1, 1, 1},
		{"neither restored", run(10, 90*m, true, false), run(20, 90*m, true, false), run(30, 90*m, true, false), 1, 0, 1},
		{"expert never restored", run(10, 30*m, false, false), run(20, 90*m, true, false), run(30, 90*m, true, false), 1, 0, 1},
		{"a discussion has no restore", run(10, 0, false, true), run(20, 0, false, true), run(30, 0, false, true), 1, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sims := []Simulation{
				{Skill: bot.Novice, Runs: []RunResult{tt.novice}},
				{Skill: bot.Practiced, Runs: []RunResult{tt.practiced}},
				{Skill: bot.Expert, Runs: []RunResult{tt.exp}},
			}
			p := pair(sims)
			if p.Seeds != 1 || p.Ordered != tt.ordered || p.Faster != tt.faster || p.FasterOf != tt.of {
				t.Fatalf("pair = %+v; want ordered %d, faster %d of %d", p, tt.ordered, tt.faster, tt.of)
			}
		})
	}
}
