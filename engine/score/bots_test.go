package score_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/session"
	"github.com/firedrill/firedrill/scenarios"
)

// TestExpertsOutscoreNovices scores real logs: every built-in scenario
// played by expert and by novice bots over several seeds. Experts must
// score more points over the seeds; every report must be recomputable and
// encodable. Seed by seed, luck may favour a novice now and then: the
// training-validity batch in engine/sim holds the ranking to 95% of 100
// paired seeds.
func TestExpertsOutscoreNovices(t *testing.T) {
	scs, diags := scenario.LoadLibrary(scenarios.Files)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	seeds := []uint64{1, 2, 3, 4}
	if testing.Short() {
		seeds = seeds[:2]
	}
	for _, sc := range scs {
		t.Run(sc.Name, func(t *testing.T) {
			var expertPts, novicePts float64
			for _, seed := range seeds {
				expert := play(t, sc, bot.Expert, seed)
				novice := play(t, sc, bot.Novice, seed)
				expertPts += expert.Overall.Points
				novicePts += novice.Overall.Points
				if expert.Overall.Max != novice.Overall.Max || expert.Overall.Max != score.Maximum(sc) {
					t.Errorf("seed %d: maxima %v and %v, want the scenario's %v", seed, expert.Overall.Max, novice.Overall.Max, score.Maximum(sc))
				}
			}
			if expertPts <= novicePts {
				t.Errorf("expert points %.1f ≤ novice %.1f over %d seeds", expertPts, novicePts, len(seeds))
			}
		})
	}
}

func play(t *testing.T, sc *scenario.Scenario, skill bot.Skill, seed uint64) score.Report {
	t.Helper()
	s, err := session.Run(sc, session.Options{Seed: seed, Skill: skill})
	x := s.Exercise()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := score.Score(sc, x.Log())
	if err != nil {
		t.Fatalf("%s seed %d: %v", skill, seed, err)
	}
	if again, _ := score.Score(sc, x.Log()); !reflect.DeepEqual(again, rep) {
		t.Fatalf("%s seed %d: scoring the same log twice differs", skill, seed)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Fatalf("%s seed %d: %v", skill, seed, err)
	}
	if len(rep.Expectations) != len(sc.Expects) || len(rep.Decisions) != len(sc.Decisions) || len(rep.Dimensions) != len(scenario.Dimensions()) {
		t.Fatalf("%s seed %d: %d expectations, %d decisions, %d dimensions", skill, seed, len(rep.Expectations), len(rep.Decisions), len(rep.Dimensions))
	}
	sum := 0.0
	for _, d := range rep.Dimensions {
		if d.Points < 0 || d.Points > d.Max+1e-9 {
			t.Errorf("%s seed %d: %s %v of %v", skill, seed, d.Dimension, d.Points, d.Max)
		}
		sum += d.Points
	}
	if fmt.Sprintf("%.6f", sum) != fmt.Sprintf("%.6f", rep.Overall.Points) {
		t.Errorf("%s seed %d: dimensions sum to %v, overall %v", skill, seed, sum, rep.Overall.Points)
	}
	return rep
}
