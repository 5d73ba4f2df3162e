package exercise

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/firedrill/firedrill/engine"
)

// TestEveryTextFieldIsCleaned puts a control character and a
// bidirectional override in each string field of an action in turn: the
// door refuses each, names the field, and stores neither character.
func TestEveryTextFieldIsCleaned(t *testing.T) {
	for _, bad := range []string{"x\x1by", "x\u202Ey", "x\x00y", "\xff"} {
		for _, f := range (&engine.Action{}).TextFields() {
			if f.Name == "op" {
				continue // an unknown op is refused as one
			}
			t.Run(f.Name+"/"+strings.ToValidUTF8(bad, "?"), func(t *testing.T) {
				x := start(t, Options{Seed: 1, HasSeed: true})
				a := engine.Action{Op: engine.OpChat, Text: "hello"}
				for _, g := range a.TextFields() {
					if g.Name == f.Name {
						*g.Ptr = bad
					}
				}
				evs, err := x.Apply(engine.Act(ana, a))
				var ie *engine.Error
				if !errors.As(err, &ie) || ie.Code != engine.BadRequest || !strings.Contains(ie.Reason, "the "+f.Name+" field") {
					t.Fatalf("Apply = %v, want bad_request naming the %s field", err, f.Name)
				}
				if len(evs) != 1 || evs[0].Kind != engine.KindRefused || evs[0].Seq != x.Log()[len(x.Log())-1].Seq {
					t.Fatalf("Apply returned %+v; want the refusal it logged", evs)
				}
				b, _ := json.Marshal(evs)
				if strings.Contains(string(b), `\u001b`) || strings.Contains(string(b), `\u0000`) || strings.ContainsRune(string(b), '\u202E') || strings.Contains(string(b), `\ufffd`) {
					t.Errorf("the refusal stored the bad text: %s", b)
				}
			})
		}
	}
}

// TestTextBudgets: a field over its limit, a seat over its budget and an
// exercise over its budget are each refused as over_budget naming the
// limit, and nothing of the refused text is stored.
func TestTextBudgets(t *testing.T) {
	limits := engine.Limits{TextBytes: 100, SeatBytes: 250, ExerciseBytes: 400}
	x := start(t, Options{Seed: 1, HasSeed: true, Limits: limits})
	say := func(who engine.Actor, text string) error {
		_, err := x.Apply(engine.Say(who, "", text))
		return err
	}
	over := func(err error, fragment string) {
		t.Helper()
		var ie *engine.Error
		if !errors.As(err, &ie) || ie.Code != engine.OverBudget || !strings.Contains(ie.Reason, fragment) {
			t.Fatalf("got %v, want over_budget with %q", err, fragment)
		}
		last := x.Log()[len(x.Log())-1]
		if d, ok := last.Data.(engine.RefusedData); !ok || d.Action.Text != "" {
			t.Fatalf("the refusal kept the text: %+v", last.Data)
		}
	}
	over(say(ana, strings.Repeat("a", 101)), "limit for one text field is 100 bytes")
	for range 2 {
		if err := say(ana, strings.Repeat("b", 100)); err != nil {
			t.Fatal(err)
		}
	}
	over(say(ana, strings.Repeat("c", 51)), "limit of 250 bytes per seat")
	if err := say(ana, strings.Repeat("d", 50)); err != nil {
		t.Fatalf("exactly the seat's budget: %v", err)
	}
	for range 1 {
		if err := say(kim, strings.Repeat("e", 100)); err != nil {
			t.Fatal(err)
		}
	}
	over(say(kim, strings.Repeat("f", 51)), "limit of 400 bytes")
}

// TestEveryBadFieldIsBlanked: with two bad fields, the door names the first
// it checks (text)
// and the refusal it logs carries neither, nor an unknown role.
func TestEveryBadFieldIsBlanked(t *testing.T) {
	x := start(t, Options{Seed: 1, HasSeed: true})
	a := engine.Action{Op: engine.OpChat, Channel: "x\x1by", Text: "pay \u202Eyrgne"}
	evs, err := x.Apply(engine.Input{Actor: engine.Actor{Name: "ana", Role: "root\x07"}, Action: a})
	var ie *engine.Error
	if !errors.As(err, &ie) || ie.Code != engine.BadRequest || !strings.Contains(ie.Reason, "the text field") {
		t.Fatalf("Apply = %v, want bad_request naming the text field", err)
	}
	if len(evs) != 1 {
		t.Fatalf("Apply returned %d events, want the refusal", len(evs))
	}
	d, ok := evs[0].Data.(engine.RefusedData)
	if !ok || d.Action.Channel != "" || d.Action.Text != "" || d.Role != "" {
		t.Errorf("the refusal kept bad fields: %+v", evs[0].Data)
	}
}
