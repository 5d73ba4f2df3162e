package score

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// full is a complete run of the egress scenario: the proxy saturates at 5m
// and claims fails behind it; an alert at 9m pages ana, who does not
// answer, so raj acknowledges after one escalation; the incident is opened
// at P3, raised to P1 and gets its incident alert; two war rooms are opened
// for one issue; a wrong guess precedes the right one; a failover stops the
// impact at 34m, the fix lands at 50m, the services are back by 52m and ana
// validates at 60m.
func full() story {
	cc, sd, tech, owner := engine.RoleCommandCenter, engine.RoleServiceDesk, engine.RoleTechnician, engine.RoleServiceOwner
	return story{
		end: mins(90),
		outages: map[string][]span{
			"egress-proxy": {{mins(6), mins(34)}},
			"claims-api":   {{mins(6.5), mins(34)}},
		},
		events: []engine.Event{
			world(mins(5), changeStarted, "proxy-saturation", "egress-proxy", true),
			world(mins(8), changeFull, "proxy-saturation", "egress-proxy", true),
			alertFired(mins(9), "claims-5xx", "claims-api"),
			page(engine.KindPage, mins(9), "claims-5xx", "ana", 0),
			act(mins(10), "sam", sd, op(engine.OpCreateIncident, ""), inc("INC0001", "claims-api", 3, engine.StateNew)),
			act(mins(14), "pat", cc, op(engine.OpPrioritise, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateAssigned)),
			act(mins(15), "pat", cc, op(engine.OpOpenWarRoom, "INC0001"), warRoom("WR01", "INC0001", "")),
			act(mins(16), "pat", cc, op(engine.OpRaiseIncidentAlert, "INC0001"),
				incAlert(mins(16), "IA0001", "INC0001", 1), inc("INC0001", "claims-api", 1, engine.StateAssigned)),
			act(mins(17), "raj", tech, op(engine.OpOpenWarRoom, "INC0001"), warRoom("WR02", "INC0001", "WR01")),
			claim(mins(18), false),
			page(engine.KindPageEscalated, mins(19), "claims-5xx", "raj", 1),
			page(engine.KindPageAcked, mins(20), "claims-5xx", "raj", 1),
			claim(mins(25), true),
			world(mins(33), changeMitigated, "proxy-saturation", "egress-proxy", true),
			mitigated(mins(34)),
			world(mins(50), changeFixed, "proxy-saturation", "egress-proxy", true),
			restored(mins(51), "egress-proxy"),
			restored(mins(52), "claims-api"),
			act(mins(55), "raj", tech, op(engine.OpDeclareRestored, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateRestored)),
			act(mins(60), "ana", owner, op(engine.OpValidateRestoration, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateRestored)),
			ownerValidated(mins(60), "INC0001"),
		},
	}
}

// The measures of full(); cases change what they change.
func fullWant() map[Phase]want {
	return map[Phase]want{
		PhaseDetect:      {at: mins(9), dur: mins(4)},
		PhaseAcknowledge: {at: mins(20), dur: mins(15)},
		PhaseDeclare:     {at: mins(14), dur: mins(9)},
		PhaseIdentify:    {at: mins(25), dur: mins(20)},
		PhaseMitigate:    {at: mins(34), dur: mins(29)},
		PhaseFix:         {at: mins(50), dur: mins(45)},
		PhaseRestore:     {at: mins(60), dur: mins(55)},
		PhaseClose:       {at: mins(90), dur: mins(85), censored: true},
	}
}

// without drops the events for which drop is true.
func (s story) without(drop func(engine.Event) bool) story {
	s.events = slices.DeleteFunc(slices.Clone(s.events), drop)
	return s
}

func (s story) with(evs ...engine.Event) story {
	s.events = append(slices.Clone(s.events), evs...)
	return s
}

func isOp(o engine.Op) func(engine.Event) bool {
	return func(e engine.Event) bool {
		d, ok := e.Data.(engine.ActionData)
		return ok && d.Action.Op == o
	}
}

func isKind(k engine.Kind) func(engine.Event) bool {
	return func(e engine.Event) bool { return e.Kind == k }
}

func isChange(change string) func(engine.Event) bool {
	return func(e engine.Event) bool {
		d, ok := e.Data.(engine.WorldData)
		return ok && d.Change == change
	}
}

func with(w map[Phase]want, p Phase, at, dur time.Duration, censored bool) map[Phase]want {
	w = maps.Clone(w)
	w[p] = want{at: at, dur: dur, censored: censored}
	return w
}

