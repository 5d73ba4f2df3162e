package exercise

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/facts"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/scenarios"
)

// randomInput is a plausible input from a random seat: a random op with
// names drawn from the scenario and the records so far. Most are refused;
// enough are taken to move every part of the state.
func randomInput(rng *rand.Rand, sc *scenario.Scenario, x *Exercise) engine.Input {
	pick := func(names []string) string {
		if len(names) == 0 {
			return ""
		}
		return names[rng.IntN(len(names))]
	}
	var services, groups, remedies, runbooks, vendors, injects, decisions, records, pages []string
	for _, s := range sc.Services {
		services = append(services, s.Name)
	}
	for _, g := range sc.Groups {
		groups = append(groups, g.Name)
	}
	for _, r := range sc.Remedies {
		remedies = append(remedies, r.Name)
	}
	for _, r := range sc.Runbooks {
		runbooks = append(runbooks, r.Name)
	}
	for _, v := range sc.Vendors {
		vendors = append(vendors, v.Name)
	}
	for _, in := range sc.Injects {
		injects = append(injects, in.Name)
	}
	for _, d := range sc.Decisions {
		decisions = append(decisions, d.Name)
	}
	rs := x.Records()
	for _, inc := range rs.Incidents {
		records = append(records, inc.Number)
	}
	for _, c := range rs.Changes {
		records = append(records, c.Number)
	}
	for _, t := range rs.Tasks {
		records = append(records, t.Number)
	}
	for _, w := range rs.WarRooms {
		records = append(records, w.Number)
	}
	for _, p := range rs.Pages {
		pages = append(pages, p.Page)
	}
	ops := engine.Ops()
	op := ops[rng.IntN(len(ops))]
	if op == engine.OpEnd || op == engine.OpPause {
		op = engine.OpCreateIncident
	}
	levels := engine.Levels()
	a := engine.Action{
		Op: op, Record: pick(records), Parent: pick(records), Page: pick(pages), Group: pick(groups),
		Service: pick(services), Remedy: pick(remedies), Runbook: pick(runbooks), Vendor: pick(vendors),
		Decision: pick(decisions), Inject: pick(injects), Text: "words", Impact: levels[rng.IntN(3)], Urgency: levels[rng.IntN(3)],
		For: 5 * time.Minute, Rating: 3, Speed: 10, Emergency: true, Milestone: engine.MilestoneDetected,
	}
	if rb := sc.Runbook(a.Runbook); rb != nil && len(rb.Steps) > 0 {
		a.Step = rb.Steps[rng.IntN(len(rb.Steps))].Name
	}
	if d := sc.Decision(a.Decision); d != nil && len(d.Options) > 0 {
		a.Option = d.Options[rng.IntN(len(d.Options))].Name
	}
	if rng.IntN(4) == 0 {
		return engine.Act(engine.Actor{Name: "f", Role: engine.RoleFacilitator}, a)
	}
	seats := sc.Seats()
	st := seats[rng.IntN(len(seats))]
	return engine.Act(st.Actor(st.Roles[rng.IntN(len(st.Roles))]), a)
}

// TestFactsEqualState: the state conditions read, folded from the log
// (engine/facts), equals the state straight from the exercise at every
// point the story is evaluated, over random inputs to every built-in
// scenario.
func TestFactsEqualState(t *testing.T) {
	scs, diags := scenario.LoadLibrary(scenarios.Files)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	all := map[string]bool{}
	for _, n := range facts.Names() {
		all[n] = true
	}
	for _, sc := range scs {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/%d", sc.Name, seed), func(t *testing.T) {
				x, err := New(sc, Options{Seed: seed, HasSeed: true})
				if err != nil {
					t.Fatal(err)
				}
				x.Start()
				rng := rand.New(rand.NewPCG(seed, 99))
				compared := 0
				for now := StoryEvery; now <= sc.Duration && !x.Ended(); now += StoryEvery {
					x.Advance(now - time.Second)
					for range rng.IntN(6) {
						_, _ = x.Apply(randomInput(rng, sc, x))
					}
					x.Advance(now)
					if x.Ended() {
						break // the end comes before the tick: nothing is evaluated then
					}
					want := x.directScope(all)
					got := x.facts.Scope(facts.Names())
					if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b cty.Value) bool { return a.Equals(b).True() })); diff != "" {
						t.Fatalf("at %v the facts of the log differ from the exercise's state (-state +facts):\n%s", now, diff)
					}
					compared++
				}
				if compared < 10 {
					t.Fatalf("compared %d times", compared)
				}
			})
		}
	}
}
