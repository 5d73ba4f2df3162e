package exercise

import (
	"errors"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// firstPage runs the small scenario until its alert pages raj.
func firstPage(t *testing.T) (*Exercise, engine.PageData) {
	t.Helper()
	x := start(t, Options{Seed: 1, HasSeed: true})
	for x.Now() < 20*time.Minute {
		x.Advance(x.Now() + 10*time.Second)
		if pages := kinds(x.Log(), engine.KindPage); len(pages) > 0 {
			return x, pages[0].Data.(engine.PageData)
		}
	}
	t.Fatal("no page in 20 minutes")
	return nil, engine.PageData{}
}

func TestSilenceHoldsEscalationThenRestarts(t *testing.T) {
	x, p := firstPage(t)
	raj := engine.Actor{Name: "raj", Role: engine.RoleTechnician}
	if _, err := x.Apply(engine.Act(raj, engine.Action{Op: engine.OpSilencePage, Page: p.Page, For: 15 * time.Minute})); err != nil {
		t.Fatal(err)
	}
	sent := x.Now()
	x.Advance(sent + 14*time.Minute)
	if esc := kinds(x.Log(), engine.KindPageEscalated); len(esc) != 0 {
		t.Fatalf("a silenced page escalated: %+v", esc)
	}
	x.Advance(sent + 16*time.Minute)
	esc := kinds(x.Log(), engine.KindPageEscalated)
	if len(esc) != 1 || esc[0].At != sent+15*time.Minute || esc[0].Data.(engine.PageData).Person != "ana" {
		t.Fatalf("escalation should restart when the silence ends, to ana: %+v", esc)
	}
}

func TestSilenceRefusals(t *testing.T) {
	x, p := firstPage(t)
	raj := engine.Actor{Name: "raj", Role: engine.RoleTechnician}
	tests := []struct {
		name  string
		actor engine.Actor
		act   engine.Action
		code  engine.Code
	}{
		{"no duration", raj, engine.Action{Op: engine.OpSilencePage, Page: p.Page}, engine.BadRequest},
		{"a day", raj, engine.Action{Op: engine.OpSilencePage, Page: p.Page, For: 24 * time.Hour}, engine.BadRequest},
		{"unknown page", raj, engine.Action{Op: engine.OpSilencePage, Page: "PG0099", For: time.Minute}, engine.NotFound},
		{"service desk may not", desk, engine.Action{Op: engine.OpSilencePage, Page: p.Page, For: time.Minute}, engine.Forbidden},
	}
	for _, tt := range tests {
		_, err := x.Apply(engine.Act(tt.actor, tt.act))
		var ie *engine.Error
		if !errors.As(err, &ie) || ie.Code != tt.code {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.code)
		}
	}
}

func TestAttachPage(t *testing.T) {
	x, p := firstPage(t)
	if _, err := x.Apply(engine.Act(desk, engine.Action{Op: engine.OpCreateIncident, Service: "checkout", Text: "down", Group: "shop", Impact: engine.LevelHigh, Urgency: engine.LevelHigh})); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Apply(engine.Act(desk, engine.Action{Op: engine.OpAttachPage, Page: p.Page, Record: "INC0001"})); err != nil {
		t.Fatal(err)
	}
	x.Advance(x.Now() + 11*time.Minute)
	esc := kinds(x.Log(), engine.KindPageEscalated)
	if len(esc) == 0 || esc[0].Data.(engine.PageData).Incident != "INC0001" {
		t.Fatalf("the escalated page should carry its incident: %+v", esc)
	}
	if _, err := x.Apply(engine.Act(desk, engine.Action{Op: engine.OpAttachPage, Page: p.Page, Record: "INC0042"})); err == nil {
		t.Fatal("attached a page to a missing incident")
	}
}