func TestMeasures(t *testing.T) {
	tech, owner, sd, cc := engine.RoleTechnician, engine.RoleServiceOwner, engine.RoleServiceDesk, engine.RoleCommandCenter
	bothImpacted := []string{"claims-api", "egress-proxy"}
	tests := []struct {
		name  string
		story story
		want  map[Phase]want
		// What else Result says; every case states it all.
		impacted    []string
		selfHealed  bool
		downtime    float64 // minutes
		warRooms    int
		duplicates  int
		escalations int
	}{
		{
			name: "full run", story: full(), want: fullWant(),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			// Nobody notices: the fault heals at 19m, impact ends at 20m; an
			// alert and an incident about pharmacy are about something else.
			name: "no detection before restoration",
			story: story{
				end: mins(90),
				outages: map[string][]span{
					"egress-proxy": {{mins(6), mins(20)}},
					"claims-api":   {{mins(6.5), mins(20)}},
				},
				events: []engine.Event{
					world(mins(5), changeStarted, "proxy-saturation", "egress-proxy", true),
					alertFired(mins(10), "pharmacy-latency", "pharmacy-api"),
					act(mins(11), "sam", sd, op(engine.OpCreateIncident, ""), inc("INC0001", "pharmacy-api", 3, engine.StateNew)),
					act(mins(12), "raj", tech, op(engine.OpAcknowledge, "INC0001"), inc("INC0001", "pharmacy-api", 3, engine.StateInProgress)),
					world(mins(19), changeHealed, "proxy-saturation", "egress-proxy", true),
					mitigated(mins(20)),
					restored(mins(22), "egress-proxy"),
					restored(mins(22), "claims-api"),
				},
			},
			want: map[Phase]want{
				PhaseDetect:      {at: mins(90), dur: mins(85), censored: true},
				PhaseAcknowledge: {at: mins(90), dur: mins(85), censored: true},
				PhaseDeclare:     {at: mins(90), dur: mins(85), censored: true},
				PhaseIdentify:    {at: mins(90), dur: mins(85), censored: true},
				PhaseMitigate:    {at: mins(20), dur: mins(15)},
				PhaseFix:         {at: mins(19), dur: mins(14)},
				PhaseRestore:     {at: mins(90), dur: mins(85), censored: true},
				PhaseClose:       {at: mins(90), dur: mins(85), censored: true},
			},
			impacted: bothImpacted, selfHealed: true, downtime: 13.5,
		},
		{
			name: "wrong identifications before the right one",
			story: full().without(isKind(engine.KindRootClaim)).with(
				claim(mins(12), false), claim(mins(18), false), claim(mins(22), false),
				claim(mins(31), true), claim(mins(40), false), claim(mins(41), true),
			),
			want:     with(fullWant(), PhaseIdentify, mins(31), mins(26), false),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			name:       "the fault heals by itself before the fix",
			story:      full().without(isChange(changeFixed)).with(world(mins(45), changeHealed, "proxy-saturation", "egress-proxy", true)),
			want:       with(fullWant(), PhaseFix, mins(45), mins(40), false),
			impacted:   bothImpacted,
			selfHealed: true, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			// t0 stays at the first; fix waits for the last; a red herring
			// that is never fixed does not hold it up.
			name: "several root causes",
			story: full().with(
				world(mins(12), changeStarted, "conn-table-leak", "egress-proxy", true),
				world(mins(13), changeStarted, "pharmacy-gc", "pharmacy-api", false),
				world(mins(58), changeFixed, "conn-table-leak", "egress-proxy", true),
			),
			want:     with(fullWant(), PhaseFix, mins(58), mins(53), false),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			name: "several root causes, one never fixed",
			story: full().with(
				world(mins(12), changeStarted, "conn-table-leak", "egress-proxy", true),
			),
			want:     with(fullWant(), PhaseFix, mins(90), mins(85), true),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			name: "a root cause fixed, then started again",
			story: full().with(
				world(mins(52), changeStarted, "proxy-saturation", "egress-proxy", true),
				world(mins(70), changeFixed, "proxy-saturation", "egress-proxy", true),
			),
			want:     with(fullWant(), PhaseFix, mins(70), mins(65), false),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			name:     "restore declared but not validated",
			story:    full().without(isOp(engine.OpValidateRestoration)).without(isKind(engine.KindValidated)),
			want:     with(fullWant(), PhaseRestore, mins(90), mins(85), true),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			name: "validated before the services were back",
			story: full().without(isOp(engine.OpValidateRestoration)).without(isKind(engine.KindValidated)).with(
				act(mins(45), "ana", owner, op(engine.OpValidateRestoration, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateRestored)),
				ownerValidated(mins(45), "INC0001"),
			),
			want:     with(fullWant(), PhaseRestore, mins(52), mins(47), false),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			// A reopen is the team's doubt; the world says restored and the
			// owner's first validation stands.
			name: "reopened after validation, validated again",
			story: full().with(
				act(mins(62), "raj", tech, op(engine.OpUpdateIncident, "INC0001"), reopened(inc("INC0001", "claims-api", 1, engine.StateInProgress), 1)),
				act(mins(66), "raj", tech, op(engine.OpDeclareRestored, "INC0001"), reopened(inc("INC0001", "claims-api", 1, engine.StateRestored), 1)),
				act(mins(70), "ana", owner, op(engine.OpValidateRestoration, "INC0001"), reopened(inc("INC0001", "claims-api", 1, engine.StateRestored), 1)),
			),
			want:     fullWant(),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			// A harmful remedy brings claims down again from 40m to 44m.
			name: "impact comes back before it stops",
			story: func() story {
				s := full().with(world(mins(39.5), changeHarm, "", "claims-api", false), resumed(mins(40)), mitigated(mins(44)))
				s.outages = map[string][]span{
					"egress-proxy": {{mins(6), mins(34)}},
					"claims-api":   {{mins(6.5), mins(34)}, {mins(40), mins(44)}},
				}
				return s
			}(),
			want:     with(fullWant(), PhaseMitigate, mins(44), mins(39), false),
			impacted: bothImpacted, downtime: 31.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			name: "impact comes back and is never over again",
			story: func() story {
				s := full().with(resumed(mins(40)))
				s.outages = map[string][]span{
					"egress-proxy": {{mins(6), mins(34)}},
					"claims-api":   {{mins(6.5), mins(34)}, {mins(40), mins(44)}},
				}
				return s
			}(),
			want:     with(fullWant(), PhaseMitigate, mins(90), mins(85), true),
			impacted: bothImpacted, downtime: 31.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			// Declaring is reaching the priority; the incident alert is the
			// incident_alert check's business.
			name:     "a P1 without its incident alert is declared when it reaches P1",
			story:    full().without(isOp(engine.OpRaiseIncidentAlert)),
			want:     fullWant(),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			// A P3 needs no incident alert: declared when it got P3.
			name: "a P3 is declared when it gets its final priority",
			story: full().without(isOp(engine.OpPrioritise)).without(isOp(engine.OpRaiseIncidentAlert)).
				without(isOp(engine.OpCreateIncident)).without(isOp(engine.OpDeclareRestored)).
				without(isOp(engine.OpValidateRestoration)).with(
				act(mins(10), "sam", sd, op(engine.OpCreateIncident, ""), inc("INC0001", "claims-api", 4, engine.StateNew)),
				act(mins(12), "pat", cc, op(engine.OpPrioritise, "INC0001"), inc("INC0001", "claims-api", 3, engine.StateNew)),
				act(mins(13), "pat", cc, op(engine.OpUpdateIncident, "INC0001"), inc("INC0001", "claims-api", 3, engine.StateAssigned)),
				act(mins(55), "raj", tech, op(engine.OpDeclareRestored, "INC0001"), inc("INC0001", "claims-api", 3, engine.StateRestored)),
				act(mins(60), "ana", owner, op(engine.OpValidateRestoration, "INC0001"), inc("INC0001", "claims-api", 3, engine.StateRestored)),
			),
			want:     with(fullWant(), PhaseDeclare, mins(12), mins(7), false),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			// Two P3 children under a P2 parent that names no service: the
			// parent carries the priority, its alert declares.
			name: "declared and validated on the parent",
			story: full().without(isOp(engine.OpPrioritise)).without(isOp(engine.OpRaiseIncidentAlert)).
				without(isOp(engine.OpValidateRestoration)).without(isKind(engine.KindValidated)).without(isOp(engine.OpCreateIncident)).
				without(isOp(engine.OpDeclareRestored)).with(
				act(mins(10), "sam", sd, op(engine.OpCreateIncident, ""), inc("INC0001", "claims-api", 3, engine.StateNew)),
				act(mins(11), "sam", sd, op(engine.OpCreateIncident, ""), inc("INC0002", "egress-proxy", 3, engine.StateNew)),
				act(mins(13), "pat", cc, op(engine.OpMakeParent, ""), parent(inc("INC0003", "", 2, engine.StateNew))),
				act(mins(14), "pat", cc, op(engine.OpLinkParent, "INC0001"),
					child(inc("INC0001", "claims-api", 3, engine.StateNew), "INC0003"),
					child(inc("INC0002", "egress-proxy", 3, engine.StateNew), "INC0003"),
					parent(inc("INC0003", "", 2, engine.StateNew), "INC0001", "INC0002")),
				act(mins(17.5), "pat", cc, op(engine.OpRaiseIncidentAlert, "INC0003"), incAlert(mins(17.5), "IA0001", "INC0003", 2)),
				act(mins(61), "ana", owner, op(engine.OpValidateRestoration, "INC0003"), parent(inc("INC0003", "", 2, engine.StateRestored), "INC0001", "INC0002")),
				ownerValidated(mins(61), "INC0003"),
			),
			want: with(with(fullWant(),
				PhaseDeclare, mins(13), mins(8), false),
				PhaseRestore, mins(61), mins(56), false),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
		{
			// No alert: the service desk's record is the detection, and the
			// technician's acknowledge of it the acknowledgement.
			name: "detected by an incident record, acknowledged on it",
			story: full().without(isKind(engine.KindAlertFired)).without(isKind(engine.KindPage)).
				without(isKind(engine.KindPageEscalated)).without(isKind(engine.KindPageAcked)).with(
				act(mins(7), "sam", sd, op(engine.OpCreateIncident, ""), inc("INC0009", "egress-proxy", 3, engine.StateNew)),
				act(mins(8.5), "kim", tech, op(engine.OpAcknowledge, "INC0009"), inc("INC0009", "egress-proxy", 3, engine.StateInProgress)),
			),
			want: with(with(with(fullWant(),
				PhaseDetect, mins(7), mins(2), false),
				PhaseAcknowledge, mins(8.5), mins(3.5), false),
				PhaseDeclare, mins(14), mins(9), false),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1,
		},
		{
			// Before t0 and about pharmacy: a record, an alert, a page, its
			// escalation and acks; none of it is this incident.
			name: "noise before t0 and on other services",
			story: full().with(
				act(mins(2), "sam", sd, op(engine.OpCreateIncident, ""), inc("INC0000", "claims-api", 4, engine.StateNew)),
				act(mins(3), "kim", tech, op(engine.OpAcknowledge, "INC0000"), inc("INC0000", "claims-api", 4, engine.StateInProgress)),
				alertFired(mins(11), "pharmacy-latency", "pharmacy-api"),
				page(engine.KindPageEscalated, mins(11.5), "pharmacy-latency", "raj", 1),
				page(engine.KindPageAcked, mins(12), "pharmacy-latency", "raj", 1),
				act(mins(10.5), "kim", tech, op(engine.OpAcknowledge, "INC0000"), inc("INC0000", "claims-api", 4, engine.StateInProgress)),
			),
			want:     fullWant(),
			impacted: bothImpacted, downtime: 27.5, warRooms: 2, duplicates: 1, escalations: 1,
		},
	}
	sc := egress()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Measures(sc, tt.story.log())
			if err != nil {
				t.Fatal(err)
			}
			if !got.HasT0 || got.T0 != mins(5) || got.End != mins(90) {
				t.Errorf("t0 = %v (has %v), end %v; want 5m, 1h30m", got.T0, got.HasT0, got.End)
			}
			checkMeasures(t, got, tt.want)
			if !slices.Equal(got.ImpactedServices, tt.impacted) {
				t.Errorf("impacted = %v, want %v", got.ImpactedServices, tt.impacted)
			}
			if got.SelfHealed != tt.selfHealed {
				t.Errorf("self healed = %v, want %v", got.SelfHealed, tt.selfHealed)
			}
			if got.DowntimeMinutes != tt.downtime || got.DowntimeByService["claims-api"] != tt.downtime || got.DowntimeByService["pharmacy-api"] != 0 {
				t.Errorf("downtime = %v min, by service %v; want %v min, all of it claims-api", got.DowntimeMinutes, got.DowntimeByService, tt.downtime)
			}
			if got.WarRooms != tt.warRooms || got.DuplicateWarRooms != tt.duplicates {
				t.Errorf("war rooms = %d (%d duplicate), want %d (%d)", got.WarRooms, got.DuplicateWarRooms, tt.warRooms, tt.duplicates)
			}
			if got.EscalationDepth != tt.escalations {
				t.Errorf("escalation depth = %d, want %d", got.EscalationDepth, tt.escalations)
			}
			for _, m := range got.Measures {
				if m.NotApplicable {
					t.Errorf("%s is not applicable in a run with a fault", m.Phase)
				}
				if p := par(sc.Target, m.Phase); m.Par != p || m.HasPar != (p > 0) {
					t.Errorf("%s par = %v (has %v), want %v", m.Phase, m.Par, m.HasPar, p)
				}
			}
		})
	}
}

