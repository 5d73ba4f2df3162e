package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// playerModel is a model that knows a few names, as after a welcome and
// some events.
func playerModel() *Model {
	m := NewModel()
	for _, msg := range playerStory() {
		m.Apply(msg)
	}
	m.names.groups.add("network")
	return m
}

// TestEveryOpHasACommand: every engine op is reachable from the command
// line. The examples double as the parser's table test.
func TestEveryOpHasACommand(t *testing.T) {
	examples := map[engine.Op]struct {
		line string
		want engine.Action
	}{
		engine.OpCreateIncident: {"/new checkout high high Customers cannot pay", engine.Action{Op: engine.OpCreateIncident, Service: "checkout", Impact: engine.LevelHigh, Urgency: engine.LevelHigh, Text: "Customers cannot pay", Classification: engine.ClassIncident}},
		engine.OpUpdateIncident: {"/edit inc1 Claims fail at CONNECT", engine.Action{Op: engine.OpUpdateIncident, Record: "INC0001", Text: "Claims fail at CONNECT"}},
		engine.OpClassify:       {"/classify INC0001 service_request", engine.Action{Op: engine.OpClassify, Record: "INC0001", Classification: engine.ClassServiceRequest}},
		engine.OpAssign:         {"/assign INC0001 network joe", engine.Action{Op: engine.OpAssign, Record: "INC0001", Group: "network", Person: "joe"}},
		engine.OpAcknowledge:    {"/ack INC0001", engine.Action{Op: engine.OpAcknowledge, Record: "INC0001"}},
		engine.OpPrioritise:     {"/priority INC0001 m low", engine.Action{Op: engine.OpPrioritise, Record: "INC0001", Impact: engine.LevelMedium, Urgency: engine.LevelLow}},
		engine.OpLinkParent:     {"/parent INC0001 INC0003", engine.Action{Op: engine.OpLinkParent, Record: "INC0001", Parent: "INC0003"}},
		engine.OpMakeParent:     {"/makeparent INC0003", engine.Action{Op: engine.OpMakeParent, Record: "INC0003"}},
		engine.OpMerge:          {"/merge INC0004 INC0001", engine.Action{Op: engine.OpMerge, Record: "INC0004", Parent: "INC0001"}},
		engine.OpDecline:        {"/decline INC0005 a password reset", engine.Action{Op: engine.OpDecline, Record: "INC0005", Text: "a password reset"}},
		engine.OpDeclareWorkaround: {"/workaround INC0001 failed over to px02",
			engine.Action{Op: engine.OpDeclareWorkaround, Record: "INC0001", Text: "failed over to px02"}},
		engine.OpDeclareRestored:     {"/restored INC0001", engine.Action{Op: engine.OpDeclareRestored, Record: "INC0001"}},
		engine.OpValidateRestoration: {"/validate INC0001", engine.Action{Op: engine.OpValidateRestoration, Record: "INC0001"}},
		engine.OpBusinessImpact:      {"/impact INC0001 40 reps idle for 30 minutes", engine.Action{Op: engine.OpBusinessImpact, Record: "INC0001", Text: "40 reps idle for 30 minutes"}},
		engine.OpClose:               {"/close INC0001 done", engine.Action{Op: engine.OpClose, Record: "INC0001", Text: "done"}},
		engine.OpStateTime:           {"/stated INC0001 impact_started T+0:06", engine.Action{Op: engine.OpStateTime, Record: "INC0001", Milestone: engine.MilestoneImpactStarted, Stated: 6 * time.Minute}},
		engine.OpIdentifyRootCause:   {"/rootcause egress-proxy INC0001 conn table full", engine.Action{Op: engine.OpIdentifyRootCause, Service: "egress-proxy", Record: "INC0001", Text: "conn table full"}},
		engine.OpRaiseIncidentAlert:  {"/alert INC0001", engine.Action{Op: engine.OpRaiseIncidentAlert, Record: "INC0001"}},
		engine.OpOpenWarRoom:         {"/room INC0003 egress bridge", engine.Action{Op: engine.OpOpenWarRoom, Record: "INC0003", Text: "egress bridge"}},
		engine.OpJoinWarRoom:         {"/join wr1", engine.Action{Op: engine.OpJoinWarRoom, Record: "WR01"}},
		engine.OpOpenTask:            {"/task INC0001 platform check pod egress", engine.Action{Op: engine.OpOpenTask, Record: "INC0001", Group: "platform", Text: "check pod egress"}},
		engine.OpCompleteTask:        {"/done TASK0001", engine.Action{Op: engine.OpCompleteTask, Record: "TASK0001"}},
		engine.OpOpenProblem:         {"/problem INC0003 proxy profile changed", engine.Action{Op: engine.OpOpenProblem, Record: "INC0003", Text: "proxy profile changed"}},
		engine.OpOpenChange:          {"/change INC0003 raise-conn-table emergency", engine.Action{Op: engine.OpOpenChange, Record: "INC0003", Remedy: "raise-conn-table", Emergency: true}},
		engine.OpApproveChange:       {"/approve chg1", engine.Action{Op: engine.OpApproveChange, Record: "CHG0001"}},
		engine.OpPage:                {"/page network INC0001 proxy looks full", engine.Action{Op: engine.OpPage, Group: "network", Record: "INC0001", Text: "proxy looks full"}},
		engine.OpAcknowledgePage:     {"/ack pg4", engine.Action{Op: engine.OpAcknowledgePage, Page: "PG0004"}},
		engine.OpSilencePage:         {"/silence PG0004 15m", engine.Action{Op: engine.OpSilencePage, Page: "PG0004", For: 15 * time.Minute}},
		engine.OpAttachPage:          {"/attach PG0004 INC0001", engine.Action{Op: engine.OpAttachPage, Page: "PG0004", Record: "INC0001"}},
		engine.OpRunRunbookStep:      {"/step egress-proxy-health failover INC0003", engine.Action{Op: engine.OpRunRunbookStep, Runbook: "egress-proxy-health", Step: "failover", Record: "INC0003"}},
		engine.OpApplyRemedy:         {"/remedy failover-to-px02 INC0003", engine.Action{Op: engine.OpApplyRemedy, Remedy: "failover-to-px02", Record: "INC0003"}},
		engine.OpContactVendor:       {"/contact skygate", engine.Action{Op: engine.OpContactVendor, Vendor: "skygate"}},
		engine.OpQueryTelemetry:      {"/telemetry claims-api latency_ms", engine.Action{Op: engine.OpQueryTelemetry, Service: "claims-api", Metric: "latency_ms"}},
		engine.OpQueryLogs:           {"/logs claims-api", engine.Action{Op: engine.OpQueryLogs, Service: "claims-api"}},
		engine.OpQueryTraffic:        {"/traffic claims-api", engine.Action{Op: engine.OpQueryTraffic, Service: "claims-api"}},
		engine.OpQueryVendorChanges:  {"/changes skygate", engine.Action{Op: engine.OpQueryVendorChanges, Vendor: "skygate"}},
		engine.OpSearchKnowledge:     {"/kb unable to reach adjudication partner", engine.Action{Op: engine.OpSearchKnowledge, Text: "unable to reach adjudication partner"}},
		engine.OpSearchParents:       {"/parents partner timeouts", engine.Action{Op: engine.OpSearchParents, Text: "partner timeouts"}},
		engine.OpStatusUpdate:        {"/update claims failing; network engaged; next update 14:30", engine.Action{Op: engine.OpStatusUpdate, Text: "claims failing; network engaged; next update 14:30"}},
		engine.OpAnswerDecision:      {"/decide restart-the-fleet hold-and-trace", engine.Action{Op: engine.OpAnswerDecision, Decision: "restart-the-fleet", Option: "hold-and-trace"}},
		engine.OpLessonsLearned:      {"/lesson wire the proxy alert to a rotation", engine.Action{Op: engine.OpLessonsLearned, Text: "wire the proxy alert to a rotation"}},
		engine.OpRateConfidence:      {"/confidence 4", engine.Action{Op: engine.OpRateConfidence, Rating: 4}},
	}
	m := playerModel()
	for _, op := range engine.Ops() {
		if op == engine.OpChat {
			continue // plain text; TestParseChat
		}
		if k := engine.Act(engine.Actor{}, engine.Action{Op: op}).Kind(); k != engine.InputAction {
			continue // the facilitator's controls are control frames; TestFacilitatorKeys
		}
		ex, ok := examples[op]
		if !ok {
			t.Errorf("no command reaches %s", op)
			continue
		}
		t.Run(string(op), func(t *testing.T) {
			r, err := parseLine(&input{m: m, line: ex.line})
			if err != nil {
				t.Fatalf("%s: %v", ex.line, err)
			}
			if r.action == nil {
				t.Fatalf("%s: not an action: %+v", ex.line, r)
			}
			if diff := cmp.Diff(ex.want, *r.action); diff != "" {
				t.Errorf("%s (-want +got):\n%s", ex.line, diff)
			}
		})
	}
}

