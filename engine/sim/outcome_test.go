package sim

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// flawed loads testdata/flawed.hcl, the scenario with one planted flaw of
// each kind the check finds.
func flawed(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, diags := scenario.NewLoader().LoadFile("testdata/flawed.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return sc
}

func simulate(t testing.TB, sc *scenario.Scenario, opts SimOptions) Simulation {
	t.Helper()
	s, err := Simulate(context.Background(), sc, opts)
	if err != nil {
		t.Fatalf("Simulate(%s): %v", sc.Name, err)
	}
	return s
}

// TestRunOutcome reads one expert run of the flawed scenario back, verdict
// by verdict, in the scenario's block order.
func TestRunOutcome(t *testing.T) {
	sc := flawed(t)
	r := simulate(t, sc, SimOptions{Runs: 1, Seed: 3, Skill: bot.Expert}).Runs[0]

	if r.Overall.Max != score.Maximum(sc) || r.Overall.Points <= 0 || r.Overall.Percent > 100 {
		t.Errorf("overall %+v, want points out of the scenario's maximum %v", r.Overall, score.Maximum(sc))
	}
	if len(r.Dimensions) != len(scenario.Dimensions()) {
		t.Errorf("%d dimensions, want %d", len(r.Dimensions), len(scenario.Dimensions()))
	}
	tests := []struct {
		what string
		got  any
		want any
	}{
		{"expectations", r.Expectations, []ExpectationVerdict{
			{Name: "restored", Verdict: Met, Earned: 20},
			{Name: "five-problems", Verdict: NotMet},
		}},
		{"causes", r.Causes, []CauseFixed{
			{Fault: "bad-deploy", Outcome: score.CauseFixed, Fixed: true},
			{Fault: "sleeper", Outcome: CauseNotStarted},
			{Fault: "flap", Outcome: score.CauseHealed},
		}},
		{"faults started", r.FaultsStarted, []string{"bad-deploy", "flap"}},
		{"decisions offered", offeredNames(r.Decisions), []string{"coin"}},
		{"injects fired", firedNames(r.Injects), []string{"call"}},
		{"injects listed", len(r.Injects), 2},
	}
	for _, tt := range tests {
		if g, w := mustJSON(t, tt.got), mustJSON(t, tt.want); g != w {
			t.Errorf("%s: got %s, want %s", tt.what, g, w)
		}
	}
	if d := r.Decisions[0]; d.Option == "" {
		t.Errorf("coin was offered but no option recorded: %+v", d)
	}
	if !slices.Contains(r.Records, "incident") {
		t.Errorf("records %v: the expert service desk opens an incident", r.Records)
	}
}

func offeredNames(ds []DecisionTaken) []string {
	var out []string
	for _, d := range ds {
		if d.Offered {
			out = append(out, d.Name)
		}
	}
	return out
}

func firedNames(ins []InjectFired) []string {
	var out []string
	for _, in := range ins {
		if in.Fired {
			out = append(out, in.Name)
		}
	}
	return out
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