// The raw error rate runs from t0 to restoration, from counter deltas: in
// full() that is the 110 samples from 5m to 60m, of which egress-proxy was
// unhealthy in 56 and claims-api in 55; unvalidated, the window runs to
// the end (170 samples).
func TestRawErrorRate(t *testing.T) {
	tests := []struct {
		name   string
		story  story
		ticks  int
		egress int
		claims int
	}{
		{"to restoration", full(), 110, 56, 55},
		{"to the end when restore is censored", full().without(isOp(engine.OpValidateRestoration)).without(isKind(engine.KindValidated)), 170, 56, 55},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Measures(egress(), tt.story.log())
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]ErrorRate{
				"egress-proxy": rate(tt.egress, tt.ticks),
				"claims-api":   rate(tt.claims, tt.ticks),
				"pharmacy-api": rate(0, tt.ticks),
			}
			if !maps.Equal(got.RawErrorRate, want) {
				t.Errorf("raw error rate = %+v\nwant %+v", got.RawErrorRate, want)
			}
			all := rate(tt.egress+tt.claims, 3*tt.ticks)
			if got.RawErrorRateOverall != all {
				t.Errorf("overall = %+v, want %+v", got.RawErrorRateOverall, all)
			}
		})
	}
	// Spelt out once, so the helper is not checking itself: 56 of 110
	// samples at 40% errors.
	if r := rate(56, 110); r.Total != 33000 || r.Failed != 6720 || r.Rate != 6720.0/33000 {
		t.Errorf("rate(56, 110) = %+v, want 6720 of 33000", r)
	}
}

