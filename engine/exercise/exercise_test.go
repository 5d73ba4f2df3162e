package exercise

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

func loadSmall(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, diags := scenario.NewLoader().LoadFile("../scenario/testdata/valid/small.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return sc
}

func start(t testing.TB, opts Options) *Exercise {
	t.Helper()
	x, err := New(loadSmall(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	x.Start()
	return x
}

func kinds(evs []engine.Event, k engine.Kind) []engine.Event {
	var out []engine.Event
	for _, e := range evs {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

var (
	desk = engine.Actor{Name: "sd", Role: engine.RoleServiceDesk}
	ana  = engine.Actor{Name: "ana", Role: engine.RoleTechnician}
	kim  = engine.Actor{Name: "kim", Role: engine.RoleTechnician}
	tcc  = engine.Actor{Name: "tcc", Role: engine.RoleCommandCenter}
)

// script is a recorded action log: actions at virtual times.
type scripted struct {
	at    time.Duration
	actor engine.Actor
	act   engine.Action
}

var script = []scripted{
	{8 * time.Minute, desk, engine.Action{Op: engine.OpCreateIncident, Service: "checkout", Text: "Customers cannot pay", Impact: engine.LevelHigh, Urgency: engine.LevelHigh, Group: "shop"}},
	{9 * time.Minute, ana, engine.Action{Op: engine.OpAcknowledge, Record: "INC0001"}},
	{10 * time.Minute, ana, engine.Action{Op: engine.OpQueryLogs, Service: "checkout"}},
	{11 * time.Minute, ana, engine.Action{Op: engine.OpIdentifyRootCause, Record: "INC0001", Hypothesis: "bad-deploy", Text: "deploy 412"}},
	{11 * time.Minute, ana, engine.Action{Op: engine.OpRunRunbookStep, Runbook: "rollback", Step: "roll", Record: "INC0001"}},
	{12 * time.Minute, ana, engine.Action{Op: engine.OpChat, Channel: "group:shop", Text: "/oncall"}},
	{16 * time.Minute, engine.Actor{Name: "im", Role: engine.RoleIncidentManager}, engine.Action{Op: engine.OpAnswerDecision, Decision: "comms", Option: "post"}},
	{20 * time.Minute, ana, engine.Action{Op: engine.OpDeclareRestored, Record: "INC0001"}},
	{21 * time.Minute, engine.Actor{Name: "ana", Role: engine.RoleServiceOwner}, engine.Action{Op: engine.OpValidateRestoration, Record: "INC0001"}},
}

func replay(t testing.TB, seed uint64) []byte {
	t.Helper()
	x := start(t, Options{Seed: seed, HasSeed: true})
	for _, s := range script {
		x.Advance(s.at)
		if _, err := x.Apply(engine.Act(s.actor, s.act)); err != nil {
			t.Fatalf("%s at %s: %v", s.act.Op, s.at, err)
		}
	}
	x.Advance(x.Scenario().Duration)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, e := range x.Log() {
		if err := enc.Encode(e); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestDeterministicReplay: same scenario, seed and action log give the same
// event log, byte for byte (ARCHITECTURE.md invariant 1).
func TestDeterministicReplay(t *testing.T) {
	a, b := replay(t, 42), replay(t, 42)
	if !bytes.Equal(a, b) {
		t.Fatal("two replays with the same seed differ")
	}
	if c := replay(t, 43); bytes.Equal(a, c) {
		t.Fatal("a different seed gave the same log; the seed is not used")
	}
}

func TestEventLogRoundTrip(t *testing.T) {
	raw := replay(t, 1)
	var again bytes.Buffer
	dec := json.NewDecoder(bytes.NewReader(raw))
	enc := json.NewEncoder(&again)
	for dec.More() {
		var e engine.Event
		if err := dec.Decode(&e); err != nil {
			t.Fatal(err)
		}
		if _, ok := e.Data.(engine.ActionData); e.Kind == engine.KindAction && !ok {
			t.Fatalf("event %d decoded as %T, want ActionData", e.Seq, e.Data)
		}
		if err := enc.Encode(e); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(raw, again.Bytes()) {
		t.Fatal("decoding and re-encoding the log changed it")
	}
}

func TestStoryAndRestoration(t *testing.T) {
	x := start(t, Options{Seed: 1, HasSeed: true, EndOnRestore: true})
	for _, s := range script {
		x.Advance(s.at)
		if _, err := x.Apply(engine.Act(s.actor, s.act)); err != nil {
			t.Fatalf("%s: %v", s.act.Op, err)
		}
	}
	x.Advance(x.Scenario().Duration)
	log := x.Log()
	if got := kinds(log, engine.KindInject); len(got) == 0 || got[0].Data.(engine.InjectData).Name != "call" || got[0].At != 7*time.Minute {
		t.Fatalf("timed inject: %+v", got)
	}
	if got := kinds(log, engine.KindAnswered); len(got) != 1 || got[0].Data.(engine.AnswerData).Option != "post" {
		t.Fatalf("decision answer: %+v", got)
	}
	claims := kinds(log, engine.KindRootClaim)
	if len(claims) != 1 || !claims[0].Data.(engine.RootClaimData).Correct {
		t.Fatalf("root-cause claim: %+v", claims)
	}
	if claims[0].To.Sees(engine.Viewer{Name: "ana", Role: engine.RoleTechnician, Groups: []string{"shop"}}) {
		t.Fatal("ground truth reached a player")
	}
	ended := kinds(log, engine.KindEnded)
	if len(ended) != 1 || ended[0].Data.(engine.EndedData).Reason != "restored" {
		t.Fatalf("want the exercise to end on restoration, got %+v", ended)
	}
	chats := kinds(log, engine.KindChat)
	var oncall string
	for _, c := range chats {
		if d := c.Data.(engine.ChatData); d.Bot && strings.Contains(d.Text, "shop-primary") {
			oncall = d.Text
		}
	}
	// 14:12 is in the shift starting 12:00; members ana, raj alternate by 12h.
	if !strings.Contains(oncall, "on call raj, next ana") {
		t.Fatalf("/oncall answer: %q", oncall)
	}
}

func TestDecisionTimeoutAndTrigger(t *testing.T) {
	x := start(t, Options{Seed: 1, HasSeed: true})
	x.Advance(25 * time.Minute)
	ans := kinds(x.Log(), engine.KindAnswered)
	if len(ans) != 1 || !ans[0].Data.(engine.AnswerData).TimedOut || ans[0].Data.(engine.AnswerData).Option != "wait" || ans[0].At != 20*time.Minute {
		t.Fatalf("timeout answer: %+v", ans)
	}
	var followUp bool
	for _, in := range kinds(x.Log(), engine.KindInject) {
		followUp = followUp || in.Data.(engine.InjectData).Name == "follow-up"
	}
	if !followUp {
		t.Fatal("the default option's trigger did not fire its inject")
	}
}

func TestConditionalInjectAndEscalation(t *testing.T) {
	x := start(t, Options{Seed: 1, HasSeed: true})
	x.Advance(40 * time.Minute)
	var vp []engine.Event
	for _, in := range kinds(x.Log(), engine.KindInject) {
		if in.Data.(engine.InjectData).Name == "vp" {
			vp = append(vp, in)
		}
	}
	if len(vp) != 1 || vp[0].At <= 20*time.Minute || vp[0].At > 21*time.Minute {
		t.Fatalf("conditional inject should fire once, in the first tick after 20m: %+v", vp)
	}
	pages := kinds(x.Log(), engine.KindPage)
	if len(pages) != 1 || pages[0].Data.(engine.PageData).Person != "raj" {
		t.Fatalf("the alert should page raj, on call: %+v", pages)
	}
	esc := kinds(x.Log(), engine.KindPageEscalated)
	if len(esc) != 2 {
		t.Fatalf("want escalation to ana then to the owner, got %+v", esc)
	}
	if d := esc[0].Data.(engine.PageData); d.Person != "ana" || d.Step != 1 || esc[0].At != pages[0].At+10*time.Minute {
		t.Fatalf("first escalation: %+v at %s", d, esc[0].At)
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name  string
		actor engine.Actor
		act   engine.Action
		code  engine.Code
	}{
		{"caller cannot acknowledge", engine.Actor{Name: "c", Role: engine.RoleCaller}, engine.Action{Op: engine.OpAcknowledge, Record: "INC0001"}, engine.Forbidden},
		{"unknown op", ana, engine.Action{Op: "reboot_everything"}, engine.BadRequest},
		{"missing record", ana, engine.Action{Op: engine.OpAcknowledge, Record: "INC0099"}, engine.NotFound},
		{"other group's logs", kim, engine.Action{Op: engine.OpQueryLogs, Service: "checkout"}, engine.Forbidden},
		{"remedy of another group", kim, engine.Action{Op: engine.OpApplyRemedy, Remedy: "rollback"}, engine.Forbidden},
		{"unknown remedy", ana, engine.Action{Op: engine.OpApplyRemedy, Remedy: "pray"}, engine.NotFound},
		{"decision not offered yet", engine.Actor{Name: "im", Role: engine.RoleIncidentManager}, engine.Action{Op: engine.OpAnswerDecision, Decision: "comms", Option: "post"}, engine.Conflict},
		{"confidence out of range", ana, engine.Action{Op: engine.OpRateConfidence, Rating: 9}, engine.BadRequest},
		{"observer cannot act", engine.Actor{Name: "o", Role: engine.RoleObserver}, engine.Action{Op: engine.OpCreateIncident, Text: "x"}, engine.Forbidden},
		{"unknown channel", ana, engine.Action{Op: engine.OpChat, Channel: "random", Text: "hi"}, engine.BadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := start(t, Options{Seed: 1, HasSeed: true})
			x.Advance(8 * time.Minute)
			if _, err := x.Apply(engine.Act(desk, engine.Action{Op: engine.OpCreateIncident, Service: "checkout", Text: "down", Group: "shop", Impact: engine.LevelHigh, Urgency: engine.LevelHigh})); err != nil {
				t.Fatal(err)
			}
			evs, err := x.Apply(engine.Act(tt.actor, tt.act))
			var ie *engine.Error
			if !errors.As(err, &ie) || ie.Code != tt.code {
				t.Fatalf("got %v, want code %s", err, tt.code)
			}
			if ie.Reason == "" {
				t.Fatal("a refusal needs a reason a person can act on")
			}
			if len(evs) != 1 || evs[0].Kind != engine.KindRefused || !evs[0].To.Sees(engine.Viewer{Name: tt.actor.Name, Role: engine.RoleTechnician}) {
				t.Fatalf("a refusal is logged to the actor: %+v", evs)
			}
		})
	}
}

func TestAudience(t *testing.T) {
	shop := engine.Viewer{Name: "raj", Role: engine.RoleTechnician, Groups: []string{"shop"}}
	dba := engine.Viewer{Name: "kim", Role: engine.RoleTechnician, Groups: []string{"dba"}}
	fac := engine.Viewer{Name: "f", Role: engine.RoleFacilitator}
	// A technician of dba who also owns a service and the group.
	owner := engine.Viewer{Name: "kim", Role: engine.RoleTechnician, Roles: []engine.Role{engine.RoleGroupOwner, engine.RoleServiceOwner}, Groups: []string{"dba"}}
	tests := []struct {
		a    engine.Audience
		v    engine.Viewer
		want bool
	}{
		{engine.ToGroup("shop"), shop, true},
		{engine.ToGroup("shop"), dba, false},
		{engine.Facilitators(), shop, false},
		{engine.Facilitators(), fac, true},
		{engine.Everyone(), dba, true},
		{engine.ToRole(engine.RoleCommandCenter), shop, false},
		{engine.ToPerson("kim"), dba, true},
		{engine.ToRole(engine.RoleServiceOwner), dba, false},
		{engine.ToRole(engine.RoleServiceOwner), owner, true},
		{engine.ToRole(engine.RoleTechnician), owner, true},
		{engine.Audience{Roles: []engine.Role{engine.RoleCommandCenter, engine.RoleGroupOwner}}, owner, true},
		{engine.ToRole(engine.RoleIncidentManager), owner, false},
		{engine.ToGroup("shop"), owner, false},
	}
	for _, tt := range tests {
		if got := tt.a.Sees(tt.v); got != tt.want {
			t.Errorf("%+v sees %+v = %v, want %v", tt.v, tt.a, got, tt.want)
		}
	}
}

// TestUnrelatedValidationRestoresNothing: only validating an incident about
// the impacted service lets the exercise end on restoration.
func TestUnrelatedValidationRestoresNothing(t *testing.T) {
	fac := engine.Actor{Name: "f", Role: engine.RoleFacilitator}
	x := start(t, Options{Seed: 1, HasSeed: true, EndOnRestore: true})
	x.Advance(8 * time.Minute)
	steps := []engine.Action{
		{Op: engine.OpCreateIncident, Service: "db", Text: "slow queries", Group: "dba", Impact: engine.LevelLow, Urgency: engine.LevelLow},
		{Op: engine.OpAcknowledge, Record: "INC0001"},
		{Op: engine.OpDeclareRestored, Record: "INC0001"},
		{Op: engine.OpRunRunbookStep, Runbook: "rollback", Step: "roll"},
	}
	for _, a := range steps {
		if _, err := x.Apply(engine.Act(fac, a)); err != nil {
			t.Fatalf("%s: %v", a.Op, err)
		}
	}
	x.Advance(20 * time.Minute)
	if _, err := x.Apply(engine.Act(fac, engine.Action{Op: engine.OpValidateRestoration, Record: "INC0001"})); err != nil {
		t.Fatal(err)
	}
	x.Advance(30 * time.Minute)
	if x.Ended() {
		t.Fatal("validating an incident about another service ended the exercise")
	}
	for _, a := range []engine.Action{
		{Op: engine.OpCreateIncident, Service: "checkout", Text: "cannot pay", Group: "shop", Impact: engine.LevelLow, Urgency: engine.LevelLow},
		{Op: engine.OpAcknowledge, Record: "INC0002"},
		{Op: engine.OpDeclareRestored, Record: "INC0002"},
		{Op: engine.OpValidateRestoration, Record: "INC0002"},
	} {
		if _, err := x.Apply(engine.Act(fac, a)); err != nil {
			t.Fatalf("%s: %v", a.Op, err)
		}
	}
	x.Advance(31 * time.Minute)
	if !x.Ended() {
		t.Fatal("validating the impacted service's incident did not end the exercise")
	}
}

// TestHotwash: after the end only confidence ratings and lessons learned
// are taken.
func TestHotwash(t *testing.T) {
	x := start(t, Options{Seed: 1, HasSeed: true})
	x.Advance(x.Scenario().Duration)
	if x.EndReason() != "duration" {
		t.Fatalf("ended for %q", x.EndReason())
	}
	for _, a := range []engine.Action{{Op: engine.OpRateConfidence, Rating: 4}, {Op: engine.OpLessonsLearned, Text: "page dba sooner"}} {
		if _, err := x.Apply(engine.Act(ana, a)); err != nil {
			t.Errorf("%s after the end: %v", a.Op, err)
		}
	}
	var ie *engine.Error
	if _, err := x.Apply(engine.Act(desk, engine.Action{Op: engine.OpCreateIncident, Text: "late"})); !errors.As(err, &ie) || ie.Code != engine.Conflict {
		t.Fatalf("a workflow action after the end: %v", err)
	}
}
