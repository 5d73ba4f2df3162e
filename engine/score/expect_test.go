package score

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

func TestCredit(t *testing.T) {
	tests := []struct {
		name              string
		within, decay, at time.Duration
		want              float64
	}{
		{"no deadline", 0, 0, mins(80), 20},
		{"on time", mins(20), mins(10), mins(12), 20},
		{"at the deadline", mins(20), mins(10), mins(20), 20},
		{"a quarter into the decay", mins(20), mins(10), mins(22.5), 15},
		{"half", mins(20), mins(10), mins(25), 10},
		{"at the end of the decay", mins(20), mins(10), mins(30), 0},
		{"after the decay", mins(20), mins(10), mins(45), 0},
		{"late without decay", mins(20), 0, mins(20) + time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := credit(20, tt.within, tt.decay, tt.at); !near(got, tt.want) {
				t.Errorf("credit = %v, want %v", got, tt.want)
			}
		})
	}
}

// An expectation's verdict comes from the fold of the log: it is met at the
// event after which its condition first holds, by that event's actor (none
// when the world or the clock made it true).
func TestExpectationVerdicts(t *testing.T) {
	tech, cc := engine.RoleTechnician, engine.RoleCommandCenter
	outage := story{end: mins(40), outages: map[string][]span{"claims-api": {{mins(6), mins(30)}}},
		events: []engine.Event{world(mins(5), changeStarted, "f", "egress-proxy", true)}}
	remedy := func(at time.Duration, name, phase, by string) engine.Event {
		return ev(at, engine.KindRemedy, by, engine.RemedyData{Remedy: name, Service: "egress-proxy", Phase: phase, By: by})
	}
	tests := []struct {
		name   string
		cond   string
		events []engine.Event
		at     time.Duration // when it was met; 0: never
		by     string
	}{
		{name: "an action of the kind read", cond: "pages >= 1",
			events: []engine.Event{pageAct(mins(12.2), "raj", "network", "", "")}, at: mins(12.2), by: "raj"},
		{name: "the one that tips it", cond: "length(incidents) >= 2",
			events: []engine.Event{
				act(mins(12.1), "sam", engine.RoleServiceDesk, op(engine.OpCreateIncident, ""), inc("INC0001", "claims-api", 3, engine.StateNew)),
				act(mins(12.3), "tia", engine.RoleServiceDesk, op(engine.OpCreateIncident, ""), inc("INC0002", "claims-api", 3, engine.StateNew)),
			}, at: mins(12.3), by: "tia"},
		{name: "another kind does not count", cond: "pages >= 1",
			events: []engine.Event{statusUpdate(mins(12.2), "mo", engine.RoleIncidentManager)}},
		{name: "a correct claim", cond: "identified",
			events: []engine.Event{claim(mins(20.1), false), ev(mins(20.2), engine.KindRootClaim, "joe", engine.RootClaimData{Service: "egress-proxy", Correct: true})},
			at:     mins(20.2), by: "joe"},
		{name: "a wrong claim is no identification", cond: "identified", events: []engine.Event{claim(mins(20.1), false)}},
		{name: "a decision answered", cond: `decision.restart-fleet.choice == "hold"`,
			events: []engine.Event{answered(mins(21.1), "restart-fleet", "hold", "pat", 10, 0), answered(mins(21.2), "bypass", "ask", "mo", 10, 0)},
			at:     mins(21.1), by: "pat"},
		{name: "a decision the timeout took", cond: `decision.restart-fleet.choice == "hold"`,
			events: []engine.Event{answered(mins(21.1), "restart-fleet", "hold", "", 10, 0)}, at: mins(21.1)},
		{name: "a remedy applied", cond: "remedy.raise-conn-table.applied",
			events: []engine.Event{remedy(mins(22.1), "failover", "started", "kim"), remedy(mins(22.2), "raise-conn-table", "started", "joe")},
			at:     mins(22.2), by: "joe"},
		{name: "an alert acknowledged", cond: "alert.claims-5xx.acknowledged",
			events: []engine.Event{
				alertFired(mins(9), "claims-5xx", "claims-api"), page(engine.KindPage, mins(9), "claims-5xx", "raj", 0),
				ev(mins(9.2), engine.KindPageAcked, "raj", engine.PageData{Page: "PG0001", Alert: "claims-5xx", Group: "claims", Person: "raj"}),
			}, at: mins(9.2), by: "raj"},
		{name: "the command center", cond: "command_center && length(war_rooms) > 0",
			events: []engine.Event{act(mins(15.1), "pat", cc, op(engine.OpOpenWarRoom, "INC0001"), warRoom("WR01", "INC0001", ""))},
			at:     mins(15.1), by: "pat"},
		{name: "the world", cond: "mitigated", events: []engine.Event{mitigated(mins(30.1))}, at: mins(30.1)},
		{name: "the clock", cond: "mitigated && elapsed > minutes(32)",
			events: []engine.Event{mitigated(mins(30.1)), pageAct(mins(33), "raj", "network", "", "")}, at: mins(32.5)},
		{name: "validated", cond: "validated",
			events: []engine.Event{ownerValidated(mins(31.1), "INC0001"), act(mins(31.1), "ana", engine.RoleServiceOwner, op(engine.OpValidateRestoration, "INC0001"))},
			at:     mins(31.1), by: "ana"},
		{name: "a runbook step that applies it", cond: "remedy.raise-conn-table.applied",
			events: []engine.Event{
				act(mins(22.2), "joe", tech, engine.Action{Op: engine.OpRunRunbookStep, Runbook: "proxy", Step: "raise"}),
				remedy(mins(22.2), "raise-conn-table", "started", "joe"),
			}, at: mins(22.2), by: "joe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := drill(t)
			sc.Expects = []*scenario.Expect{{Name: "x", Dimension: scenario.DimCoordination, Condition: cond(t, tt.cond), Points: 10}}
			log := outage.with(tt.events...).log()
			e := mustScore(t, sc, log).Expectations[0]
			if e.Met != (tt.at > 0) || e.At != tt.at || e.By != tt.by {
				t.Fatalf("met %v at %v by %q; want at %v by %q", e.Met, e.At, e.By, tt.at, tt.by)
			}
			if e.Met && (e.Earned != 10 || e.Seq == 0 || (e.By != "" && e.BySeq != e.Seq)) {
				t.Errorf("met: earned %v, seq %d, by seq %d", e.Earned, e.Seq, e.BySeq)
			}
		})
	}
}