// A discussion scenario has no fault and no telemetry: there is no t0, so
// every measure is not applicable, yet war rooms and pages still count.
func TestMeasuresDiscussion(t *testing.T) {
	sc := egress()
	sc.Discussion = true
	s := story{
		end:     mins(60),
		noTicks: true,
		events: []engine.Event{
			ev(mins(2), engine.KindInject, "", engine.InjectData{Name: "vp-asks", Channel: "phone", Text: "Is claims down?"}),
			ev(mins(3), engine.KindChat, "ana", engine.ChatData{Channel: "group:claims", From: "ana", Text: "looking"}),
			act(mins(4), "sam", engine.RoleServiceDesk, op(engine.OpCreateIncident, ""), inc("INC0001", "claims-api", 2, engine.StateNew)),
			page(engine.KindPageEscalated, mins(6), "", "raj", 1),
			page(engine.KindPageAcked, mins(7), "", "raj", 1),
			page(engine.KindPageEscalated, mins(8), "", "kim", 1),
			act(mins(9), "pat", engine.RoleCommandCenter, op(engine.OpOpenWarRoom, "INC0001"), warRoom("WR01", "INC0001", "")),
			ev(mins(10), engine.KindAnswered, "pat", engine.AnswerData{Name: "comms", Option: "status-page", By: "pat"}),
		},
	}
	got, err := Measures(sc, s.log())
	if err != nil {
		t.Fatal(err)
	}
	if got.HasT0 || got.ImpactedServices != nil || got.RawErrorRate != nil || got.DowntimeMinutes != 0 {
		t.Errorf("got t0 %v (has %v), impacted %v, rates %v, downtime %v; want none", got.T0, got.HasT0, got.ImpactedServices, got.RawErrorRate, got.DowntimeMinutes)
	}
	na := map[Phase]want{}
	for _, p := range Phases() {
		na[p] = want{at: mins(60), censored: true}
	}
	checkMeasures(t, got, na)
	for _, m := range got.Measures {
		if !m.NotApplicable {
			t.Errorf("%s is applicable without a fault", m.Phase)
		}
	}
	if got.WarRooms != 1 || got.EscalationDepth != 1 {
		t.Errorf("war rooms %d, escalation depth %d; want 1, 1", got.WarRooms, got.EscalationDepth)
	}
	if agg := Aggregate([]Result{got}); agg[PhaseDetect].N != 0 {
		t.Errorf("aggregate counted a not-applicable measure: %+v", agg[PhaseDetect])
	}
}

// A measure has no par where the scenario sets none.
func TestMeasuresPar(t *testing.T) {
	sc := egress()
	sc.Target = scenario.Target{Fix: 30 * time.Minute}
	got, err := Measures(sc, full().log())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range got.Measures {
		wantPar := time.Duration(0)
		if m.Phase == PhaseFix {
			wantPar = 30 * time.Minute
		}
		if m.Par != wantPar || m.HasPar != (wantPar > 0) {
			t.Errorf("%s par = %v (has %v), want %v", m.Phase, m.Par, m.HasPar, wantPar)
		}
	}
}
