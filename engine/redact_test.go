package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

// fullPayload is a payload of kind k with every field set, scoring fields
// included, as the engine could emit it.
func fullPayload(t *testing.T, k Kind) any {
	t.Helper()
	switch k {
	case KindStarted:
		return StartedData{Scenario: "s", Title: "t", Seed: 7, Duration: 1, Exercise: true}
	case KindEnded:
		return EndedData{Reason: "restored"}
	case KindControl:
		return ControlData{Control: OpSetSpeed, Speed: 10}
	case KindInject:
		return InjectData{Name: "call", Channel: "phone", From: "caller", Text: "it is down", Record: "incident", About: "claims-api"}
	case KindOffered:
		return DecisionData{Name: "d", Prompt: "p", Options: []OptionData{{Name: "a", Text: "A"}}, Timeout: 1}
	case KindAnswered:
		return AnswerData{Name: "d", Option: "a", By: "kim", Score: 10, Took: 1}
	case KindAlertFired, KindAlertResolved:
		return AlertData{Alert: "a", Service: "s", Metric: "error_rate", Value: 0.5, Severity: "critical", Rotation: "r"}
	case KindPage, KindPageAcked, KindPageEscalated, KindPageSilenced, KindPageAttached:
		return PageData{Page: "PG0001", Alert: "a", Incident: "INC0001", Group: "g", Person: "kim", Text: "x"}
	case KindAction:
		return ActionData{Action: Action{Op: OpCreateIncident, Text: "x"}, Role: RoleServiceDesk}
	case KindRefused:
		return RefusedData{Action: Action{Op: OpClose}, Role: RoleCaller, Code: "forbidden", Reason: "r"}
	case KindChat:
		return ChatData{Channel: "group:g", From: "kim", Text: "hi"}
	case KindResult:
		return ResultData{Query: OpQueryLogs, Subject: "s", Lines: []string{"l"}}
	case KindVendor:
		return VendorData{Vendor: "v", Text: "t"}
	case KindBriefing:
		return BriefingData{Hypotheses: []HypothesisInfo{{Name: "h", Service: "s", Title: "t"}}}
	case KindRemedy:
		return RemedyData{Remedy: "r", Service: "s", Phase: "completed", Mitigated: []string{"f"}, Fixed: []string{"f"}, Reduced: []string{"f"}, Harm: "h"}
	case KindTelemetry:
		return TelemetryData{Services: []ServiceSample{{Service: "mine", Impacted: true}, {Service: "theirs", Impacted: true}}}
	case KindToolDown, KindToolUp:
		return ToolData{Tool: ToolTelemetry, Since: 5, Fault: "f"}
	case KindWorld:
		return WorldData{Change: "fault_started", Fault: "f", Service: "s", RootCause: true}
	case KindFaultReduced:
		return ReducedData{Fault: "f", Service: "s", Remedy: "r", By: 0.6, Remaining: 0.4, RootCause: true}
	case KindRootClaim:
		return RootClaimData{Service: "s", Text: "t", Fault: "f", Correct: true}
	case KindExpectMet:
		return ExpectData{Name: "e", Dimension: "process", Points: 5}
	case KindRestored, KindImpactOver, KindImpacted, KindImpactResumed, KindMitigated, KindRestorationLost:
		return ServiceData{Service: "s"}
	case KindHealth:
		return HealthData{Service: "s", Healthy: true}
	case KindValidated:
		return ValidationData{Incident: "INC0001"}
	}
	t.Fatalf("no payload for kind %s: add one here and to kindOf", k)
	return nil
}

// scoringFields are the JSON names of fields that say how a move is
// scored or what the ground truth is.
var scoringFields = []string{`"about"`, `"record"`, `"score"`, `"mitigated"`, `"fixed"`, `"root_cause"`, `"correct"`, `"points"`, `"fault"`, `"impacted"`, `"reduced"`}

type watchMine struct{}

func (watchMine) MayWatch(_ Viewer, service string) bool { return service == "mine" }

