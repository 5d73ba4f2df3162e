package sim

import (
	"slices"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/exercise"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/session"
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
func run(t testing.TB, sc *scenario.Scenario, opts session.Options) *exercise.Exercise {
	t.Helper()
	s, err := session.Run(sc, opts)
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

// finished is how long a run took to get its job done: the time to
// restore as the review measures it (censored at the end of the exercise
// when service never came back), or for a discussion the time of the last
// decision answered.
func finished(t testing.TB, sc *scenario.Scenario, x *exercise.Exercise) time.Duration {
	t.Helper()
	if !sc.Discussion {
		r, err := score.Measures(sc, x.Log())
		if err != nil {
			t.Fatalf("score.Measures: %v", err)
		}
		m, ok := r.Measure(score.PhaseRestore)
		if !ok {
			t.Fatal("no restore measure")
		}
		return m.Duration
	}
	var last time.Duration
	for _, e := range x.Log() {
		if e.Kind == engine.KindAnswered {
			last = e.At
		}
	}
	return last
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
