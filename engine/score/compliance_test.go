package score

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// proxyOutage is the bare outage compliance is judged against: the proxy
// fault (a root cause) from 5m, claims and the proxy unhealthy from 6m to
// 34m; pharmacy stays healthy.
func proxyOutage(evs ...engine.Event) story {
	return story{
		end: mins(90),
		outages: map[string][]span{
			"egress-proxy": {{mins(6), mins(34)}},
			"claims-api":   {{mins(6), mins(34)}},
		},
		events: append([]engine.Event{world(mins(5), changeStarted, "proxy-saturation", "egress-proxy", true)}, evs...),
	}
}

var (
	sd   = engine.RoleServiceDesk
	cc   = engine.RoleCommandCenter
	tech = engine.RoleTechnician
	im   = engine.RoleIncidentManager
	own  = engine.RoleServiceOwner
)

func create(at time.Duration, rc engine.RecordChange) engine.Event {
	return act(at, "sam", sd, op(engine.OpCreateIncident, ""), rc)
}

// checks returns the report's checks named name.
func checks(rep Report, name CheckName) []Check {
	var out []Check
	for _, c := range rep.Compliance {
		if c.Check == name {
			out = append(out, c)
		}
	}
	return out
}

type checkWant struct {
	subject    string
	status     Status
	violations int
	evidence   []time.Duration // the times of the evidence events
}

func checkChecks(t *testing.T, got []Check, want []checkWant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d checks, want %d: %+v", len(got), len(want), got)
	}
	for i, c := range got {
		w := want[i]
		var at []time.Duration
		for _, e := range c.Evidence {
			at = append(at, e.At)
		}
		if c.Subject != w.subject || c.Status != w.status || c.Violations != w.violations || !slices.Equal(at, w.evidence) {
			t.Errorf("%s %q = %s, %d violations, evidence at %v (%s); want %q %s, %d, %v",
				c.Check, c.Subject, c.Status, c.Violations, at, c.Detail, w.subject, w.status, w.violations, w.evidence)
		}
		if c.Detail == "" {
			t.Errorf("%s %q has no detail", c.Check, c.Subject)
		}
	}
}

