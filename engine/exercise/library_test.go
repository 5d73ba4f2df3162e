package exercise

import (
	"encoding/json"
	"testing"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/scenarios"
)

func library(t testing.TB) []*scenario.Scenario {
	t.Helper()
	scs, diags := scenario.LoadLibrary(scenarios.Files)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return scs
}

// TestLibraryRunsUnattended runs every built-in scenario with nobody acting:
// it must reach its end, start its root cause, and log only events that
// encode.
func TestLibraryRunsUnattended(t *testing.T) {
	for _, sc := range library(t) {
		t.Run(sc.Name, func(t *testing.T) {
			x, err := New(sc, Options{Seed: 3, HasSeed: true})
			if err != nil {
				t.Fatal(err)
			}
			x.Start()
			x.Advance(sc.Duration)
			if !x.Ended() {
				t.Fatal("did not end at its duration")
			}
			if len(kinds(x.Log(), engine.KindInject)) == 0 {
				t.Fatal("no inject was delivered")
			}
			if !sc.Discussion && len(kinds(x.Log(), engine.KindAlertFired)) == 0 {
				t.Fatal("nothing alerted in a telemetry scenario nobody worked")
			}
			for _, e := range x.Log() {
				if _, err := json.Marshal(e); err != nil {
					t.Fatalf("event %d (%s): %v", e.Seq, e.Kind, err)
				}
			}
		})
	}
}

// BenchmarkExerciseUnattended runs the largest built-in scenario for its
// whole duration with nobody acting: the engine's own cost per exercise.
func BenchmarkExerciseUnattended(b *testing.B) {
	var largest *scenario.Scenario
	for _, sc := range library(b) {
		if largest == nil || len(sc.Services) > len(largest.Services) {
			largest = sc
		}
	}
	b.ReportMetric(float64(len(largest.Services)), "services")
	for b.Loop() {
		x, _ := New(largest, Options{Seed: 1, HasSeed: true})
		x.Start()
		x.Advance(largest.Duration)
	}
}
