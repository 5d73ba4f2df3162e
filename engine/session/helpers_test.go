package session

import (
	"slices"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/exercise"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/scenarios"
)

// library loads every built-in scenario.
func library(t testing.TB) []*scenario.Scenario {
	t.Helper()
	scs, diags := scenario.LoadLibrary(scenarios.Files)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return scs
}

func load(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	sc, diags := scenario.NewLoader().Resolve(name, scenarios.Files)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	return sc
}

// run plays sc headless and fails the test on an error.
func run(t testing.TB, sc *scenario.Scenario, opts Options) *exercise.Exercise {
	t.Helper()
	s, err := Run(sc, opts)
	if err != nil {
		t.Fatalf("Run(%s): %v", sc.Name, err)
	}
	if !s.Exercise().Ended() {
		t.Fatalf("Run(%s) returned before the exercise ended", sc.Name)
	}
	return s.Exercise()
}

// ending returns the exercise's end event.
func ending(t testing.TB, x *exercise.Exercise) (time.Duration, string) {
	t.Helper()
	for _, e := range slices.Backward(x.Log()) {
		if d, ok := e.Data.(engine.EndedData); ok {
			return e.At, d.Reason
		}
	}
	t.Fatal("no exercise.ended event")
	return 0, ""
}