func TestClassificationAndPriority(t *testing.T) {
	tests := []struct {
		name     string
		events   []engine.Event
		matrix   map[engine.Level]map[engine.Level]engine.Priority
		class    []checkWant
		priority []checkWant
	}{
		{
			name: "recorded right, by caller",
			events: []engine.Event{
				inject(mins(7), "splunk", "Carla", "request", "claims-api"),
				inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
				// Dana's record first: matched by caller, not by order.
				create(mins(10), caller(inc("INC0001", "claims-api", 2, engine.StateNew), "Dana")),
				create(mins(11), caller(class(inc("INC0002", "claims-api", 4, engine.StateNew), engine.ClassServiceRequest), "Carla")),
			},
			class:    []checkWant{{"splunk", Passed, 0, []time.Duration{mins(11)}}, {"member-call", Passed, 0, []time.Duration{mins(10)}}},
			priority: []checkWant{{"member-call", Passed, 0, []time.Duration{mins(10)}}},
		},
		{
			// No callers recorded: by service, each contact taking a record
			// of its own class before one of the other.
			name: "by service and class",
			events: []engine.Event{
				inject(mins(7), "splunk", "Carla", "request", "claims-api"),
				inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
				create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)),
				create(mins(11), class(inc("INC0002", "claims-api", 4, engine.StateNew), engine.ClassServiceRequest)),
			},
			class:    []checkWant{{"splunk", Passed, 0, []time.Duration{mins(11)}}, {"member-call", Passed, 0, []time.Duration{mins(10)}}},
			priority: []checkWant{{"member-call", Passed, 0, []time.Duration{mins(10)}}},
		},
		{
			name: "a request recorded as an incident, then reclassified",
			events: []engine.Event{
				inject(mins(7), "splunk", "Carla", "request", "claims-api"),
				create(mins(8), caller(inc("INC0001", "claims-api", 3, engine.StateNew), "Carla")),
				act(mins(9), "sam", sd, engine.Action{Op: engine.OpClassify, Record: "INC0001", Classification: engine.ClassServiceRequest},
					class(inc("INC0001", "claims-api", 3, engine.StateNew), engine.ClassServiceRequest)),
			},
			class: []checkWant{{"splunk", Passed, 0, []time.Duration{mins(8), mins(9)}}},
		},
		{
			name: "a request recorded as an incident",
			events: []engine.Event{
				inject(mins(7), "splunk", "Carla", "request", "claims-api"),
				create(mins(8), caller(inc("INC0001", "claims-api", 3, engine.StateNew), "Carla")),
			},
			class: []checkWant{{"splunk", Failed, 0, []time.Duration{mins(8)}}},
		},
		{
			name: "an incident recorded as a request, then declined",
			events: []engine.Event{
				inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
				inject(mins(10), "store-call", "Store", "incident", "claims-api"),
				create(mins(10), caller(class(inc("INC0001", "claims-api", 4, engine.StateNew), engine.ClassServiceRequest), "Dana")),
				create(mins(11), caller(inc("INC0002", "claims-api", 1, engine.StateDeclined), "Store")),
			},
			class: []checkWant{{"member-call", Failed, 0, []time.Duration{mins(10)}}, {"store-call", Failed, 0, []time.Duration{mins(11)}}},
			// Neither is an incident: classification says so, not priority.
			priority: []checkWant{{"member-call", NotApplicable, 0, nil}, {"store-call", NotApplicable, 0, nil}},
		},
		{
			name: "nobody recorded it",
			events: []engine.Event{
				inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
				// Made before the call: not for it.
				create(mins(8), inc("INC0001", "claims-api", 1, engine.StateNew)),
			},
			class:    []checkWant{{"member-call", Failed, 0, []time.Duration{mins(9)}}},
			priority: []checkWant{{"member-call", NotApplicable, 0, nil}},
		},
		{
			name: "a critical service under-prioritised",
			events: []engine.Event{
				inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
				create(mins(10), caller(inc("INC0001", "claims-api", 3, engine.StateNew), "Dana")),
			},
			class:    []checkWant{{"member-call", Passed, 0, []time.Duration{mins(10)}}},
			priority: []checkWant{{"member-call", Failed, 0, []time.Duration{mins(10)}}},
		},
		{
			// A P3 child runs at its P1 parent's priority; the evidence is
			// where the parent got it.
			name: "a child under a high-priority parent",
			events: []engine.Event{
				inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
				create(mins(10), caller(inc("INC0002", "claims-api", 3, engine.StateNew), "Dana")),
				act(mins(12), "mo", im, op(engine.OpMakeParent, "INC0001"), parent(inc("INC0001", "egress-proxy", 1, engine.StateNew), "INC0002")),
				act(mins(13), "mo", im, op(engine.OpLinkParent, "INC0002"), child(inc("INC0002", "claims-api", 3, engine.StateNew), "INC0001")),
			},
			class:    []checkWant{{"member-call", Passed, 0, []time.Duration{mins(10)}}},
			priority: []checkWant{{"member-call", Passed, 0, []time.Duration{mins(12)}}},
		},
		{
			// The proxy is not critical: P3 is right, P4 is not.
			name: "a service that is not critical",
			events: []engine.Event{
				inject(mins(9), "net-call", "Kim", "incident", "egress-proxy"),
				inject(mins(9), "net-call-2", "Joe", "incident", "egress-proxy"),
				create(mins(10), caller(inc("INC0001", "egress-proxy", 3, engine.StateNew), "Kim")),
				create(mins(10), caller(inc("INC0002", "egress-proxy", 4, engine.StateNew), "Joe")),
			},
			class:    []checkWant{{"net-call", Passed, 0, []time.Duration{mins(10)}}, {"net-call-2", Passed, 0, []time.Duration{mins(10)}}},
			priority: []checkWant{{"net-call", Passed, 0, []time.Duration{mins(10)}}, {"net-call-2", Failed, 0, []time.Duration{mins(10)}}},
		},
		{
			name: "a service that was not impacted",
			events: []engine.Event{
				inject(mins(9), "store-call", "Store", "incident", "pharmacy-api"),
				create(mins(10), caller(inc("INC0001", "pharmacy-api", 4, engine.StateNew), "Store")),
			},
			class:    []checkWant{{"store-call", Passed, 0, []time.Duration{mins(10)}}},
			priority: []checkWant{{"store-call", NotApplicable, 0, nil}},
		},
		{
			// A scenario's own matrix: high impact, medium urgency is P3,
			// so P3 is right for a critical service.
			name:   "the scenario's matrix",
			matrix: map[engine.Level]map[engine.Level]engine.Priority{engine.LevelHigh: {engine.LevelHigh: 1, engine.LevelMedium: 3}},
			events: []engine.Event{
				inject(mins(9), "member-call", "Dana", "incident", "claims-api"),
				create(mins(10), caller(inc("INC0001", "claims-api", 3, engine.StateNew), "Dana")),
			},
			class:    []checkWant{{"member-call", Passed, 0, []time.Duration{mins(10)}}},
			priority: []checkWant{{"member-call", Passed, 0, []time.Duration{mins(10)}}},
		},
		{
			name:   "a contact that needs no record",
			events: []engine.Event{inject(mins(9), "chat-clue", "raj", "", "claims-api")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := drill(t)
			if tt.matrix != nil {
				sc.Process.Matrix = tt.matrix
			}
			rep := mustScore(t, sc, proxyOutage(tt.events...).log())
			checkChecks(t, sent(checks(rep, CheckClassification)), tt.class)
			checkChecks(t, sent(checks(rep, CheckPriority)), tt.priority)
			for _, c := range append(checks(rep, CheckClassification), checks(rep, CheckPriority)...) {
				if c.Max != CheckPoints {
					t.Errorf("%s %q has max %v: every contact of the scenario counts, sent or not", c.Check, c.Subject, c.Max)
				}
			}
		})
	}
}

