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

// Who made an expectation true: the latest event, since the engine last
// checked conditions, of a kind the condition reads.
func TestExpectationBy(t *testing.T) {
	tech, cc := engine.RoleTechnician, engine.RoleCommandCenter
	// outage is a bare run with telemetry every 30s, so the engine's
	// checks fall on the samples.
	outage := story{end: mins(40), outages: map[string][]span{"claims-api": {{mins(6), mins(30)}}},
		events: []engine.Event{world(mins(5), changeStarted, "f", "egress-proxy", true)}}
	tests := []struct {
		name   string
		cond   string
		events []engine.Event
		at     time.Duration // when the engine logged it met
		by     string
		byAt   time.Duration // the event credited
	}{
		{
			name: "an action of the kind read", cond: "pages >= 1",
			events: []engine.Event{pageAct(mins(12.2), "raj", "network", "", "")},
			at:     mins(12.5), by: "raj", byAt: mins(12.2),
		},
		{
			name: "the latest of several", cond: "length(incidents) >= 2",
			events: []engine.Event{
				act(mins(12.1), "sam", engine.RoleServiceDesk, op(engine.OpCreateIncident, ""), inc("INC0001", "claims-api", 3, engine.StateNew)),
				act(mins(12.3), "tia", engine.RoleServiceDesk, op(engine.OpCreateIncident, ""), inc("INC0002", "claims-api", 3, engine.StateNew)),
			},
			at: mins(12.5), by: "tia", byAt: mins(12.3),
		},
		{
			name: "another kind does not count", cond: "pages >= 1",
			events: []engine.Event{statusUpdate(mins(12.2), "mo", engine.RoleIncidentManager)},
			at:     mins(12.5),
		},
		{
			// An action before the previous check would have met it then.
			name: "before the previous check", cond: "pages >= 1",
			events: []engine.Event{pageAct(mins(11.9), "raj", "network", "", "")},
			at:     mins(12.5),
		},
		{
			// At the instant of the previous check, but after its sample.
			name: "at the previous check, after it", cond: "pages >= 1",
			events: []engine.Event{pageAct(mins(12), "raj", "network", "", "")},
			at:     mins(12.5), by: "raj", byAt: mins(12),
		},
		{
			name: "a correct claim", cond: "identified",
			events: []engine.Event{claim(mins(20.1), false), ev(mins(20.2), engine.KindRootClaim, "joe", engine.RootClaimData{Service: "egress-proxy", Correct: true})},
			at:     mins(20.5), by: "joe", byAt: mins(20.2),
		},
		{
			name: "a wrong claim is no identification", cond: "identified",
			events: []engine.Event{claim(mins(20.1), false)},
			at:     mins(20.5),
		},
		{
			name: "a decision answered", cond: `decision.restart-fleet.choice == "hold"`,
			events: []engine.Event{answered(mins(21.2), "bypass", "ask", "mo", 10, 0), answered(mins(21.1), "restart-fleet", "hold", "pat", 10, 0)},
			at:     mins(21.5), by: "pat", byAt: mins(21.1),
		},
		{
			name: "a decision the timeout took", cond: `decision.restart-fleet.choice == "hold"`,
			events: []engine.Event{answered(mins(21.1), "restart-fleet", "hold", "", 10, 0)},
			at:     mins(21.5),
		},
		{
			name: "a remedy through its runbook step", cond: "remedy.raise-conn-table.applied",
			events: []engine.Event{
				act(mins(22.1), "kim", tech, engine.Action{Op: engine.OpApplyRemedy, Remedy: "failover"}),
				act(mins(22.2), "joe", tech, engine.Action{Op: engine.OpRunRunbookStep, Runbook: "proxy", Step: "raise"}),
				act(mins(22.3), "kim", tech, engine.Action{Op: engine.OpRunRunbookStep, Runbook: "proxy", Step: "check"}),
			},
			at: mins(22.5), by: "joe", byAt: mins(22.2),
		},
		{
			name: "an alert acknowledged", cond: "alert.claims-5xx.acknowledged",
			events: []engine.Event{ev(mins(9.2), engine.KindPageAcked, "raj", engine.PageData{Alert: "claims-5xx", Person: "raj"})},
			at:     mins(9.5), by: "raj", byAt: mins(9.2),
		},
		{
			name: "the command center", cond: "command_center && length(war_rooms) > 0",
			events: []engine.Event{act(mins(15.1), "pat", cc, op(engine.OpOpenWarRoom, "INC0001"), warRoom("WR01", "INC0001", ""))},
			at:     mins(15.5), by: "pat", byAt: mins(15.1),
		},
		{
			name: "the world", cond: "mitigated && elapsed > minutes(20)",
			events: []engine.Event{pageAct(mins(30.1), "raj", "network", "", "")},
			at:     mins(30.5),
		},
		{
			name: "a change, a problem, a validation", cond: "length(changes) + length(problems) > 1 && validated",
			events: []engine.Event{act(mins(31.1), "ana", engine.RoleServiceOwner, op(engine.OpValidateRestoration, "INC0001"))},
			at:     mins(31.5), by: "ana", byAt: mins(31.1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := drill(t)
			sc.Expects = []*scenario.Expect{{Name: "x", Dimension: scenario.DimCoordination, Condition: cond(t, tt.cond), Points: 10}}
			log := outage.with(append(tt.events, met(tt.at, "x", "coordination", 10))...).log()
			e := mustScore(t, sc, log).Expectations[0]
			var wantSeq uint64
			if tt.by != "" {
				for _, l := range log {
					if l.At == tt.byAt && l.Kind != engine.KindTelemetry {
						wantSeq = l.Seq
					}
				}
			}
			if !e.Met || e.At != tt.at || e.By != tt.by || e.BySeq != wantSeq || e.Earned != 10 {
				t.Errorf("met %v at %v by %q (%d), earned %v; want at %v by %q (%d)", e.Met, e.At, e.By, e.BySeq, e.Earned, tt.at, tt.by, wantSeq)
			}
		})
	}
	t.Run("no condition", func(t *testing.T) {
		sc := drill(t)
		sc.Expects = []*scenario.Expect{{Name: "x", Dimension: scenario.DimCoordination, Points: 10}}
		log := outage.with(pageAct(mins(12.2), "raj", "network", "", ""), met(mins(12.5), "x", "coordination", 10)).log()
		if e := mustScore(t, sc, log).Expectations[0]; !e.Met || e.By != "" {
			t.Errorf("a hand-built expectation without a condition credited %q", e.By)
		}
	})
}

// An expectation met twice in a log (a replayed event) counts once, at
// the first time.
func TestExpectationMetTwice(t *testing.T) {
	sc := drill(t)
	log := story{end: mins(30)}.with(met(mins(11), "first-record", "detection", 10), met(mins(14), "first-record", "detection", 10)).log()
	e := mustScore(t, sc, log).Expectations[0]
	if e.At != mins(11) || e.Earned != 10 {
		t.Errorf("met at %v earning %v, want 11m and 10", e.At, e.Earned)
	}
	// Late (16m, 4m into 8m of decay): half.
	log = story{end: mins(30)}.with(met(mins(16), "first-record", "detection", 10)).log()
	if e := mustScore(t, sc, log).Expectations[0]; e.Late != mins(4) || !near(e.Earned, 5) {
		t.Errorf("late by %v earning %v, want 4m and 5", e.Late, e.Earned)
	}
}
