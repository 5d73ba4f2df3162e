package report

import (
	"testing"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/exercise"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/session"
	"github.com/firedrill/firedrill/scenarios"
)

// goldenScenario is the built-in scenario the golden files review.
const goldenScenario = "egress-proxy-saturation"

// load loads a built-in scenario.
func load(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	sc, diags := scenario.NewLoader().Resolve(name, scenarios.Files)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	return sc
}

// play runs sc with bots in every seat, as the CLI's simulate does.
func play(t testing.TB, sc *scenario.Scenario, seed uint64, skill bot.Skill) *exercise.Exercise {
	t.Helper()
	s, err := session.Run(sc, session.Options{Seed: seed, Skill: skill, EndOnRestore: true})
	x := s.Exercise()
	if err != nil {
		t.Fatalf("%s seed %d: %v", sc.Name, seed, err)
	}
	return x
}

func mustScore(t testing.TB, sc *scenario.Scenario, log []engine.Event) score.Report {
	t.Helper()
	rep, err := score.Score(sc, log)
	if err != nil {
		t.Fatalf("score %s: %v", sc.Name, err)
	}
	return rep
}

// fixture is the golden exercise: the golden scenario played by practiced
// bots with seed 7, a hotwash in which four players rate their confidence
// again and enter lessons (bots only rate when they join), the
// facilitator's metadata, and the expert bots' run as the reference.
func fixture(t testing.TB) Input {
	t.Helper()
	sc := load(t, goldenScenario)
	x := play(t, sc, 7, bot.Practiced)
	hotwash := []struct {
		who engine.Actor
		act engine.Action
	}{
		{engine.Actor{Name: "raj", Role: engine.RoleTechnician}, engine.Action{Op: engine.OpRateConfidence, Rating: 2}},
		{engine.Actor{Name: "raj", Role: engine.RoleTechnician}, engine.Action{Op: engine.OpLessonsLearned,
			Text: "Three app teams saw the same CONNECT errors; we should have compared notes in the first ten minutes."}},
		{engine.Actor{Name: "dev", Role: engine.RoleTechnician}, engine.Action{Op: engine.OpRateConfidence, Rating: 2}},
		{engine.Actor{Name: "dev", Role: engine.RoleTechnician}, engine.Action{Op: engine.OpLessonsLearned,
			Text: "Restarting the eligibility pods made the proxy worse. Check the shared dependency before restarting anything."}},
		{engine.Actor{Name: "priya", Role: engine.RoleTechnician}, engine.Action{Op: engine.OpRateConfidence, Rating: 5}},
		{engine.Actor{Name: "lena", Role: engine.RoleServiceOwner}, engine.Action{Op: engine.OpRateConfidence, Rating: 4}},
	}
	for _, h := range hotwash {
		if _, err := x.Apply(engine.Act(h.who, h.act)); err != nil {
			t.Fatalf("hotwash %s by %s: %v", h.act.Op, h.who.Name, err)
		}
	}
	log := x.Log()
	ref, err := score.Measures(sc, play(t, sc, 7, bot.Expert).Log())
	if err != nil {
		t.Fatal(err)
	}
	return Input{
		Scenario: sc, Log: log, Report: mustScore(t, sc, log), Reference: &ref,
		Meta: Meta{
			Exercise: "EX-2026-0142", Date: "2026-03-14", Facilitator: "Jordan Reyes", Organization: "Member Services IT",
			Participants: []Participant{
				{Name: "sd-bot", Role: "service desk analyst (bot)", Organization: "Service Desk"},
				{Name: "raj", Role: "technician", Organization: "Claims Platform"},
				{Name: "marcus", Role: "technician", Organization: "Pharmacy Systems"},
				{Name: "dev", Role: "technician", Organization: "Eligibility Services"},
				{Name: "grace", Role: "technician", Organization: "Digital Channels"},
				{Name: "priya", Role: "technician", Organization: "Network Engineering"},
				{Name: "im-bot", Role: "incident manager (bot)", Organization: "Major Incident Management"},
				{Name: "cc-bot", Role: "command center (bot)", Organization: "Technology Command Center"},
				{Name: "lena", Role: "service owner", Organization: "Pharmacy Systems"},
				{Name: "ana", Role: "service owner", Organization: "Claims Platform"},
			},
			Notes: []string{
				"The teams found the proxy through the traffic view rather than the vendor change log; the change log would have named the firmware upgrade at once.",
				"Two bridges ran for twenty minutes. Brief the command center on merging war rooms before the next game day.",
			},
			ActionItems: []ActionItem{
				{Action: "Add the egress proxy to every app team's dependency dashboard", Issue: "one-parent", Type: "detect", Owner: "priya",
					Ticket: "NET-4821", Due: "2026-04-15", Status: "open", Dimension: scenario.DimCoordination, Element: "equipment"},
				{Action: "War-room etiquette: one bridge per outage, merge on sight", Issue: "war_room", Type: "process", Owner: "cc-bot",
					Ticket: "TCC-311", Due: "2026-04-01", Status: "open", Dimension: scenario.DimProcess, Element: "training"},
				{Action: "Runbook: check shared dependencies before restarting pods", Issue: "no-pod-restarts", Type: "prevent", Owner: "dev",
					Due: "2026-04-30", Status: "in progress", Dimension: scenario.DimRecovery, Element: "planning"},
			},
		},
	}
}

// libraryInputs plays every built-in scenario with novice bots (seed 3),
// with no metadata and no reference: the bare shapes a review must handle.
func libraryInputs(t testing.TB) map[string]Input {
	t.Helper()
	names, err := scenario.LibraryNames(scenarios.Files)
	if err != nil || len(names) == 0 {
		t.Fatalf("library: %v", err)
	}
	out := map[string]Input{}
	for _, name := range names {
		sc := load(t, name)
		log := play(t, sc, 3, bot.Novice).Log()
		out[name] = Input{Scenario: sc, Log: log, Report: mustScore(t, sc, log)}
	}
	return out
}
