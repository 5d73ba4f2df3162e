package engine

import (
	"encoding/json"
	"strings"
	"time"
)

// Actor is the participant taking an action: a person of the scenario (or a
// named facilitator) in one role.
type Actor struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// Action is what a participant asks the exercise to do. Op says which; the
// other fields are its arguments, and each Op reads only the ones it needs
// (engine/exercise's handlers).
type Action struct {
	// ID is the client's id for the action, echoed in acks and errors.
	ID string `json:"id,omitempty"`
	Op Op     `json:"op"`

	Record  string `json:"record,omitempty"`  // an INC, PRB, CHG, TASK or WR number
	Page    string `json:"page,omitempty"`    // a PG number: acknowledge, silence, attach
	Parent  string `json:"parent,omitempty"`  // for link_parent and merge
	Group   string `json:"group,omitempty"`   // assign, page, open_task
	Person  string `json:"person,omitempty"`  // assign, page
	Service string `json:"service,omitempty"` // create, queries, identify
	// Hypothesis is the cause an identify_root_cause claims, by name (the
	// started event lists them).
	Hypothesis string `json:"hypothesis,omitempty"`
	Remedy     string `json:"remedy,omitempty"`   // apply_remedy, open_change
	Runbook    string `json:"runbook,omitempty"`  // run_runbook_step
	Step       string `json:"step,omitempty"`     // run_runbook_step
	Vendor     string `json:"vendor,omitempty"`   // contact_vendor, query_vendor_changes
	Metric     string `json:"metric,omitempty"`   // query_telemetry
	Decision   string `json:"decision,omitempty"` // answer_decision
	Option     string `json:"option,omitempty"`   // answer_decision
	Channel    string `json:"channel,omitempty"`  // chat
	Text       string `json:"text,omitempty"`

	Impact         Level          `json:"impact,omitempty"`
	Urgency        Level          `json:"urgency,omitempty"`
	Classification Classification `json:"classification,omitempty"`
	Caller         string         `json:"caller,omitempty"`
	Emergency      bool           `json:"emergency,omitempty"`
	Rating         int            `json:"rating,omitempty"` // rate_confidence, 1–5
	Milestone      Milestone      `json:"milestone,omitempty"`
	// Stated is the time a player states for a milestone, as virtual time
	// since the start.
	Stated time.Duration `json:"stated,omitempty"`
	// For is how long to silence a page.
	For time.Duration `json:"for,omitempty"`
	// Inject is the inject a facilitator delivers (fire_inject); Speed the
	// pace a facilitator sets (set_speed), in virtual seconds per second.
	Inject string  `json:"inject,omitempty"`
	Speed  float64 `json:"speed,omitempty"`
}

// InputKind is the family of an input, for the adapters that treat them
// differently (a chat line is shown as it is typed, a control moves the
// server's pacer).
type InputKind string

const (
	InputAction  InputKind = "action"
	InputChat    InputKind = "chat"
	InputControl InputKind = "control" // pause, resume, set_speed
	InputFire    InputKind = "fire"
	InputEnd     InputKind = "end"
)

// Input is everything that reaches an exercise from outside: a person's or
// a bot's action or chat line, a ChatOps command's effect, a facilitator's
// control. Each goes through the exercise's one door, where the actor's
// permission is checked; the input log is the list of inputs with the
// virtual times they were applied at, and replaying it rebuilds the
// exercise exactly.
type Input struct {
	Actor  Actor  `json:"actor"`
	Action Action `json:"action"`
}

// Kind is the input's family, from its op.
func (in Input) Kind() InputKind {
	switch in.Action.Op {
	case OpChat:
		return InputChat
	case OpPause, OpResume, OpSetSpeed:
		return InputControl
	case OpFireInject:
		return InputFire
	case OpEnd:
		return InputEnd
	}
	return InputAction
}

// Act is actor taking action a.
func Act(actor Actor, a Action) Input { return Input{Actor: actor, Action: a} }

// Say is actor posting text to channel ("" for the actor's own group's).
func Say(actor Actor, channel, text string) Input {
	return Input{Actor: actor, Action: Action{Op: OpChat, Channel: channel, Text: text}}
}

// Facilitator is the actor of the facilitator's controls.
func Facilitator() Actor { return Actor{Name: SeatFacilitator, Role: RoleFacilitator} }

// UnmarshalJSON reads an input, and the shape inputs were stored in before
// facilitator controls were ops: {"kind":"fire","inject":NAME},
// {"kind":"end"} and {"kind":"action",...}.
func (in *Input) UnmarshalJSON(b []byte) error {
	var raw struct {
		Kind   string `json:"kind"`
		Actor  Actor  `json:"actor"`
		Action Action `json:"action"`
		Inject string `json:"inject"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*in = Input{Actor: raw.Actor, Action: raw.Action}
	switch strings.TrimSpace(raw.Kind) {
	case "fire":
		*in = Input{Actor: Facilitator(), Action: Action{Op: OpFireInject, Inject: raw.Inject}}
	case "end":
		*in = Input{Actor: Facilitator(), Action: Action{Op: OpEnd}}
	}
	return nil
}