// TestRedactionEveryKindEveryAudience: for every event kind, addressed to
// every kind of audience, no player or observer copy carries a scoring
// field or ground truth, and the facilitator's copy is whole.
func TestRedactionEveryKindEveryAudience(t *testing.T) {
	audiences := map[string]Audience{
		"everyone": Everyone(), "facilitators": Facilitators(), "group": ToGroup("g"),
		"role": ToRole(RoleTechnician), "person": ToPerson("kim"),
	}
	viewers := []Viewer{
		{Name: "kim", Role: RoleTechnician, Groups: []string{"g"}},
		{Name: "lee", Role: RoleServiceOwner, Roles: []Role{RoleTechnician}},
		{Name: "obs", Role: RoleObserver},
	}
	for _, k := range Kinds() {
		if _, ok := kindOf(k); !ok {
			t.Fatalf("kind %s is listed but has no payload or redaction", k)
		}
		for an, to := range audiences {
			e := Event{Seq: 1, Kind: k, To: to, Actor: "kim", Data: fullPayload(t, k)}
			if got, ok := e.For(Viewer{Name: "f", Role: RoleFacilitator}, watchMine{}); !ok || !jsonEqual(t, got, e) {
				t.Errorf("%s to %s: the facilitator's copy is not the whole event", k, an)
			}
			for _, v := range viewers {
				got, ok := e.For(v, watchMine{})
				if !ok {
					continue
				}
				if !to.Sees(v) {
					t.Errorf("%s to %s reached %s, who is not in its audience", k, an, v.Name)
				}
				b, err := json.Marshal(got.Data)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range scoringFields {
					if strings.Contains(string(b), f) {
						t.Errorf("%s to %s: %s's copy carries %s: %s", k, an, v.Name, f, b)
					}
				}
				if strings.Contains(string(b), "theirs") {
					t.Errorf("%s to %s: %s received telemetry of a service they may not watch", k, an, v.Name)
				}
			}
		}
	}
}

// TestTruthNeverReachesParticipants: ground truth is facilitators' by
// kind, whatever audience an event names.
func TestTruthNeverReachesParticipants(t *testing.T) {
	for _, k := range []Kind{KindWorld, KindFaultReduced, KindRootClaim, KindExpectMet, KindRestored, KindImpactOver, KindImpacted, KindImpactResumed, KindValidated, KindMitigated, KindRestorationLost, KindHealth} {
		e := Event{Kind: k, To: Everyone(), Data: fullPayload(t, k)}
		for _, v := range []Viewer{{Name: "kim", Role: RoleTechnician}, {Name: "o", Role: RoleObserver}} {
			if _, ok := e.For(v, watchMine{}); ok {
				t.Errorf("%s addressed to everyone reached %s", k, v.Role)
			}
		}
	}
}

func jsonEqual(t *testing.T, a, b Event) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(x) == string(y)
}

// TestEveryKindDecodes: every kind's payload survives the log's JSON.
func TestEveryKindDecodes(t *testing.T) {
	for _, k := range Kinds() {
		e := Event{Seq: 3, At: 5, Kind: k, To: Everyone(), Data: fullPayload(t, k)}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if !jsonEqual(t, back, e) {
			t.Errorf("%s: decoded %+v, want %+v", k, back, e)
		}
	}
}

// TestToolOutagesReachEveryone: a tool going down or coming back is on the
// status page: every participant sees which tool and since when, and only
// the facilitator sees the fault behind it.
func TestToolOutagesReachEveryone(t *testing.T) {
	for _, k := range []Kind{KindToolDown, KindToolUp} {
		e := Event{Kind: k, To: Everyone(), Data: fullPayload(t, k)}
		for _, v := range []Viewer{{Name: "kim", Role: RoleTechnician}, {Name: "c", Role: RoleCaller}, {Name: "o", Role: RoleObserver}} {
			got, ok := e.For(v, nil)
			if !ok {
				t.Errorf("%s did not reach %s", k, v.Role)
				continue
			}
			if d := got.Data.(ToolData); d.Tool != ToolTelemetry || d.Since != 5 || d.Fault != "" {
				t.Errorf("%s as %s sees it = %+v, want the tool and since, no fault", k, v.Role, d)
			}
		}
		if got, _ := e.For(Viewer{Name: "f", Role: RoleFacilitator}, nil); got.Data.(ToolData).Fault != "f" {
			t.Errorf("%s: the facilitator's copy lost the fault", k)
		}
	}
}

// TestToolsAnswerQueries: each tool answers one query, and that query
// leads back to it.
func TestToolsAnswerQueries(t *testing.T) {
	seen := map[Op]bool{}
	for _, tool := range Tools() {
		op := tool.Op()
		if !op.Valid() || seen[op] {
			t.Errorf("tool %s answers %q: not an op, or another tool's", tool, op)
		}
		seen[op] = true
		if back, ok := ToolOf(op); !ok || back != tool {
			t.Errorf("ToolOf(%s) = %s, %v; want %s", op, back, ok, tool)
		}
		if tool.Title() == string(tool) {
			t.Errorf("tool %s has no title", tool)
		}
	}
	if tool, ok := ToolOf(OpChat); ok {
		t.Errorf("chat is answered by tool %s", tool)
	}
}