// The engine's expect.met events are provisional: a verdict comes from the
// log's facts, so an event claiming an expectation met decides nothing,
// and one met after the engine's last check still counts.
func TestExpectationsDecidedAtTheEnd(t *testing.T) {
	sc := drill(t)
	sc.Expects = []*scenario.Expect{{Name: "first-record", Dimension: scenario.DimDetection, Condition: cond(t, "validated"), Within: mins(50), Points: 10}}
	claimed := story{end: mins(30)}.with(met(mins(11), "first-record", "detection", 10)).log()
	if e := mustScore(t, sc, claimed).Expectations[0]; e.Met {
		t.Errorf("an expect.met event decided the verdict: %+v", e)
	}
	// The race the review found: validated at +0:45:31, the exercise
	// ended at +0:45:40, before any periodic check; it counts.
	race := story{end: mins(45) + 40*time.Second}.with(
		world(mins(5), changeStarted, "f", "egress-proxy", true),
		act(mins(45)+31*time.Second, "ana", engine.RoleServiceOwner, op(engine.OpValidateRestoration, "INC0001")),
		ownerValidated(mins(45)+31*time.Second, "INC0001"),
	).log()
	if e := mustScore(t, sc, race).Expectations[0]; !e.Met || e.At != mins(45)+31*time.Second || e.Earned != 10 {
		t.Errorf("validated 9s before the end: %+v", e)
	}
}

