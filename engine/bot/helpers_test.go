package bot

import (
	"testing"

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