// sent drops the checks of contacts the story never sent: the scenario's
// contacts all have checks, and one never sent is no loss.
func sent(cs []Check) []Check {
	return slices.DeleteFunc(cs, func(c Check) bool {
		never := strings.Contains(c.Detail, "was never sent")
		if never && (c.Status != NotApplicable || c.Points != CheckPoints) {
			panic("a contact never sent must be not applicable and credited")
		}
		return never
	})
}

func TestRightPriority(t *testing.T) {
	def := engine.DefaultPolicy()
	if got := RightPriority(def, true); got != 2 {
		t.Errorf("critical: P%d, want P2", got)
	}
	if got := RightPriority(def, false); got != 3 {
		t.Errorf("not critical: P%d, want P3", got)
	}
	// An unknown pair is P4 by the policy.
	if got := RightPriority(engine.Policy{Matrix: map[engine.Level]map[engine.Level]engine.Priority{}}, true); got != 4 {
		t.Errorf("empty matrix: P%d, want P4", got)
	}
}

// The checks of a P1/P2: incident alert, one war room, the command center.
func TestHighPriorityChecks(t *testing.T) {
	p1 := create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew))
	alert := act(mins(12), "pat", cc, op(engine.OpRaiseIncidentAlert, "INC0001"), incAlert(mins(12), "IA0001", "INC0001", 1))
	room := act(mins(13), "pat", cc, op(engine.OpOpenWarRoom, "INC0001"), warRoom("WR01", "INC0001", ""))
	tests := []struct {
		name                string
		minor               bool // no service is critical: the outage warrants P3
		events              []engine.Event
		alert, room, center checkWant
	}{
		{
			name:   "all done",
			events: []engine.Event{p1, alert, room},
			alert:  checkWant{"", Passed, 0, []time.Duration{mins(12)}},
			room:   checkWant{"", Passed, 0, []time.Duration{mins(13)}},
			center: checkWant{"", Passed, 0, []time.Duration{mins(10), mins(12)}},
		},
		{
			name:   "nothing done",
			events: []engine.Event{p1},
			alert:  checkWant{"", Failed, 0, []time.Duration{mins(10)}},
			room:   checkWant{"", Failed, 0, nil},
			center: checkWant{"", Failed, 0, []time.Duration{mins(10)}},
		},
		{
			// Three bridges for one outage: the incidents were never
			// linked, so the engine saw no duplicate; the check does.
			name: "a war room per incident",
			events: []engine.Event{
				p1, create(mins(11), inc("INC0002", "egress-proxy", 2, engine.StateNew)),
				act(mins(12), "pat", cc, op(engine.OpRaiseIncidentAlert, "INC0001"), incAlert(mins(12), "IA0001", "INC0001", 1)),
				act(mins(12.5), "pat", cc, op(engine.OpRaiseIncidentAlert, "INC0002"), incAlert(mins(12.5), "IA0002", "INC0002", 2)),
				room,
				act(mins(14), "kim", tech, op(engine.OpOpenWarRoom, "INC0002"), warRoom("WR02", "INC0002", "")),
			},
			alert:  checkWant{"", Passed, 0, []time.Duration{mins(12), mins(12.5)}},
			room:   checkWant{"", Failed, 0, []time.Duration{mins(13), mins(14)}},
			center: checkWant{"", Passed, 0, []time.Duration{mins(10), mins(12)}},
		},
		{
			// A child is covered by its parent's alert; the P1 child makes
			// the war room and the command center needed.
			name: "a P1 child under a P3 parent",
			events: []engine.Event{
				p1,
				act(mins(11), "mo", im, op(engine.OpMakeParent, "INC0002"), parent(inc("INC0002", "egress-proxy", 3, engine.StateNew), "INC0001")),
				act(mins(11), "mo", im, op(engine.OpLinkParent, "INC0001"), child(inc("INC0001", "claims-api", 1, engine.StateNew), "INC0002")),
				act(mins(20), "pat", cc, op(engine.OpOpenWarRoom, "INC0002"), warRoom("WR01", "INC0002", "")),
			},
			alert:  checkWant{"", NotApplicable, 0, nil},
			room:   checkWant{"", Passed, 0, []time.Duration{mins(20)}},
			center: checkWant{"", Passed, 0, []time.Duration{mins(10), mins(20)}},
		},
		{
			// The command center acting before the P1 existed does not count.
			name: "the command center only before",
			events: []engine.Event{
				act(mins(8), "pat", cc, engine.Action{Op: engine.OpQueryTelemetry, Service: "claims-api"}),
				create(mins(9), inc("INC0001", "claims-api", 3, engine.StateNew)),
				act(mins(15), "mo", im, engine.Action{Op: engine.OpPrioritise, Record: "INC0001"}, inc("INC0001", "claims-api", 2, engine.StateNew)),
				act(mins(16), "pat", cc, engine.Action{Op: engine.OpRateConfidence, Rating: 3}),
			},
			alert:  checkWant{"", Failed, 0, []time.Duration{mins(15)}},
			room:   checkWant{"", Failed, 0, nil},
			center: checkWant{"", Failed, 0, []time.Duration{mins(15)}},
		},
		{
			// claims-api is critical: its outage warranted P2, so the
			// duties were owed though nobody raised the priority.
			name:   "a P3 for an outage that warranted P2",
			events: []engine.Event{create(mins(10), inc("INC0001", "claims-api", 3, engine.StateNew))},
			alert:  checkWant{"", Failed, 0, nil},
			room:   checkWant{"", Failed, 0, nil},
			center: checkWant{"", Failed, 0, nil},
		},
		{
			name:   "a P3 needs none of it",
			minor:  true,
			events: []engine.Event{create(mins(10), inc("INC0001", "claims-api", 3, engine.StateNew))},
			alert:  checkWant{"", NotApplicable, 0, nil},
			room:   checkWant{"", NotApplicable, 0, nil},
			center: checkWant{"", NotApplicable, 0, nil},
		},
		{
			// Records about something else (a healthy service) are not the
			// outage's.
			name:   "an unrelated P1",
			minor:  true,
			events: []engine.Event{create(mins(10), inc("INC0001", "pharmacy-api", 1, engine.StateNew))},
			alert:  checkWant{"", NotApplicable, 0, nil},
			room:   checkWant{"", NotApplicable, 0, nil},
			center: checkWant{"", NotApplicable, 0, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := drill(t)
			if tt.minor {
				for _, x := range sc.Services {
					x.Critical = false
				}
			}
			rep := mustScore(t, sc, proxyOutage(tt.events...).log())
			checkChecks(t, checks(rep, CheckIncidentAlert), []checkWant{tt.alert})
			checkChecks(t, checks(rep, CheckWarRoom), []checkWant{tt.room})
			checkChecks(t, checks(rep, CheckCommandCenter), []checkWant{tt.center})
		})
	}
}