// Never punish speed: a window the exercise did not reach is owed only for
// the time that passed, and an expectation the run gave no reason to meet
// is no loss.
func TestExpectationsNeverPunishSpeed(t *testing.T) {
	sc := drill(t)
	sc.Expects = []*scenario.Expect{
		{Name: "updates", Dimension: scenario.DimCommunication, Condition: cond(t, "status_updates >= 2"), Within: mins(60), Decay: mins(20), Points: 10},
		{Name: "anytime", Dimension: scenario.DimProcess, Condition: cond(t, "length(problems) > 0"), Points: 10},
		{Name: "alert-acked", Dimension: scenario.DimDetection, Condition: cond(t, "alert.claims-5xx.acknowledged"),
			Applies: cond(t, "alert.claims-5xx.fired"), Points: 10},
	}
	base := []engine.Event{world(mins(5), changeStarted, "f", "egress-proxy", true), statusUpdate(mins(10), "mo", engine.RoleIncidentManager)}
	for _, tt := range []struct {
		name                     string
		end                      time.Duration
		updates, anytime, alerts float64
	}{
		{"ended before the window closed", mins(45), 10, 0, 10},
		{"ended a quarter into the decay", mins(65), 7.5, 0, 10},
		{"ended after the decay", mins(90), 0, 0, 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex := mustScore(t, sc, story{end: tt.end}.with(base...).log()).Expectations
			if !near(ex[0].Earned, tt.updates) || ex[0].NotReached != (tt.end < mins(80)) {
				t.Errorf("updates earned %v (not reached %v), want %v", ex[0].Earned, ex[0].NotReached, tt.updates)
			}
			if ex[1].Earned != tt.anytime || ex[1].NotReached {
				t.Errorf("an expectation without a window earned %v", ex[1].Earned)
			}
			if !ex[2].NotApplicable || ex[2].Earned != tt.alerts {
				t.Errorf("an alert that never fired: %+v", ex[2])
			}
		})
	}
}

// TestEndingEarlierNeverLowersAWindow: the same actions, the exercise ended
// at every minute: no time-window expectation earns less for ending
// earlier.
func TestEndingEarlierNeverLowersAWindow(t *testing.T) {
	sc := drill(t)
	sc.Expects = []*scenario.Expect{
		{Name: "two-updates", Dimension: scenario.DimCommunication, Condition: cond(t, "status_updates >= 2"), Within: mins(30), Decay: mins(20), Points: 10},
		{Name: "a-page", Dimension: scenario.DimCoordination, Condition: cond(t, "pages >= 1"), Within: mins(20), Points: 10},
		{Name: "mitigated", Dimension: scenario.DimRecovery, Condition: cond(t, "mitigated"), Within: mins(40), Decay: mins(30), Points: 20},
	}
	actions := []engine.Event{
		world(mins(5), changeStarted, "f", "egress-proxy", true),
		statusUpdate(mins(12), "mo", engine.RoleIncidentManager),
		pageAct(mins(25), "raj", "network", "", ""),
		statusUpdate(mins(41), "mo", engine.RoleIncidentManager),
		mitigated(mins(55)),
	}
	var prev []Expectation
	for end := mins(90); end >= mins(6); end -= time.Minute {
		var upTo []engine.Event
		for _, e := range actions {
			if e.At < end {
				upTo = append(upTo, e)
			}
		}
		ex := mustScore(t, sc, story{end: end}.with(upTo...).log()).Expectations
		for i := range ex {
			if prev != nil && ex[i].Earned < prev[i].Earned-1e-9 {
				t.Errorf("%s earned %v ending at %v, but %v ending a minute later", ex[i].Name, ex[i].Earned, end, prev[i].Earned)
			}
		}
		prev = ex
	}
}