func TestParseChat(t *testing.T) {
	m := playerModel()
	tests := []struct {
		line, channel string
		want          protocol.Chat
	}{
		{"anyone on the proxy?", "group:claims", protocol.Chat{Channel: "group:claims", Text: "anyone on the proxy?"}},
		{"  joining now  ", "warroom:WR01", protocol.Chat{Channel: "warroom:WR01", Text: "joining now"}},
		{"/oncall network", "group:claims", protocol.Chat{Channel: "group:claims", Text: "/oncall network"}},
		{"/status", "command-center", protocol.Chat{Channel: "command-center", Text: "/status"}},
		{"/warroom open INC0003 bridge", "group:claims", protocol.Chat{Channel: "group:claims", Text: "/warroom open INC0003 bridge"}},
		{"/runbook egress-proxy-health", "group:claims", protocol.Chat{Channel: "group:claims", Text: "/runbook egress-proxy-health"}},
		{"/dm kim is px02 healthy?", "group:claims", protocol.Chat{Channel: "direct:kim", Text: "is px02 healthy?"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			r, err := parseLine(&input{m: m, line: tt.line, channel: tt.channel})
			if err != nil {
				t.Fatal(err)
			}
			if r.chat == nil {
				t.Fatalf("not chat: %+v", r)
			}
			if diff := cmp.Diff(tt.want, *r.chat); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseErrors: a typo gets words that say what to type instead.
func TestParseErrors(t *testing.T) {
	m := playerModel()
	tests := []struct{ line, want string }{
		{"/ak PG0001", "did you mean /ack"},
		{"/zzz", "there is no command /zzz; /help lists them"},
		{"/new claims-api urgent high it broke", `impact and urgency are high, medium or low, not "urgent"`},
		{"/new claims-api high", "usage: /new SERVICE IMPACT URGENCY DESCRIPTION"},
		{"/assign INC0001", "usage: /assign INC GROUP [PERSON]"},
		{"/confidence 9", "rate your confidence from 1 to 5"},
		{"/silence PG0001 soon", "say how long to silence it"},
		{"/stated INC0001 whenever 5m", "milestones are impact_started, detected and impact_ended"},
		{"/stated INC0001 detected later", "say the time since the start"},
		{"/change INC0001 raise-conn-table now", "emergency or nothing"},
		{"/rootcause egress-proxy INC0001", "usage: /rootcause"},
		{"/pause", "there is no command /pause"}, // players do not control the exercise
		{"   ", "nothing to send"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			_, err := parseLine(&input{m: m, line: tt.line})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%q: got %v, want an error containing %q", tt.line, err, tt.want)
			}
		})
	}
}

func TestParseFacilitatorControls(t *testing.T) {
	m := NewModel()
	m.You.Facilitator = true
	tests := []struct {
		line string
		want protocol.Control
	}{
		{"/pause", protocol.Control{Control: protocol.ControlPause}},
		{"/resume", protocol.Control{Control: protocol.ControlResume}},
		{"/speed 60", protocol.Control{Control: protocol.ControlSpeed, Speed: 60}},
		{"/speed x2.5", protocol.Control{Control: protocol.ControlSpeed, Speed: 2.5}},
		{"/fire vp-asks", protocol.Control{Control: protocol.ControlFire, Inject: "vp-asks"}},
		{"/end", protocol.Control{Control: protocol.ControlEnd}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			r, err := parseLine(&input{m: m, line: tt.line})
			if err != nil {
				t.Fatal(err)
			}
			if r.control == nil {
				t.Fatalf("not a control: %+v", r)
			}
			if diff := cmp.Diff(tt.want, *r.control); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := parseLine(&input{m: m, line: "/speed 0"}); err == nil {
		t.Error("/speed 0 was taken")
	}
}

func TestNumber(t *testing.T) {
	tests := map[string]string{
		"inc1": "INC0001", "INC0012": "INC0012", "pg4": "PG0004", "wr1": "WR01", "task7": "TASK0007",
		"chg2": "CHG0002", "prb10": "PRB0010", "claims-api": "claims-api", "INCx": "INCx", "": "",
	}
	for in, want := range tests {
		if got := number(in); got != want {
			t.Errorf("number(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRoleFor(t *testing.T) {
	you := protocol.You{Name: "kim", Role: engine.RoleTechnician, Roles: []engine.Role{engine.RoleTechnician, engine.RoleGroupOwner, engine.RoleServiceOwner}}
	tests := []struct {
		op   engine.Op
		want engine.Role
	}{
		{engine.OpAcknowledgePage, ""}, // the main role may
		{engine.OpValidateRestoration, engine.RoleServiceOwner},
		{engine.OpApproveChange, engine.RoleGroupOwner},
		{engine.OpRaiseIncidentAlert, ""}, // nobody of kim's may; the server says who
	}
	for _, tt := range tests {
		if got := roleFor(you, tt.op); got != tt.want {
			t.Errorf("roleFor(%s) = %q, want %q", tt.op, got, tt.want)
		}
	}
}

func TestCompletions(t *testing.T) {
	m := playerModel()
	m.names.remedies.add("failover-to-px02")
	m.Runbook = &Runbook{Name: "egress-proxy-health", Steps: []RunbookStep{{Name: "check-conn-table"}, {Name: "check-peer"}, {Name: "failover"}}}
	m.names.decisions["restart-the-fleet"] = []engine.OptionData{{Name: "restart-all"}, {Name: "hold-and-trace"}}
	tests := []struct {
		line string
		want []string
	}{
		{"/ac", []string{"/ack"}},
		{"/re", []string{"/request", "/restored", "/remedy"}}, // not /resume: facilitators only
		{"/ack ", []string{"PG0001", "INC0001", "INC0002", "INC0003"}},
		{"/ack p", []string{"PG0001"}},
		{"/assign INC0001 ", []string{"claims", "network", "pharmacy"}},
		{"/assign INC0001 n", []string{"network"}},
		{"/logs ", []string{"claims-api", "pharmacy-api"}},
		{"/new c", []string{"claims-api"}},
		{"/new claims-api h", []string{"high"}},
		{"/step egress-proxy-health ", []string{"check-conn-table", "check-peer", "failover"}},
		{"/step egress-proxy-health check-", []string{"check-conn-table", "check-peer"}},
		{"/step other-runbook ", nil},
		{"/remedy f", []string{"failover-to-px02"}},
		{"/decide restart-the-fleet h", []string{"hold-and-trace"}},
		{"/tab ", []string{"all", "group:claims"}},
		{"/help as", []string{"assign"}},
		{"plain chat", nil},
		{"/kb words ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			_, got := completions(m, tt.line)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("completions(%q) (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}

func TestHint(t *testing.T) {
	m := playerModel()
	tests := []struct{ line, want string }{
		{"/ack", "/ack [PAGE|INC] — acknowledge a page"},
		{"/ack PG", "/ack [PAGE|INC] — acknowledge a page"},
		{"/as", "/assign INC GROUP [PERSON] — assign an incident"},
		{"/r", "/request /restored /rootcause /room /runbook /remedy"},
		{"/xyz", "no command starts with /xyz"},
		{"hello", "Enter sends this as chat"},
	}
	for _, tt := range tests {
		if got := hint(m, tt.line); !strings.HasPrefix(got, tt.want) {
			t.Errorf("hint(%q) = %q, want it to start with %q", tt.line, got, tt.want)
		}
	}
}

func TestOffset(t *testing.T) {
	tests := map[string]time.Duration{"14m": 14 * time.Minute, "T+14": 14 * time.Minute, "0:14": 14 * time.Minute, "T+1:02:03": time.Hour + 2*time.Minute + 3*time.Second, "90s": 90 * time.Second}
	for in, want := range tests {
		got, err := offset(in)
		if err != nil || got != want {
			t.Errorf("offset(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"soon", "-5m", "1:xx"} {
		if _, err := offset(bad); err == nil {
			t.Errorf("offset(%q) took it", bad)
		}
	}
}

// TestRootCauseByHypothesis: the briefing's hypotheses complete and parse
// as what /rootcause names; a service still takes a reason in words.
func TestRootCauseByHypothesis(t *testing.T) {
	m := playerModel()
	m.Apply(events(ev(20, 0, "", engine.BriefingData{Hypotheses: []engine.HypothesisInfo{
		{Name: "conn-table", Service: "egress-proxy", Title: "Connection table exhausted"},
		{Name: "ddos", Service: "egress-proxy", Title: "A DDoS"},
	}})))
	want := "causes to weigh (/rootcause NAME): conn-table (egress-proxy): Connection table exhausted; ddos (egress-proxy): A DDoS"
	if !slices.ContainsFunc(m.Feed.Lines(), func(l Line) bool { return l.Text == want }) {
		t.Error("the briefing is not on the console")
	}
	tests := []struct {
		line string
		want engine.Action
	}{
		{"/rootcause conn-table INC0001", engine.Action{Op: engine.OpIdentifyRootCause, Hypothesis: "conn-table", Record: "INC0001"}},
		{"/rootcause ddos the graphs look like one", engine.Action{Op: engine.OpIdentifyRootCause, Hypothesis: "ddos", Text: "the graphs look like one"}},
		{"/rootcause claims-api INC0001 our own bug", engine.Action{Op: engine.OpIdentifyRootCause, Service: "claims-api", Record: "INC0001", Text: "our own bug"}},
	}
	for _, tt := range tests {
		r, err := parseLine(&input{m: m, line: tt.line})
		if err != nil || r.action == nil {
			t.Fatalf("%s: %v", tt.line, err)
		}
		if diff := cmp.Diff(tt.want, *r.action); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.line, diff)
		}
	}
	if _, got := completions(m, "/rootcause "); !slices.Contains(got, "conn-table") || !slices.Contains(got, "claims-api") {
		t.Errorf("completions = %v", got)
	}
}
