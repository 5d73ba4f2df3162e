package server

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/session"
	"github.com/firedrill/firedrill/server/protocol"
)

// FuzzHelloAction runs a client frame down the whole path a websocket
// frame takes to the exercise: the strict decoder, the frame's input for
// the participant's seat, the server's text check, and the exercise's
// door, on a fresh exercise. Nothing panics; every refusal is typed and
// its error frame clean; and nothing the door logs, taken or refused,
// carries a character engine.CleanText refuses.
func FuzzHelloAction(f *testing.F) {
	sc, _, err := loadScenario("egress-proxy-saturation", "")
	if err != nil {
		f.Fatal(err)
	}
	seats := seatsByName(sc)
	humans := []engine.Seat{seats["kim"], seats["service-desk"]}
	facilitator := you(engine.Seat{Name: "facilitator", Role: engine.RoleFacilitator, Roles: []engine.Role{engine.RoleFacilitator}})
	limits := engine.DefaultLimits()
	for _, s := range []string{
		`{"type":"hello","resume_after":3}`,
		`{"type":"action","id":"a1","action":{"op":"create_incident","service":"egress-proxy","group":"network","text":"proxy down","impact":"high","urgency":"high"}}`,
		`{"type":"action","id":"a2","role":"group_owner","action":{"op":"acknowledge","record":"INC0001"}}`,
		`{"type":"action","id":"a3","action":{"op":"update_incident","record":"INC0001","text":"a\u202eb"}}`,
		`{"type":"chat","id":"c1","channel":"group:network","text":"/oncall"}`,
		`{"type":"chat","id":"c2","channel":"group:network","text":"bell\u0007"}`,
		`{"type":"control","id":"k1","control":"speed","speed":1e308}`,
		`{"type":"control","id":"k2","control":"fire","inject":"vp-asks"}`,
		`{"type":"chat","id":"d","text":"a","text":"b"}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, asFacilitator bool) {
		fr, err := protocol.DecodeClient(b)
		if err != nil {
			var de *protocol.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("decode error of type %T", err)
			}
			cleanError(t, protocol.ErrorFrom(de.ID, err))
			return
		}
		if fr.Hello != nil {
			return // resume_after meets the log in the loop (TestLooseFrames)
		}
		y := you(seats["kim"])
		if asFacilitator {
			y = facilitator
		}
		in, err := inputOf(y, fr)
		if err == nil {
			err = checkText(in, limits)
		}
		if err != nil {
			var ie *engine.Error
			if !errors.As(err, &ie) {
				t.Fatalf("refusal of type %T: %v", err, err)
			}
			cleanError(t, protocol.ErrorFrom(fr.ID(), err))
			return
		}
		sess, err := session.New(sc, session.Options{Seed: 1, Skill: bot.Expert, Humans: humans, Limits: limits})
		if err != nil {
			t.Fatal(err)
		}
		sess.Start()
		mark := len(sess.Exercise().Log())
		_, err = sess.Apply(in)
		var ie *engine.Error
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("the door refused with %T: %v", err, err)
		}
		if err != nil {
			cleanError(t, protocol.ErrorFrom(fr.ID(), err))
		}
		for _, e := range sess.Exercise().Log()[mark:] {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("event %d does not encode: %v", e.Seq, err)
			}
			if r, ok := dirty(b); ok {
				t.Fatalf("the log took %U: %s", r, b)
			}
		}
	})
}

// cleanError fails when an error frame carries a character
// engine.CleanText refuses.
func cleanError(t *testing.T, e protocol.Error) {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := dirty(b); ok {
		t.Fatalf("an error frame carries %U: %s", r, b)
	}
}
