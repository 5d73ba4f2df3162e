package exercise

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// The permission matrix. testdata/matrix.hcl has two mirror-image teams:
// blue is the actor's side (their group, their service, their page, a
// minor incident, a decision put to them) and red is not (another group,
// another owner, another holder, a major incident, a decision put to
// others). Every op is played by every role against both, and the door
// must refuse it as forbidden exactly when the policy table says so,
// read here from the table's data rather than through engine.Check.

func loadMatrix(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, diags := scenario.NewLoader().LoadFile("testdata/matrix.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return sc
}

// side is one team's things.
type side struct {
	group, tech, service, runbook, remedy, changeRemedy, vendor, decision string
	inc, parent                                                           string // its incident and a parent of its family
}

var (
	blue = side{"blue", "bt", "blue-api", "blue-book", "blue-fix", "blue-change", "bluevend", "blue-call", "INC0001", "INC0003"}
	red  = side{"red", "rt", "red-api", "red-book", "red-fix", "red-change", "redvend", "red-call", "INC0002", "INC0004"}
)

// actorFor is who plays role on blue's side.
func actorFor(role engine.Role) engine.Actor {
	name := map[engine.Role]string{
		engine.RoleCaller: "caller", engine.RoleServiceDesk: "sd", engine.RoleIncidentManager: "im",
		engine.RoleTechnician: "bt", engine.RoleCommandCenter: "cc", engine.RoleGroupOwner: "bo",
		engine.RoleServiceOwner: "bso", engine.RoleFacilitator: "f", engine.RoleObserver: "o",
	}[role]
	return engine.Actor{Name: name, Role: role}
}

// fac sets the scene; the facilitator the matrix plays is another ("f").
var fac = engine.Actor{Name: "setup", Role: engine.RoleFacilitator}

// setting is an exercise prepared for one op: the records both sides'
// actions need, made by the facilitator.
type setting struct {
	t *testing.T
	x *Exercise
}

func (s setting) do(a engine.Action) []engine.Event {
	s.t.Helper()
	evs, err := s.x.Apply(engine.Act(fac, a))
	if err != nil {
		s.t.Fatalf("setting up %s: %v", a.Op, err)
	}
	return evs
}

// newSetting starts the matrix scenario three minutes in (faults started,
// alerts fired, decisions offered) with an incident on each side: blue's
// minor, red's major, each assigned to its team, and a parent for each.
func newSetting(t *testing.T) setting {
	t.Helper()
	x, err := New(loadMatrix(t), Options{Seed: 1, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	x.Start()
	x.Advance(3 * time.Minute)
	s := setting{t, x}
	s.do(engine.Action{Op: engine.OpCreateIncident, Service: "blue-api", Group: "blue", Text: "blue down", Impact: engine.LevelLow, Urgency: engine.LevelLow})
	s.do(engine.Action{Op: engine.OpCreateIncident, Service: "red-api", Group: "red", Text: "red down", Impact: engine.LevelHigh, Urgency: engine.LevelHigh})
	s.do(engine.Action{Op: engine.OpCreateIncident, Service: "blue-api", Group: "blue", Text: "blue parent", Impact: engine.LevelLow, Urgency: engine.LevelLow})
	s.do(engine.Action{Op: engine.OpCreateIncident, Service: "red-api", Group: "red", Text: "red parent", Impact: engine.LevelHigh, Urgency: engine.LevelHigh})
	s.do(engine.Action{Op: engine.OpMakeParent, Record: "INC0003"})
	s.do(engine.Action{Op: engine.OpMakeParent, Record: "INC0004"})
	return s
}

// pageTo has the facilitator page a person and returns the page's number.
func (s setting) pageTo(person string) string {
	s.t.Helper()
	for _, e := range s.do(engine.Action{Op: engine.OpPage, Person: person, Text: "please look"}) {
		if d, ok := e.Data.(engine.PageData); ok {
			return d.Page
		}
	}
	s.t.Fatalf("paging %s sent no page", person)
	return ""
}

// prepared returns the action of op against side sd, after setting up
// what it needs on both sides. actor is who will take it.
func prepared(s setting, op engine.Op, sd side, actor engine.Actor) engine.Action {
	each := func(f func(side)) {
		f(blue)
		f(red)
	}
	ack := func() { each(func(d side) { s.do(engine.Action{Op: engine.OpAcknowledge, Record: d.inc}) }) }
	restore := func() {
		ack()
		each(func(d side) { s.do(engine.Action{Op: engine.OpDeclareRestored, Record: d.inc}) })
	}
	switch op {
	case engine.OpCreateIncident:
		return engine.Action{Op: op, Service: sd.service, Text: "it is slow", Impact: engine.LevelLow, Urgency: engine.LevelLow}
	case engine.OpUpdateIncident:
		return engine.Action{Op: op, Record: sd.inc, Text: "new description"}
	case engine.OpClassify:
		return engine.Action{Op: op, Record: sd.inc, Classification: engine.ClassServiceRequest}
	case engine.OpAssign:
		return engine.Action{Op: op, Record: sd.inc, Group: sd.group, Person: sd.tech}
	case engine.OpAcknowledge, engine.OpMakeParent, engine.OpOpenProblem:
		return engine.Action{Op: op, Record: sd.inc, Text: "why"}
	case engine.OpPrioritise:
		return engine.Action{Op: op, Record: sd.inc, Impact: engine.LevelMedium, Urgency: engine.LevelLow}
	case engine.OpLinkParent, engine.OpMerge:
		return engine.Action{Op: op, Record: sd.inc, Parent: sd.parent}
	case engine.OpDecline:
		return engine.Action{Op: op, Record: sd.inc, Text: "a question, not a failure"}
	case engine.OpOpenWarRoom:
		return engine.Action{Op: op, Record: sd.inc, Text: "bridge"}
	case engine.OpJoinWarRoom:
		each(func(d side) { s.do(engine.Action{Op: engine.OpOpenWarRoom, Record: d.inc}) })
		return engine.Action{Op: op, Record: map[string]string{"blue": "WR01", "red": "WR02"}[sd.group]}
	case engine.OpPage:
		return engine.Action{Op: op, Group: sd.group, Text: "look"}
	case engine.OpChat:
		return engine.Action{Op: op, Channel: "group:" + sd.group, Text: "hello"}
	case engine.OpRunRunbookStep:
		return engine.Action{Op: op, Runbook: sd.runbook, Step: "look", Record: sd.inc}
	case engine.OpApplyRemedy:
		return engine.Action{Op: op, Remedy: sd.remedy, Record: sd.inc}
	case engine.OpContactVendor, engine.OpQueryVendorChanges:
		return engine.Action{Op: op, Vendor: sd.vendor}
	case engine.OpQueryTelemetry, engine.OpQueryLogs, engine.OpQueryTraffic:
		return engine.Action{Op: op, Service: sd.service}
	case engine.OpSearchKnowledge, engine.OpSearchParents:
		return engine.Action{Op: op, Text: sd.group}
	case engine.OpIdentifyRootCause:
		a := engine.Action{Op: op, Record: sd.inc, Service: sd.service, Text: sd.group + " broke"}
		if hs := s.x.Scenario().HypothesesOn(sd.service); len(hs) > 0 {
			a.Hypothesis = hs[0].Name
		}
		return a
	case engine.OpDeclareWorkaround:
		ack()
		return engine.Action{Op: op, Record: sd.inc, Text: "send people to the app"}
	case engine.OpDeclareRestored:
		ack()
		return engine.Action{Op: op, Record: sd.inc}
	case engine.OpValidateRestoration:
		restore()
		return engine.Action{Op: op, Record: sd.inc}
	case engine.OpBusinessImpact:
		return engine.Action{Op: op, Record: sd.inc, Text: "40 claims delayed"}
	case engine.OpOpenChange:
		return engine.Action{Op: op, Record: sd.inc, Remedy: sd.changeRemedy, Emergency: true}
	case engine.OpApproveChange:
		each(func(d side) {
			s.do(engine.Action{Op: engine.OpOpenChange, Record: d.inc, Remedy: d.changeRemedy, Emergency: true})
		})
		return engine.Action{Op: op, Record: map[string]string{"blue": "CHG0001", "red": "CHG0002"}[sd.group]}
	case engine.OpStatusUpdate:
		return engine.Action{Op: op, Text: sd.group + " is down; next update at 09:30"}
	case engine.OpClose:
		restore()
		each(func(d side) {
			s.do(engine.Action{Op: engine.OpValidateRestoration, Record: d.inc})
			s.do(engine.Action{Op: engine.OpBusinessImpact, Record: d.inc, Text: "some"})
			s.do(engine.Action{Op: engine.OpOpenProblem, Record: d.inc, Text: "why"})
		})
		return engine.Action{Op: op, Record: sd.inc, Text: "done"}
	case engine.OpAnswerDecision:
		return engine.Action{Op: op, Decision: sd.decision, Option: "yes"}
	case engine.OpLessonsLearned:
		return engine.Action{Op: op, Text: "page sooner"}
	case engine.OpRateConfidence:
		return engine.Action{Op: op, Rating: 3}
	case engine.OpOpenTask:
		return engine.Action{Op: op, Record: sd.inc, Group: sd.group, Text: "check the pool"}
	case engine.OpCompleteTask:
		each(func(d side) {
			s.do(engine.Action{Op: engine.OpOpenTask, Record: d.inc, Group: d.group, Text: "check"})
		})
		return engine.Action{Op: op, Record: map[string]string{"blue": "TASK0001", "red": "TASK0002"}[sd.group]}
	case engine.OpAcknowledgePage, engine.OpSilencePage, engine.OpAttachPage:
		holder := sd.tech
		if sd == blue && slices.Contains([]string{"bt", "bo"}, actor.Name) {
			holder = actor.Name // blue's page is with the actor
		}
		return engine.Action{Op: op, Page: s.pageTo(holder), For: 15 * time.Minute, Record: sd.inc}
	case engine.OpRaiseIncidentAlert:
		return engine.Action{Op: op, Record: red.inc} // the major one: the rule is the role's alone
	case engine.OpStateTime:
		return engine.Action{Op: op, Record: sd.inc, Milestone: engine.MilestoneDetected, Stated: time.Minute}
	case engine.OpPause:
		return engine.Action{Op: op}
	case engine.OpResume:
		s.do(engine.Action{Op: engine.OpPause})
		return engine.Action{Op: op}
	case engine.OpSetSpeed:
		return engine.Action{Op: op, Speed: 10}
	case engine.OpFireInject:
		return engine.Action{Op: op, Inject: "none"} // the matrix has no inject: allowed means not_found
	case engine.OpEnd:
		return engine.Action{Op: op}
	}
	s.t.Fatalf("no setting for op %s: add one", op)
	return engine.Action{}
}

// allowedByTable reads the policy table: may role do op on the actor's
// side (inScope) or the other?
func allowedByTable(op engine.Op, role engine.Role, inScope bool) bool {
	if role == engine.RoleFacilitator {
		return true
	}
	p, _ := engine.PermissionOf(op)
	for _, g := range p.Grants {
		if g.Role == role {
			return g.Scope == engine.Anywhere || inScope
		}
	}
	return false
}

// TestPermissionMatrix plays every op as every role against both sides.
func TestPermissionMatrix(t *testing.T) {
	allowed, refused := 0, 0
	for _, op := range engine.Ops() {
		for _, role := range engine.Roles() {
			for _, sd := range []side{blue, red} {
				inScope := sd == blue
				name := fmt.Sprintf("%s/%s/%s", op, role, sd.group)
				t.Run(name, func(t *testing.T) {
					s := newSetting(t)
					actor := actorFor(role)
					a := prepared(s, op, sd, actor)
					_, err := s.x.Apply(engine.Act(actor, a))
					want := allowedByTable(op, role, inScope)
					switch {
					case want && errors.Is(err, engine.Forbidden):
						t.Fatalf("refused, but the table allows it: %v", err)
					case !want && !errors.Is(err, engine.Forbidden):
						t.Fatalf("got %v, but the table forbids it", err)
					case want && err != nil && !(op == engine.OpFireInject && errors.Is(err, engine.NotFound)):
						t.Fatalf("allowed by the table, but the setting is wrong: %v", err)
					}
					if want {
						allowed++
					} else {
						refused++
					}
				})
			}
		}
	}
	t.Logf("%d cases allowed, %d refused", allowed, refused)
	if allowed < 100 || refused < 100 {
		t.Errorf("allowed %d, refused %d: the matrix tested too little", allowed, refused)
	}
}

// TestChatOpsRevealsWhatTheQueryWould: /vendor shows a vendor's change log
// and /status a service's error rate exactly to whom query_vendor_changes
// and query_telemetry would, for every role and both sides.
func TestChatOpsRevealsWhatTheQueryWould(t *testing.T) {
	for _, role := range engine.Roles() {
		for _, sd := range []side{blue, red} {
			t.Run(fmt.Sprintf("%s/%s", role, sd.group), func(t *testing.T) {
				s := newSetting(t)
				actor := actorFor(role)
				ask := func(text string) string {
					t.Helper()
					evs, err := s.x.Apply(engine.Say(actor, "command-center", text))
					if err != nil {
						if !errors.Is(err, engine.Forbidden) || allowedByTable(engine.OpChat, role, true) {
							t.Fatalf("%s: %v", text, err)
						}
						return "" // may not chat at all: hears nothing
					}
					for _, e := range evs {
						if d, ok := e.Data.(engine.ChatData); ok && d.Bot {
							return d.Text
						}
					}
					t.Fatalf("%s: no reply", text)
					return ""
				}
				inScope := sd == blue
				note := map[string]string{"blue": "Blue vendor changed its pool", "red": "Red vendor changed its pool"}[sd.group]
				if got, want := strings.Contains(ask("/vendor "+sd.vendor), note), allowedByTable(engine.OpQueryVendorChanges, role, inScope); got != want {
					t.Errorf("/vendor %s revealed the change log: %v; query_vendor_changes allowed: %v", sd.vendor, got, want)
				}
				if got, want := strings.Contains(ask("/status"), sd.service+" (errors"), allowedByTable(engine.OpQueryTelemetry, role, inScope); got != want {
					t.Errorf("/status revealed %s: %v; query_telemetry allowed: %v", sd.service, got, want)
				}
			})
		}
	}
}