func TestProblemRecordCheck(t *testing.T) {
	tests := []struct {
		name   string
		sc     func(*scenario.Scenario)
		events []engine.Event
		want   checkWant
	}{
		{
			name:   "P1 without one",
			events: []engine.Event{create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew))},
			want:   checkWant{"", Failed, 0, []time.Duration{mins(10)}},
		},
		{
			name: "P1 with one on a child",
			events: []engine.Event{
				create(mins(10), inc("INC0002", "claims-api", 2, engine.StateNew)),
				act(mins(11), "mo", im, op(engine.OpMakeParent, "INC0001"), parent(inc("INC0001", "egress-proxy", 1, engine.StateNew), "INC0002")),
				act(mins(11), "mo", im, op(engine.OpLinkParent, "INC0002"), child(inc("INC0002", "claims-api", 2, engine.StateNew), "INC0001")),
				act(mins(30), "pat", cc, op(engine.OpOpenProblem, "INC0002"), problem("PRB0001", "INC0002"), problems(child(inc("INC0002", "claims-api", 2, engine.StateNew), "INC0001"), "PRB0001")),
			},
			want: checkWant{"", Passed, 0, []time.Duration{mins(30)}},
		},
		{
			// A P2 of the proxy: not critical, the vendor's change is
			// after the fault, the critical claims went down but it is
			// not in this record's family.
			name: "P2 without reasons",
			sc: func(sc *scenario.Scenario) {
				sc.Vendors[0].Changes[0].At = mins(50)
			},
			events: []engine.Event{create(mins(10), inc("INC0001", "egress-proxy", 2, engine.StateNew))},
			want:   checkWant{"", NotApplicable, 0, nil},
		},
		{
			// The same P2, caused by the vendor's change two hours before.
			name:   "P2 caused by a change",
			events: []engine.Event{create(mins(10), inc("INC0001", "egress-proxy", 2, engine.StateNew))},
			want:   checkWant{"", Failed, 0, []time.Duration{mins(10)}},
		},
		{
			name: "P2 of a critical service that went down",
			sc: func(sc *scenario.Scenario) {
				sc.Vendors = nil
			},
			events: []engine.Event{
				create(mins(10), inc("INC0001", "claims-api", 2, engine.StateNew)),
				act(mins(40), "pat", cc, op(engine.OpOpenProblem, "INC0001"), problem("PRB0001", "INC0001"), problems(inc("INC0001", "claims-api", 2, engine.StateNew), "PRB0001")),
			},
			want: checkWant{"", Passed, 0, []time.Duration{mins(40)}},
		},
		{
			// claims-api is critical and went down: its outage warranted
			// P2 with reasons, whatever the record said.
			name:   "P3 of an outage that warranted P2",
			events: []engine.Event{create(mins(10), inc("INC0001", "claims-api", 3, engine.StateNew))},
			want:   checkWant{"", Failed, 0, nil},
		},
		{
			name: "P3 of a minor outage",
			sc: func(sc *scenario.Scenario) {
				for _, x := range sc.Services {
					x.Critical = false
				}
			},
			events: []engine.Event{create(mins(10), inc("INC0001", "claims-api", 3, engine.StateNew))},
			want:   checkWant{"", NotApplicable, 0, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := drill(t)
			if tt.sc != nil {
				tt.sc(sc)
			}
			rep := mustScore(t, sc, proxyOutage(tt.events...).log())
			checkChecks(t, checks(rep, CheckProblemRecord), []checkWant{tt.want})
		})
	}
}

