package engine

import (
	"time"

	"github.com/firedrill/firedrill/engine/incident"
)

// Actor is the participant taking an action: a person of the scenario (or a
// named facilitator) in one role.
type Actor struct {
	Name string        `json:"name"`
	Role incident.Role `json:"role"`
}

// Action is what a participant asks the exercise to do. Op says which; the
// other fields are its arguments, and each Op reads only the ones it needs
// (see the table in apply.go).
type Action struct {
	// ID is the client's id for the action, echoed in acks and errors.
	ID string      `json:"id,omitempty"`
	Op incident.Op `json:"op"`

	Record   string `json:"record,omitempty"`   // an INC, PRB, CHG, TASK or WR number
	Page     string `json:"page,omitempty"`     // a PG number: acknowledge, silence, attach
	Parent   string `json:"parent,omitempty"`   // for link_parent and merge
	Group    string `json:"group,omitempty"`    // assign, page, open_task
	Person   string `json:"person,omitempty"`   // assign, page
	Service  string `json:"service,omitempty"`  // create, queries, identify
	Remedy   string `json:"remedy,omitempty"`   // apply_remedy, open_change
	Runbook  string `json:"runbook,omitempty"`  // run_runbook_step
	Step     string `json:"step,omitempty"`     // run_runbook_step
	Vendor   string `json:"vendor,omitempty"`   // contact_vendor, query_vendor_changes
	Metric   string `json:"metric,omitempty"`   // query_telemetry
	Decision string `json:"decision,omitempty"` // answer_decision
	Option   string `json:"option,omitempty"`   // answer_decision
	Channel  string `json:"channel,omitempty"`  // chat
	Text     string `json:"text,omitempty"`

	Impact         incident.Level          `json:"impact,omitempty"`
	Urgency        incident.Level          `json:"urgency,omitempty"`
	Classification incident.Classification `json:"classification,omitempty"`
	Caller         string                  `json:"caller,omitempty"`
	Emergency      bool                    `json:"emergency,omitempty"`
	Rating         int                     `json:"rating,omitempty"` // rate_confidence, 1–5
	Milestone      incident.Milestone      `json:"milestone,omitempty"`
	// Stated is the time a player states for a milestone, as virtual time
	// since the start.
	Stated time.Duration `json:"stated,omitempty"`
	// For is how long to silence a page.
	For time.Duration `json:"for,omitempty"`
}
