package bot

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/engine/scenario"
)

func TestParseSkill(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Skill
		wantErr bool
	}{
		{"novice", Novice, false},
		{"Practiced", Practiced, false},
		{" EXPERT ", Expert, false},
		{"guru", "", true},
		{"", "", true},
	} {
		got, err := ParseSkill(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseSkill(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestExpertsRestoreEveryScenario: expert bots in every seat take each
// built-in scenario to restoration; a discussion ends with every decision
// put to the bots answered by them, not by a timeout.
func TestExpertsRestoreEveryScenario(t *testing.T) {
	for _, sc := range library(t) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			x := run(t, sc, RunOptions{Seed: 7, Skill: Expert, EndOnRestore: true})
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
				opts := RunOptions{Seed: seed, Skill: Expert, EndOnRestore: seed%2 == 0}
				for _, e := range run(t, sc, opts).Log() {
					if d, ok := e.Data.(engine.RefusedData); ok {
						t.Errorf("seed %d: %s's %s refused at %v: %s", seed, e.Actor, d.Action.Op, e.At, d.Reason)
					}
				}
			}
		})
	}
}

// TestNovicesAreSlower: over 20 seeds, novices take longer to restore (or,
// in a discussion, to answer the last decision) than experts, and
// practiced bots sit in between.
func TestNovicesAreSlower(t *testing.T) {
	const seeds = 20
	for _, sc := range library(t) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			medians := map[Skill]string{}
			var got []float64
			for _, skill := range []Skill{Expert, Practiced, Novice} {
				var times []time.Duration
				for seed := uint64(1); seed <= seeds; seed++ {
					x := run(t, sc, RunOptions{Seed: seed, Skill: skill, EndOnRestore: true})
					times = append(times, finished(t, sc, x))
				}
				m := median(times)
				medians[skill] = m.String()
				got = append(got, m.Minutes())
			}
			t.Logf("median over %d seeds: expert %s, practiced %s, novice %s", seeds, medians[Expert], medians[Practiced], medians[Novice])
			if !(got[0] < got[2]) || (!sc.Discussion && !(got[0] < got[1] && got[1] < got[2])) {
				t.Errorf("medians expert %s, practiced %s, novice %s: want expert < practiced < novice",
					medians[Expert], medians[Practiced], medians[Novice])
			}
		})
	}
}

// TestDeterministic: the same scenario, seed and skill give byte-identical
// event logs.
func TestDeterministic(t *testing.T) {
	for _, sc := range library(t) {
		for _, skill := range Skills {
			t.Run(sc.Name+"/"+string(skill), func(t *testing.T) {
				t.Parallel()
				opts := RunOptions{Seed: 42, Skill: skill, EndOnRestore: true}
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
	a, _ := json.Marshal(run(t, sc, RunOptions{Seed: 1, Skill: Practiced}).Log())
	b, _ := json.Marshal(run(t, sc, RunOptions{Seed: 2, Skill: Practiced}).Log())
	if string(a) == string(b) {
		t.Fatal("seeds 1 and 2 gave the same log")
	}
}

// TestBotsSeeOnlyTheirAudience watches every event shown to every bot.
func TestBotsSeeOnlyTheirAudience(t *testing.T) {
	for _, sc := range library(t) {
		for _, skill := range []Skill{Expert, Novice} {
			t.Run(sc.Name+"/"+string(skill), func(t *testing.T) {
				t.Parallel()
				shown := 0
				opts := RunOptions{Seed: 3, Skill: skill, EndOnRestore: true, observe: func(v engine.Viewer, ev engine.Event) {
					shown++
					if !ev.To.Sees(v) {
						t.Errorf("%s (%s) was shown event %d (%s) addressed to %+v", v.Name, v.Role, ev.Seq, ev.Kind, ev.To)
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

// groundTruth lists the types a bot must not be able to hold: the scenario
// and its answer key, the simulated world and the exercise itself.
var groundTruth = []string{
	"engine/scenario.Scenario", "engine/scenario.Fault", "engine/scenario.Remedy", "engine/scenario.Option",
	"engine/scenario.Decision", "engine/scenario.Inject", "engine/scenario.Service", "engine/scenario.RunbookStep",
	"engine/scenario.Expect", "engine/world.World", "engine/world.FaultState", "exercise.Exercise",
}

// holds lists the ground-truth types reachable through ty's fields.
func holds(ty reflect.Type) []string {
	var out []string
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		if seen[ty] {
			return
		}
		seen[ty] = true
		name := ty.PkgPath() + "." + ty.Name()
		for _, g := range groundTruth {
			if strings.HasSuffix(name, "/"+g) {
				out = append(out, name)
			}
		}
		switch ty.Kind() {
		case reflect.Map:
			walk(ty.Key())
			walk(ty.Elem())
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(ty.Elem())
		case reflect.Struct:
			for i := range ty.NumField() {
				walk(ty.Field(i).Type)
			}
		}
	}
	walk(ty)
	return out
}

// TestBotHoldsNoGroundTruth: nothing in a Bot can hold the scenario, its
// faults or the simulated world; it keeps only the directory.
func TestBotHoldsNoGroundTruth(t *testing.T) {
	if got := holds(reflect.TypeFor[Bot]()); len(got) > 0 {
		t.Errorf("a Bot can hold %v", got)
	}
	// The walk itself must see through pointers, slices and maps.
	type leaky struct {
		m map[string][]*scenario.Fault
	}
	if got := holds(reflect.TypeFor[leaky]()); len(got) != 1 {
		t.Errorf("holds(leaky) = %v, want the fault type", got)
	}
}

// TestHumansKeepTheirSeats: no bot acts in a seat a human holds.
func TestHumansKeepTheirSeats(t *testing.T) {
	sc := load(t, "egress-proxy-saturation")
	humans := []engine.Actor{{Name: "alex", Role: incident.RoleIncidentManager}, {Name: "kim", Role: incident.RoleTechnician}}
	x := run(t, sc, RunOptions{Seed: 5, Skill: Expert, Humans: humans, EndOnRestore: true})
	for _, e := range x.Log() {
		if e.Kind == engine.KindAction && (e.Actor == "kim" || e.Actor == IncidentManagerName) {
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
		for _, e := range run(t, sc, RunOptions{Seed: seed, Skill: Novice, EndOnRestore: true}).Log() {
			d, ok := e.Data.(engine.RefusedData)
			if !ok {
				continue
			}
			k := fmt.Sprintf("%s/%s/%s", e.Actor, d.Role, key(d.Action))
			if seen[k] {
				t.Errorf("seed %d: %s retried a refused %s at %v", seed, e.Actor, d.Action.Op, e.At)
			}
			seen[k] = true
		}
	}
}