func TestChangeBeforeRemedyCheck(t *testing.T) {
	apply := engine.Action{Op: engine.OpApplyRemedy, Remedy: "raise-conn-table", Record: "INC0001"}
	step := engine.Action{Op: engine.OpRunRunbookStep, Runbook: "proxy", Step: "raise", Record: "INC0001"}
	requested := act(mins(20), "kim", tech, engine.Action{Op: engine.OpOpenChange, Record: "INC0001", Remedy: "raise-conn-table"}, change("CHG0001", "INC0001", "raise-conn-table", engine.ChangeRequested))
	approved := act(mins(22), "pat", cc, op(engine.OpApproveChange, "CHG0001"), change("CHG0001", "INC0001", "raise-conn-table", engine.ChangeApproved))
	applied := act(mins(25), "kim", tech, apply, change("CHG0001", "INC0001", "raise-conn-table", engine.ChangeImplemented))
	started := remedy(mins(25), "raise-conn-table", "egress-proxy", "started", "kim", "")
	tests := []struct {
		name   string
		events []engine.Event
		want   []checkWant
	}{
		{"none tried", nil, []checkWant{{"raise-conn-table", NotApplicable, 0, nil}}},
		{
			name:   "under an approved change",
			events: []engine.Event{requested, approved, applied, started},
			want:   []checkWant{{"raise-conn-table", Passed, 0, []time.Duration{mins(25)}}},
		},
		{
			name: "tried before, then under a change",
			events: []engine.Event{
				refused(mins(15), "kim", tech, apply, engine.Conflict),
				requested,
				// Requested is not approved: still a violation.
				refused(mins(21), "joe", tech, step, engine.Conflict),
				approved, applied, started,
			},
			want: []checkWant{{"raise-conn-table", Failed, 2, []time.Duration{mins(15), mins(21), mins(25)}}},
		},
		{
			// Refused for other reasons: wrong group; already under way;
			// an approved change existed (something else was wrong).
			name: "refusals of other kinds",
			events: []engine.Event{
				refused(mins(15), "ana", tech, apply, engine.Forbidden),
				requested, approved,
				refused(mins(23), "kim", tech, apply, engine.Conflict),
				applied, started,
				refused(mins(26), "joe", tech, step, engine.Conflict),
				refused(mins(27), "joe", tech, engine.Action{Op: engine.OpApplyRemedy, Remedy: "failover"}, engine.Conflict),
			},
			want: []checkWant{{"raise-conn-table", Passed, 0, []time.Duration{mins(25)}}},
		},
		{
			// Completed, the remedy is no longer under way: trying it
			// again without a new change is a violation.
			name: "again after completion",
			events: []engine.Event{
				requested, approved, applied, started,
				remedy(mins(35), "raise-conn-table", "egress-proxy", "completed", "", ""),
				refused(mins(40), "kim", tech, apply, engine.Conflict),
			},
			want: []checkWant{{"raise-conn-table", Failed, 1, []time.Duration{mins(25), mins(40)}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := mustScore(t, drill(t), proxyOutage(tt.events...).log())
			checkChecks(t, checks(rep, CheckChangeBeforeRemedy), tt.want)
		})
	}
}

func TestValidationBeforeCloseCheck(t *testing.T) {
	restoredP1 := act(mins(40), "raj", tech, op(engine.OpDeclareRestored, "INC0001"), inc("INC0001", "claims-api", 1, engine.StateRestored))
	closeOp := op(engine.OpClose, "INC0001")
	tests := []struct {
		name   string
		events []engine.Event
		want   checkWant
	}{
		{
			name:   "never closed",
			events: []engine.Event{create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)), restoredP1},
			want:   checkWant{"", NotApplicable, 0, nil},
		},
		{
			name: "closed right",
			events: []engine.Event{
				create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)), restoredP1,
				act(mins(50), "pat", cc, closeOp, validated(inc("INC0001", "claims-api", 1, engine.StateClosed), "ana", "members waited")),
			},
			want: checkWant{"", Passed, 0, []time.Duration{mins(50)}},
		},
		{
			// The engine refuses this; a log from elsewhere may hold it.
			name: "closed without a business-impact statement",
			events: []engine.Event{
				create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)), restoredP1,
				act(mins(50), "pat", cc, closeOp, validated(inc("INC0001", "claims-api", 1, engine.StateClosed), "ana", "")),
			},
			want: checkWant{"", Failed, 0, []time.Duration{mins(50)}},
		},
		{
			// Refused before restoration: that is not about validation.
			name: "refusals",
			events: []engine.Event{
				create(mins(10), inc("INC0001", "claims-api", 1, engine.StateNew)),
				refused(mins(30), "pat", cc, closeOp, engine.Conflict),
				restoredP1,
				refused(mins(45), "pat", cc, closeOp, engine.Conflict),
				refused(mins(46), "sam", sd, closeOp, engine.Forbidden),
			},
			want: checkWant{"", Failed, 1, []time.Duration{mins(45)}},
		},
		{
			name: "a P3 closes without",
			events: []engine.Event{
				create(mins(10), inc("INC0001", "claims-api", 3, engine.StateNew)),
				act(mins(50), "pat", cc, closeOp, inc("INC0001", "claims-api", 3, engine.StateClosed)),
			},
			want: checkWant{"", NotApplicable, 0, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := mustScore(t, drill(t), proxyOutage(tt.events...).log())
			checkChecks(t, checks(rep, CheckValidationBeforeClose), []checkWant{tt.want})
		})
	}
}

