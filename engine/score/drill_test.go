package score

import (
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// cond parses a condition as a scenario file would hold it.
func cond(t testing.TB, src string) hcl.Expression {
	t.Helper()
	e, diags := hclsyntax.ParseExpression([]byte(src), "drill.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("condition %q: %v", src, diags)
	}
	return e
}

func ref(k scenario.Kind, name string) scenario.Ref { return scenario.Ref{Kind: k, Name: name} }

// drill is egress() made whole for Score: groups owning the services, a
// vendor whose change precedes the fault, remedies (one needing a change,
// one harmful), runbooks, the contacts the story sends, two decisions and
// eight expectations, one per kind of condition the tests need.
func drill(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc := egress()
	sc.Groups = []*scenario.Group{
		{Name: "network", Members: []string{"kim", "joe"}, Owner: "kim"},
		{Name: "claims", Members: []string{"ana", "raj"}, Owner: "ana"},
		{Name: "pharmacy", Members: []string{"raj", "lena"}, Owner: "lena"},
		{Name: "platform", Members: []string{"chen"}, Owner: "chen"},
	}
	sc.Vendors = []*scenario.Vendor{{Name: "skygate", Changes: []*scenario.VendorChange{{Name: "fw", At: -2 * time.Hour}}}}
	sc.Services[0].Group, sc.Services[0].Vendor, sc.Services[0].SLO = ref(scenario.KindGroup, "network"), ref(scenario.KindVendor, "skygate"), 0.999
	sc.Services[1].Group, sc.Services[1].SLO = ref(scenario.KindGroup, "claims"), 0.99
	sc.Services[2].Group = ref(scenario.KindGroup, "pharmacy")
	sc.Remedies = []*scenario.Remedy{
		{Name: "failover", Service: ref(scenario.KindService, "egress-proxy")},
		{Name: "raise-conn-table", Service: ref(scenario.KindService, "egress-proxy"), RequiresChange: true},
		{Name: "restart-claims", Service: ref(scenario.KindService, "claims-api"), Harmful: "errors rise"},
	}
	sc.Runbooks = []*scenario.Runbook{
		{Name: "proxy", Group: ref(scenario.KindGroup, "network"), Steps: []*scenario.RunbookStep{
			{Name: "check"}, {Name: "raise", Applies: ref(scenario.KindRemedy, "raise-conn-table")},
		}},
		{Name: "traffic", Group: ref(scenario.KindGroup, "platform"), Steps: []*scenario.RunbookStep{{Name: "open-view"}}},
	}
	sc.Alerts = []*scenario.Alert{{Name: "claims-5xx", Service: ref(scenario.KindService, "claims-api"), Metric: scenario.MetricErrorRate, Op: ">", Threshold: 0.05}}
	sc.Injects = []*scenario.Inject{
		{Name: "splunk", From: "Carla", Record: "request", About: ref(scenario.KindService, "claims-api")},
		{Name: "member-call", From: "Dana", Record: "incident", About: ref(scenario.KindService, "claims-api")},
		{Name: "store-call", From: "Store", Record: "incident", About: ref(scenario.KindService, "pharmacy-api")},
		{Name: "net-call", From: "Kim", Record: "incident", About: ref(scenario.KindService, "egress-proxy")},
		{Name: "net-call-2", From: "Joe", Record: "incident", About: ref(scenario.KindService, "egress-proxy")},
		{Name: "chat-clue", From: "raj"},
	}
	sc.Decisions = []*scenario.Decision{
		{Name: "restart-fleet", Prompt: "Restart?", Options: []*scenario.Option{
			{Name: "restart-all", Score: -15, Triggers: []scenario.Ref{ref(scenario.KindFault, "reconnect-storm")}},
			{Name: "canary", Score: 0},
			{Name: "hold", Text: "Hold and trace", Score: 10, Note: "right"},
		}},
		{Name: "bypass", Options: []*scenario.Option{{Name: "approve", Score: -20}, {Name: "ask", Score: 10}}},
	}
	sc.Expects = []*scenario.Expect{
		{Name: "first-record", Dimension: scenario.DimDetection, Condition: cond(t, "length(incidents) >= 1"), Within: mins(12), Decay: mins(8), Points: 10},
		{Name: "identified", Dimension: scenario.DimTriage, Condition: cond(t, "identified"), Within: mins(20), Decay: mins(10), Points: 20},
		{Name: "paged", Dimension: scenario.DimCoordination, Condition: cond(t, "pages >= 1"), Within: mins(15), Points: 10},
		{Name: "updates", Dimension: scenario.DimCommunication, Condition: cond(t, "status_updates >= 1"), Within: mins(30), Points: 10},
		{Name: "mitigated", Dimension: scenario.DimRecovery, Condition: cond(t, "mitigated"), Within: mins(40), Points: 20},
		{Name: "held", Dimension: scenario.DimCoordination, Condition: cond(t, `decision.restart-fleet.choice == "hold"`), Points: 5},
		{Name: "problem", Dimension: scenario.DimProcess, Condition: cond(t, "length(problems) >= 1"), Points: 10},
		{Name: "never", Dimension: scenario.DimProcess, Condition: cond(t, "validated && length(war_rooms) == 0"), Points: 10},
	}
	return sc
}

// Event builders for what full() does not have.

func inject(at time.Duration, name, from, record, about string) engine.Event {
	return ev(at, engine.KindInject, "", engine.InjectData{Name: name, Channel: "phone", From: from, Text: "…", Record: record, About: about})
}

func offered(at time.Duration, name string) engine.Event {
	return ev(at, engine.KindOffered, "", engine.DecisionData{Name: name, Prompt: "?"})
}

func answered(at time.Duration, name, option, by string, score float64, took time.Duration) engine.Event {
	return ev(at, engine.KindAnswered, by, engine.AnswerData{Name: name, Option: option, By: by, Score: score, Took: took, TimedOut: by == ""})
}

func met(at time.Duration, name, dim string, points float64) engine.Event {
	return ev(at, engine.KindExpectMet, "", engine.ExpectData{Name: name, Dimension: dim, Points: points})
}

func refused(at time.Duration, actor string, role engine.Role, a engine.Action, code engine.Code) engine.Event {
	return ev(at, engine.KindRefused, actor, engine.RefusedData{Action: a, Role: role, Code: string(code), Reason: "refused"})
}

func remedy(at time.Duration, name, service, phase, by, harm string) engine.Event {
	return ev(at, engine.KindRemedy, by, engine.RemedyData{Remedy: name, Service: service, Phase: phase, By: by, Harm: harm})
}

func pageAct(at time.Duration, actor, group, person, runbook string) engine.Event {
	return act(at, actor, engine.RoleTechnician, engine.Action{Op: engine.OpPage, Group: group, Person: person, Runbook: runbook})
}

func statusUpdate(at time.Duration, actor string, role engine.Role) engine.Event {
	return act(at, actor, role, engine.Action{Op: engine.OpStatusUpdate, Text: "update"})
}

func caller(rc engine.RecordChange, who string) engine.RecordChange {
	rc.Incident.Caller = who
	return rc
}

func class(rc engine.RecordChange, c engine.Classification) engine.RecordChange {
	rc.Incident.Class = c
	return rc
}

func validated(rc engine.RecordChange, by, impact string) engine.RecordChange {
	rc.Incident.Validated, rc.Incident.ValidatedBy, rc.Incident.BusinessImpact = engine.Stamp{At: 1, Set: true}, by, impact
	return rc
}

func problems(rc engine.RecordChange, numbers ...string) engine.RecordChange {
	rc.Incident.Problems = numbers
	return rc
}

func change(number, forInc, remedy string, st engine.ChangeState) engine.RecordChange {
	return engine.RecordChange{Change: &engine.Change{Number: number, Incident: forInc, Remedy: remedy, State: st}}
}

func problem(number string, incs ...string) engine.RecordChange {
	return engine.RecordChange{Problem: &engine.Problem{Number: number, Incidents: incs, State: engine.ProblemNew}}
}

// drillStory is full() with the rest of a run around it: the contacts
// (the splunk request recorded as one, the member call becoming INC0001,
// the store call never recorded), a decision held at 21m and one never
// offered, the expectations met, a page to network and one to platform, a
// harmful restart, a change tried before its approval, a close tried
// before validation, status updates from the incident manager, and the
// players' confidence and lessons.
func drillStory() story {
	cc, sd, tech, owner, im := engine.RoleCommandCenter, engine.RoleServiceDesk, engine.RoleTechnician, engine.RoleServiceOwner, engine.RoleIncidentManager
	s := full().without(isOp(engine.OpCreateIncident)).unvalidated()
	return s.with(
		act(0, "ana", owner, engine.Action{Op: engine.OpRateConfidence, Rating: 2}),
		inject(mins(2), "splunk", "Carla", "request", "claims-api"),
		act(mins(3), "sam", sd, op(engine.OpCreateIncident, ""), caller(class(inc("INC0009", "claims-api", 4, engine.StateNew), engine.ClassServiceRequest), "Carla")),
		inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
		act(mins(10), "sam", sd, op(engine.OpCreateIncident, ""), inc("INC0001", "claims-api", 3, engine.StateNew)),
		met(mins(10), "first-record", "detection", 10),
		inject(mins(11), "chat-clue", "raj", "", ""),
		inject(mins(12), "store-call", "Store", "incident", "pharmacy-api"),
		pageAct(mins(12), "raj", "network", "", ""),
		met(mins(12.5), "paged", "coordination", 10),
		pageAct(mins(13), "raj", "platform", "", ""),
		pageAct(mins(13.5), "kim", "platform", "", "traffic"),
		pageAct(mins(13.5), "kim", "", "lena", ""),
		offered(mins(19), "restart-fleet"),
		statusUpdate(mins(20), "mo", im),
		met(mins(20), "updates", "communication", 10),
		answered(mins(21), "restart-fleet", "hold", "pat", 10, mins(2)),
		met(mins(21), "held", "coordination", 5),
		met(mins(25), "identified", "triage", 20),
		remedy(mins(27), "restart-claims", "claims-api", "started", "raj", ""),
		world(mins(30), changeHarm, "", "claims-api", false),
		remedy(mins(30), "restart-claims", "claims-api", "completed", "", "errors rise"),
		remedy(mins(30), "restart-claims", "claims-api", "completed", "", "errors rise"),
		act(mins(30), "ana", owner, engine.Action{Op: engine.OpStateTime, Record: "INC0001", Milestone: engine.MilestoneImpactStarted, Stated: mins(4)}),
		act(mins(31), "ana", owner, engine.Action{Op: engine.OpStateTime, Record: "INC0001", Milestone: engine.MilestoneDetected, Stated: mins(10)}),
		met(mins(34), "mitigated", "recovery", 20),
		refused(mins(36), "kim", tech, engine.Action{Op: engine.OpApplyRemedy, Remedy: "raise-conn-table", Record: "INC0001"}, engine.Conflict),
		act(mins(36.5), "raj", tech, op(engine.OpDeclareWorkaround, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateMitigated)),
		act(mins(38), "kim", tech, engine.Action{Op: engine.OpOpenChange, Record: "INC0001", Remedy: "raise-conn-table"}, change("CHG0001", "INC0001", "raise-conn-table", engine.ChangeRequested)),
		act(mins(39), "pat", cc, op(engine.OpApproveChange, "CHG0001"), change("CHG0001", "INC0001", "raise-conn-table", engine.ChangeApproved)),
		act(mins(40), "pat", cc, op(engine.OpOpenProblem, "INC0001"), problem("PRB0001", "INC0001"), problems(inc("INC0001", "claims-api", 1, engine.StateMitigated), "PRB0001")),
		met(mins(40), "problem", "process", 10),
		act(mins(42), "kim", tech, engine.Action{Op: engine.OpRunRunbookStep, Runbook: "proxy", Step: "raise", Record: "INC0001"}, change("CHG0001", "INC0001", "raise-conn-table", engine.ChangeImplemented)),
		remedy(mins(42), "raise-conn-table", "egress-proxy", "started", "kim", ""),
		statusUpdate(mins(50), "mo", im),
		refused(mins(58), "pat", cc, op(engine.OpClose, "INC0001"), engine.Conflict),
		act(mins(60), "ana", owner, op(engine.OpValidateRestoration, "INC0001"), validated(problems(inc("INC0001", "claims-api", 1, engine.StateRestored), "PRB0001"), "ana", "")),
		act(mins(61), "ana", owner, op(engine.OpBusinessImpact, "INC0001"), validated(problems(inc("INC0001", "claims-api", 1, engine.StateRestored), "PRB0001"), "ana", "claims delayed")),
		act(mins(62), "pat", cc, op(engine.OpClose, "INC0001"), validated(problems(inc("INC0001", "claims-api", 1, engine.StateClosed), "PRB0001"), "ana", "claims delayed")),
	)
}

// afterEnd appends what players add after the end.
func afterEnd(log []engine.Event, evs ...engine.Event) []engine.Event {
	last := log[len(log)-1]
	for _, e := range evs {
		last.Seq++
		e.Seq, e.At = last.Seq, last.At
		log = append(log, e)
	}
	return log
}

func mustScore(t testing.TB, sc *scenario.Scenario, log []engine.Event) Report {
	t.Helper()
	rep, err := Score(sc, log)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return rep
}

// seqAt is the sequence number of the first event at `at` for which match
// holds: tests name evidence by time and kind rather than by counting.
func seqAt(t testing.TB, log []engine.Event, at time.Duration, match func(engine.Event) bool) uint64 {
	t.Helper()
	for _, e := range log {
		if e.At == at && match(e) {
			return e.Seq
		}
	}
	t.Fatalf("no matching event at %v", at)
	return 0
}
