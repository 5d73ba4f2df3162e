package sim

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/session"
)

// The training-validity batch is heavy (five scenarios × 100 seeds × three
// skills, and every option of every decision): `make test-validity` runs
// it, `make test` does not.
var validitySeeds = flag.Int("validity-seeds", 0, "seeds per skill for the training-validity tests (0 skips them; CI uses 100)")

// validityRun is what one run did, as the validity checks compare runs.
type validityRun struct {
	percent  float64
	restore  time.Duration
	censored bool
	// met says, per expectation, whether the run met it in time to earn
	// credit, or gave no occasion for it.
	met map[string]bool
	// path is what the world and the story did: fault, inject and
	// decision events in order, for telling decisions' consequences apart.
	path string
	// offered are the decisions put to the team.
	offered map[string]bool
}

func play(t *testing.T, sc *scenario.Scenario, opts session.Options) validityRun {
	t.Helper()
	x := run(t, sc, opts)
	rep, err := score.Score(sc, x.Log())
	if err != nil {
		t.Fatalf("score %s seed %d: %v", sc.Name, opts.Seed, err)
	}
	o := validityRun{percent: rep.Overall.Percent, met: map[string]bool{}, offered: map[string]bool{}}
	if m, ok := rep.Result.Measure(score.PhaseRestore); ok {
		o.restore, o.censored = m.Duration, m.Censored
	}
	for _, e := range rep.Expectations {
		o.met[e.Name] = (e.Met && e.Earned > 0) || e.NotApplicable || e.NotReached
	}
	var path []string
	for _, e := range x.Log() {
		switch d := e.Data.(type) {
		case engine.WorldData:
			path = append(path, d.Change+":"+d.Fault)
		case engine.InjectData:
			path = append(path, "inject:"+d.Name)
		case engine.DecisionData:
			path = append(path, "offered:"+d.Name)
			o.offered[d.Name] = true
		}
	}
	o.path = strings.Join(path, " ")
	return o
}

// batch plays seeds 1..n of sc at one skill, in parallel.
func batch(t *testing.T, sc *scenario.Scenario, n int, opts session.Options) []validityRun {
	t.Helper()
	out := make([]validityRun, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o := opts
			o.Seed, o.EndOnRestore = uint64(i+1), true
			out[i] = play(t, sc, o)
		}()
	}
	wg.Wait()
	return out
}

// TestTrainingValidity: a scenario's score must rank skill, not luck. Over
// paired seeds (common random numbers: the same seed draws the same luck
// for every skill), expert ≥ practiced ≥ novice on the overall score in
// 95% of pairs, experts restore service before novices in 95%, each skill's
// time to restore varies, and experts meet every expectation in 90% of
// runs (in time for credit, or with no occasion to).
func TestTrainingValidity(t *testing.T) {
	n := *validitySeeds
	if n == 0 {
		t.Skip("heavy: run with -validity-seeds=100 (make test-validity)")
	}
	for _, sc := range library(t) {
		t.Run(sc.Name, func(t *testing.T) {
			runs := map[bot.Skill][]validityRun{}
			for _, k := range bot.Skills() {
				runs[k] = batch(t, sc, n, session.Options{Skill: k})
			}
			ex, pr, no := runs[bot.Expert], runs[bot.Practiced], runs[bot.Novice]
			ranked, faster := 0, 0
			for i := range n {
				if ex[i].percent >= pr[i].percent && pr[i].percent >= no[i].percent {
					ranked++
				}
				if ex[i].restore < no[i].restore {
					faster++
				}
			}
			t.Logf("overall ranked in %d of %d pairs; expert faster than novice in %d", ranked, n, faster)
			for _, k := range bot.Skills() {
				var ps []float64
				var rs []time.Duration
				for _, o := range runs[k] {
					ps = append(ps, o.percent)
					rs = append(rs, o.restore)
				}
				slices.Sort(ps)
				slices.Sort(rs)
				t.Logf("%-9s score median %.1f (min %.1f, max %.1f); restore median %v (min %v, max %v)",
					k, ps[len(ps)/2], ps[0], ps[len(ps)-1], rs[len(rs)/2], rs[0], rs[len(rs)-1])
				if rs[0] == rs[len(rs)-1] {
					t.Errorf("%s: every run restored at %v: luck plays no part", k, rs[0])
				}
			}
			if float64(ranked) < 0.95*float64(n) {
				t.Errorf("expert ≥ practiced ≥ novice in %d of %d paired seeds, want 95%%", ranked, n)
			}
			if float64(faster) < 0.95*float64(n) {
				t.Errorf("experts restored before novices in %d of %d paired seeds, want 95%%", faster, n)
			}
			for _, x := range sc.Expects {
				met := map[bot.Skill]int{}
				var missed []int
				for _, k := range bot.Skills() {
					for i, o := range runs[k] {
						if o.met[x.Name] {
							met[k]++
						} else if k == bot.Expert {
							missed = append(missed, i+1)
						}
					}
				}
				t.Logf("expectation %-32s met by expert %3d, practiced %3d, novice %3d of %d; experts missed seeds %v",
					x.Name, met[bot.Expert], met[bot.Practiced], met[bot.Novice], n, missed[:min(len(missed), 8)])
				if float64(met[bot.Expert]) < 0.9*float64(n) {
					t.Errorf("expectation %s: experts meet it in %d of %d runs, want 90%%", x.Name, met[bot.Expert], n)
				}
			}
			var unranked []string
			for i := range n {
				if !(ex[i].percent >= pr[i].percent && pr[i].percent >= no[i].percent) && len(unranked) < 6 {
					unranked = append(unranked, fmt.Sprintf("seed %d: %.1f/%.1f/%.1f", i+1, ex[i].percent, pr[i].percent, no[i].percent))
				}
			}
			t.Logf("unranked pairs (expert/practiced/novice): %v", unranked)
		})
	}
}

// TestDecisionsMatter: every option of every built-in decision, forced on
// bots over the same seeds, leads somewhere else (EffectOf, the rule the
// scenario check applies).
func TestDecisionsMatter(t *testing.T) {
	n := *validitySeeds
	if n == 0 {
		t.Skip("heavy: run with -validity-seeds=100 (make test-validity)")
	}
	for _, sc := range library(t) {
		for _, d := range sc.Decisions {
			t.Run(sc.Name+"/"+d.Name, func(t *testing.T) {
				e, err := EffectOf(context.Background(), sc, d, SimOptions{Runs: max(n/5, 10), Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range e.Pairs {
					t.Logf("%s (%s bots): %s vs %s over %d runs: differ %v", d.Name, e.Skill, p.A, p.B, p.Runs, p.Differ)
				}
				if !e.Matters() {
					t.Errorf("%s: options lead to the same place (judged on %q bots): %+v", d.Name, e.Skill, e.Pairs)
				}
			})
		}
	}
}