func TestParentLinkedCheck(t *testing.T) {
	claims := create(mins(10), inc("INC0001", "claims-api", 2, engine.StateNew))
	proxy := create(mins(11), inc("INC0002", "egress-proxy", 2, engine.StateNew))
	makeParent := act(mins(12), "mo", im, op(engine.OpMakeParent, "INC0003"), parent(inc("INC0003", "", 1, engine.StateNew), "INC0001", "INC0002"))
	link := func(at time.Duration, n, svc, par string) engine.Event {
		return act(at, "mo", im, op(engine.OpLinkParent, n), child(inc(n, svc, 2, engine.StateNew), par))
	}
	tests := []struct {
		name   string
		events []engine.Event
		want   checkWant
	}{
		{"one incident", []engine.Event{claims}, checkWant{"", NotApplicable, 0, nil}},
		{"two unlinked", []engine.Event{claims, proxy}, checkWant{"", Failed, 0, nil}},
		{
			name:   "one linked, one not",
			events: []engine.Event{claims, proxy, makeParent, link(mins(13), "INC0001", "claims-api", "INC0003")},
			want:   checkWant{"", Failed, 0, []time.Duration{mins(13)}},
		},
		{
			name:   "both under one parent",
			events: []engine.Event{claims, proxy, makeParent, link(mins(13), "INC0001", "claims-api", "INC0003"), link(mins(14), "INC0002", "egress-proxy", "INC0003")},
			want:   checkWant{"", Passed, 0, []time.Duration{mins(13), mins(14)}},
		},
		{
			name: "under two parents",
			events: []engine.Event{claims, proxy, link(mins(13), "INC0001", "claims-api", "INC0003"), link(mins(14), "INC0002", "egress-proxy", "INC0004"),
				act(mins(12), "mo", im, op(engine.OpMakeParent, "INC0004"), parent(inc("INC0004", "", 1, engine.StateNew), "INC0002")),
				makeParent},
			want: checkWant{"", Failed, 0, []time.Duration{mins(13), mins(14)}},
		},
		{
			// The duplicate merged away, and a request, do not need a parent.
			name: "merged and requests left out",
			events: []engine.Event{claims,
				create(mins(11), inc("INC0002", "claims-api", 2, engine.StateMerged)),
				create(mins(12), class(inc("INC0003", "claims-api", 4, engine.StateNew), engine.ClassServiceRequest)),
			},
			want: checkWant{"", NotApplicable, 0, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := mustScore(t, drill(t), proxyOutage(tt.events...).log())
			checkChecks(t, checks(rep, CheckParentLinked), []checkWant{tt.want})
		})
	}
}
