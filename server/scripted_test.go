package server

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/ui/report"
)

// TestScriptedResponse plays a whole response through the websocket
// protocol at chosen virtual times, people in every seat and no bot, on a
// small outage (testdata/scripted.hcl, impact from 2:00), and reads the
// review: each measure is the time of the step of the script that ended
// it, to the second.
func TestScriptedResponse(t *testing.T) {
	src, err := os.ReadFile("testdata/scripted.hcl")
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t)
	resp, err := ts.srv.Create(context.Background(), CreateRequest{
		Scenario: "scripted", Source: string(src), Speed: 1,
		Humans: []string{"ana", "raj", "service-desk", "incident-manager", "command-center"},
	})
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.dial(t, resp.FacilitatorCode)
	fac.hello(0)
	seat := func(name string) *conn {
		c := ts.dial(t, seatCode(t, resp, name))
		c.hello(0)
		return c
	}
	desk, raj, ana, cc := seat("service-desk"), seat("raj"), seat("ana"), seat("command-center")

	var now time.Duration
	at := func(t2 time.Duration) {
		t.Helper()
		if t2 < now {
			t.Fatalf("the script goes back in time: %v after %v", t2, now)
		}
		ts.step(t2 - now)
		now = t2
	}
	n := 0
	do := func(c *conn, role engine.Role, a engine.Action) {
		t.Helper()
		n++
		if code := act(c, "s"+string(rune('a'+n)), role, a); code != "" {
			t.Fatalf("%v: %s refused: %s", now, a.Op, code)
		}
	}
	m := func(min, sec int) time.Duration {
		return time.Duration(min)*time.Minute + time.Duration(sec)*time.Second
	}

	// The script. The fault starts at 2:00; the store calls at 5:00.
	at(m(5, 30)) // the desk records the call at P1: declared
	do(desk, engine.RoleServiceDesk, engine.Action{Op: engine.OpCreateIncident, Service: "checkout", Group: "shop", Caller: "Store manager",
		Impact: engine.LevelHigh, Urgency: engine.LevelHigh, Classification: engine.ClassIncident, Text: "Customers cannot pay at checkout"})
	at(m(6, 10)) // raj takes it
	do(raj, engine.RoleTechnician, engine.Action{Op: engine.OpAcknowledge, Record: "INC0001"})
	at(m(7, 20)) // a wrong hypothesis first: no identification
	do(raj, engine.RoleTechnician, engine.Action{Op: engine.OpIdentifyRootCause, Record: "INC0001", Hypothesis: "gateway"})
	at(m(7, 50)) // the right one
	do(raj, engine.RoleTechnician, engine.Action{Op: engine.OpIdentifyRootCause, Record: "INC0001", Hypothesis: "bad-deploy", Text: "nil pointer in CardField"})
	at(m(8, 0)) // the flag: mitigated when it completes, at 9:00
	do(raj, engine.RoleTechnician, engine.Action{Op: engine.OpApplyRemedy, Remedy: "card-field-flag", Record: "INC0001"})
	at(m(10, 0)) // the rollback: fixed at 12:00
	do(raj, engine.RoleTechnician, engine.Action{Op: engine.OpApplyRemedy, Remedy: "rollback", Record: "INC0001"})
	at(m(12, 30))
	do(raj, engine.RoleTechnician, engine.Action{Op: engine.OpDeclareRestored, Record: "INC0001"})
	at(m(13, 40)) // the owner's word: restored
	do(ana, engine.RoleServiceOwner, engine.Action{Op: engine.OpValidateRestoration, Record: "INC0001"})
	do(ana, engine.RoleServiceOwner, engine.Action{Op: engine.OpBusinessImpact, Record: "INC0001", Text: "Card payments failed for 12 minutes."})
	at(m(14, 0))
	do(cc, engine.RoleCommandCenter, engine.Action{Op: engine.OpOpenProblem, Record: "INC0001", Text: "Deploy 412 shipped a broken card field"})
	at(m(15, 5)) // closed
	do(cc, engine.RoleCommandCenter, engine.Action{Op: engine.OpClose, Record: "INC0001", Text: "Restored and validated."})
	at(m(16, 0))
	fac.send(protocol.Control{Type: protocol.TypeControl, ID: "end", Control: protocol.ControlEnd})
	fac.until(protocol.TypeAck, "end")

	run, err := LoadRun(context.Background(), ts.st, resp.ID)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := score.Score(run.Scenario, run.Log)
	if err != nil {
		t.Fatal(err)
	}
	review, err := report.Build(report.Input{Scenario: run.Scenario, Log: run.Log, Report: rep})
	if err != nil {
		t.Fatal(err)
	}
	t0 := m(2, 0)
	want := map[score.Phase]time.Duration{
		// The store's call is a symptom report (record = "incident"):
		// responders could see the outage when it reached the desk.
		score.PhaseDetect:      m(5, 0),
		score.PhaseAcknowledge: m(6, 10),
		score.PhaseDeclare:     m(5, 30),
		score.PhaseIdentify:    m(7, 50),
		score.PhaseMitigate:    m(9, 0),
		score.PhaseFix:         m(12, 0),
		score.PhaseRestore:     m(13, 40),
		score.PhaseClose:       m(15, 5),
	}
	if len(review.Score.Result.Measures) != len(score.Phases()) {
		t.Fatalf("the review has %d measures, want every phase", len(review.Score.Result.Measures))
	}
	for _, got := range review.Score.Result.Measures {
		w, ok := want[got.Phase]
		if !ok {
			t.Errorf("a measure the script did not expect: %s", got.Phase)
			continue
		}
		if got.Censored || got.NotApplicable || got.At != w || got.Duration != w-t0 {
			t.Errorf("%s: at %v (%v from the impact, censored %v); the script did it at %v", got.Phase, got.At, got.Duration, got.Censored, w)
		}
	}
}
