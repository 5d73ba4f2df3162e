package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/scenarios"
)

// TestExpertsRestoreEveryScenario: expert bots in every seat take each
// built-in scenario to restoration; a discussion ends with every decision
// put to the bots answered by them, not by a timeout.
func TestExpertsRestoreEveryScenario(t *testing.T) {
	for _, sc := range library(t) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			x := run(t, sc, Options{Seed: 7, Skill: bot.Expert, EndOnRestore: true})
			at, reason := ending(t, x)
			if !sc.Discussion {
				if reason != "restored" {
					t.Fatalf("ended at %v for %q, want restored", at, reason)
				}
				return
			}
			offered, answered := 0, 0
			for _, e := range x.Log() {
				switch d := e.Data.(type) {
				case engine.DecisionData:
					offered++
				case engine.AnswerData:
					if d.By == "" {
						t.Errorf("decision %s timed out", d.Name)
					}
					answered++
				}
			}
			if offered == 0 || answered != offered {
				t.Errorf("%d decisions offered, %d answered", offered, answered)
			}
		})
	}
}

// TestExpertsAreNeverRefused: experts know the process; none of their
// actions is refused.
func TestExpertsAreNeverRefused(t *testing.T) {
	for _, sc := range library(t) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			for seed := uint64(1); seed <= 6; seed++ {
				// Half the runs go on to the scenario's end, past restoration.
				opts := Options{Seed: seed, Skill: bot.Expert, EndOnRestore: seed%2 == 0}
				for _, e := range run(t, sc, opts).Log() {
					if d, ok := e.Data.(engine.RefusedData); ok {
						t.Errorf("seed %d: %s's %s refused at %v: %s", seed, e.Actor, d.Action.Op, e.At, d.Reason)
					}
				}
			}
		})
	}
}

// TestDeterministic: the same scenario, seed and skill give byte-identical
// event logs.
func TestDeterministic(t *testing.T) {
	for _, sc := range library(t) {
		for _, skill := range bot.Skills() {
			t.Run(sc.Name+"/"+string(skill), func(t *testing.T) {
				t.Parallel()
				opts := Options{Seed: 42, Skill: skill, EndOnRestore: true}
				a, err := json.Marshal(run(t, sc, opts).Log())
				if err != nil {
					t.Fatal(err)
				}
				b, err := json.Marshal(run(t, sc, opts).Log())
				if err != nil {
					t.Fatal(err)
				}
				if string(a) != string(b) {
					t.Fatalf("two runs with seed 42 differ (%d and %d bytes)", len(a), len(b))
				}
			})
		}
	}
}

// TestSeedsMatter: different seeds give different runs, so the
// determinism above is not a constant.
func TestSeedsMatter(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	a, _ := json.Marshal(run(t, sc, Options{Seed: 1, Skill: bot.Practiced}).Log())
	b, _ := json.Marshal(run(t, sc, Options{Seed: 2, Skill: bot.Practiced}).Log())
	if string(a) == string(b) {
		t.Fatal("seeds 1 and 2 gave the same log")
	}
}

// TestBotsSeeOnlyTheirAudience watches every event shown to every bot.
func TestBotsSeeOnlyTheirAudience(t *testing.T) {
	for _, sc := range library(t) {
		for _, skill := range []bot.Skill{bot.Expert, bot.Novice} {
			t.Run(sc.Name+"/"+string(skill), func(t *testing.T) {
				t.Parallel()
				shown := 0
				opts := Options{Seed: 3, Skill: skill, EndOnRestore: true, observe: func(v engine.Viewer, ev engine.Event) {
					shown++
					if !ev.To.Sees(v) {
						t.Errorf("%s (%s) was shown event %d (%s) addressed to %+v", v.Name, v.Role, ev.Seq, ev.Kind, ev.To)
					}
					switch d := ev.Data.(type) {
					case engine.InjectData:
						if d.About != "" || d.Record != "" {
							t.Errorf("%s was shown inject %s with its ground truth", v.Name, d.Name)
						}
					case engine.AnswerData:
						if d.Score != 0 {
							t.Errorf("%s was shown the score of %s's option", v.Name, d.Name)
						}
					case engine.WorldData, engine.RootClaimData, engine.ExpectData:
						t.Errorf("%s was shown ground truth: %s", v.Name, ev.Kind)
					}
				}}
				run(t, sc, opts)
				if shown == 0 {
					t.Fatal("no event was shown to any bot")
				}
			})
		}
	}
}

// TestHumansKeepTheirSeats: no bot acts in a seat a human holds.
func TestHumansKeepTheirSeats(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	kim, _ := sc.Seat("kim")
	im, _ := sc.Seat(engine.SeatIncidentManager)
	humans := []engine.Seat{im, kim}
	x := run(t, sc, Options{Seed: 5, Skill: bot.Expert, Humans: humans, EndOnRestore: true})
	for _, e := range x.Log() {
		if e.Kind == engine.KindAction && (e.Actor == "kim" || e.Actor == engine.SeatIncidentManager) {
			t.Errorf("a bot acted in a human's seat: %s at %v", e.Actor, e.At)
		}
	}
}

// TestRefusedActionsAreNotRetried: after a refusal a bot never asks for the
// same thing again.
func TestRefusedActionsAreNotRetried(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	for seed := uint64(1); seed <= 5; seed++ {
		seen := map[string]bool{}
		for _, e := range run(t, sc, Options{Seed: seed, Skill: bot.Novice, EndOnRestore: true}).Log() {
			d, ok := e.Data.(engine.RefusedData)
			if !ok {
				continue
			}
			a := d.Action
			a.ID = ""
			k := fmt.Sprintf("%s/%s/%+v", e.Actor, d.Role, a)
			if seen[k] {
				t.Errorf("seed %d: %s retried a refused %s at %v", seed, e.Actor, d.Action.Op, e.At)
			}
			seen[k] = true
		}
	}
}

// TestBotsWorkWithoutDashboards: the egress outage with the monitoring
// tool taken down with it. Expert bots read the logs instead, never ask a
// tool that is down, and still restore service.
func TestBotsWorkWithoutDashboards(t *testing.T) {
	src, err := fs.ReadFile(scenarios.Files, "egress-proxy-saturation.hcl")
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "  fault \"px01-conn-table-exhausted\" {\n"
	if !bytes.Contains(src, []byte(anchor)) {
		t.Fatal("the egress scenario's root cause moved")
	}
	src = bytes.Replace(src, []byte(anchor), []byte(anchor+"    tools_down = [\"telemetry\"]\n"), 1)
	sc, diags := scenario.NewLoader().Load("egress-blind.hcl", src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		x := run(t, sc, Options{Seed: seed, Skill: bot.Expert, EndOnRestore: true})
		for _, e := range x.Log() {
			if d, ok := e.Data.(engine.RefusedData); ok {
				if d.Action.Op == engine.OpQueryTelemetry {
					t.Errorf("seed %d: %s asked the telemetry tool while it was down (%v: %s)", seed, e.Actor, e.At, d.Reason)
				}
			}
		}
		if at, reason := ending(t, x); reason != "restored" {
			t.Errorf("seed %d: ended at %v for %q, want restored", seed, at, reason)
		}
	}
}
