// Package engine runs a scenario as an exercise: it wires the simulated
// world, the incident records and the story to a virtual clock, takes
// participants' actions through one door (Exercise.Apply) and emits every
// outcome as an Event. The event log is the only output; state is a fold over
// it. The engine does no I/O and never reads the wall clock.
package engine

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine/incident"
)

// Kind names what an event records. Kinds are part of the event log and the
// wire protocol: never rename one.
type Kind string

const (
	KindStarted  Kind = "exercise.started"
	KindEnded    Kind = "exercise.ended"
	KindInject   Kind = "inject"
	KindOffered  Kind = "decision.offered"
	KindAnswered Kind = "decision.answered"

	KindAlertFired    Kind = "alert.fired"
	KindAlertResolved Kind = "alert.resolved"
	KindPage          Kind = "page"
	KindPageAcked     Kind = "page.acknowledged"
	KindPageEscalated Kind = "page.escalated"
	KindPageSilenced  Kind = "page.silenced"

	KindAction    Kind = "action"
	KindRefused   Kind = "action.refused"
	KindChat      Kind = "chat"
	KindResult    Kind = "query.result"
	KindVendor    Kind = "vendor.response"
	KindRemedy    Kind = "remedy"
	KindTelemetry Kind = "telemetry"

	// Ground truth: facilitators and the report only.
	KindWorld      Kind = "world"
	KindRootClaim  Kind = "root_cause.claimed"
	KindExpectMet  Kind = "expect.met"
	KindRestored   Kind = "service.restored"
	KindImpactOver Kind = "impact.ended"
)

// Audience says who may see an event (DESIGN.md invariant 4). An event with
// no audience at all reaches facilitators only.
type Audience struct {
	Everyone bool            `json:"everyone,omitempty"`
	Groups   []string        `json:"groups,omitempty"`
	Roles    []incident.Role `json:"roles,omitempty"`
	People   []string        `json:"people,omitempty"`
}

// Facilitators is the audience of ground truth.
var Facilitators = Audience{}

// Everyone is the audience of what all participants see.
var Everyone = Audience{Everyone: true}

// ToPerson, ToGroup and ToRole address one person, group or role.
func ToPerson(name string) Audience      { return Audience{People: []string{name}} }
func ToGroup(name string) Audience       { return Audience{Groups: []string{name}} }
func ToRole(role incident.Role) Audience { return Audience{Roles: []incident.Role{role}} }

// Viewer is someone an audience may include.
type Viewer struct {
	Name string
	// Role is the main role; a facilitator or observer sees everything.
	Role incident.Role
	// Roles are the other roles the person holds: a technician who also
	// owns a service hears what is addressed to service owners.
	Roles  []incident.Role
	Groups []string
}

// holds reports whether v holds role, as the main role or another.
func (v Viewer) holds(role incident.Role) bool {
	return v.Role == role || slices.Contains(v.Roles, role)
}

// Sees reports whether v may see an event addressed to a. Facilitators and
// observers see everything (observers cannot act).
func (a Audience) Sees(v Viewer) bool {
	if v.Role == incident.RoleFacilitator || v.Role == incident.RoleObserver {
		return true
	}
	if a.Everyone || slices.Contains(a.People, v.Name) {
		return true
	}
	for _, r := range a.Roles {
		if v.holds(r) {
			return true
		}
	}
	for _, g := range v.Groups {
		if slices.Contains(a.Groups, g) {
			return true
		}
	}
	return false
}

// Event is one thing that happened in an exercise.
type Event struct {
	Seq   uint64        `json:"seq"`
	At    time.Duration `json:"at"` // virtual time since the start, in nanoseconds
	Kind  Kind          `json:"kind"`
	To    Audience      `json:"to"`
	Actor string        `json:"actor,omitempty"`
	// Data is the kind's payload, one of the *Data types below.
	Data any `json:"data,omitempty"`
}

// UnmarshalJSON decodes Data into the payload type of the event's kind, so a
// stored log folds into the same values the engine emitted.
func (e *Event) UnmarshalJSON(b []byte) error {
	type plain Event
	var raw struct {
		plain
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*e = Event(raw.plain)
	newData, ok := payloads[e.Kind]
	if !ok {
		return fmt.Errorf("engine: event %d has unknown kind %q", e.Seq, e.Kind)
	}
	if len(raw.Data) == 0 || newData == nil {
		e.Data = nil
		return nil
	}
	d := newData()
	if err := json.Unmarshal(raw.Data, d); err != nil {
		return fmt.Errorf("engine: event %d (%s): %w", e.Seq, e.Kind, err)
	}
	e.Data = deref(d)
	return nil
}

var payloads = map[Kind]func() any{
	KindStarted:       func() any { return new(StartedData) },
	KindEnded:         func() any { return new(EndedData) },
	KindInject:        func() any { return new(InjectData) },
	KindOffered:       func() any { return new(DecisionData) },
	KindAnswered:      func() any { return new(AnswerData) },
	KindAlertFired:    func() any { return new(AlertData) },
	KindAlertResolved: func() any { return new(AlertData) },
	KindPage:          func() any { return new(PageData) },
	KindPageAcked:     func() any { return new(PageData) },
	KindPageEscalated: func() any { return new(PageData) },
	KindPageSilenced:  func() any { return new(PageData) },
	KindAction:        func() any { return new(ActionData) },
	KindRefused:       func() any { return new(RefusedData) },
	KindChat:          func() any { return new(ChatData) },
	KindResult:        func() any { return new(ResultData) },
	KindVendor:        func() any { return new(VendorData) },
	KindRemedy:        func() any { return new(RemedyData) },
	KindTelemetry:     func() any { return new(TelemetryData) },
	KindWorld:         func() any { return new(WorldData) },
	KindRootClaim:     func() any { return new(RootClaimData) },
	KindExpectMet:     func() any { return new(ExpectData) },
	KindRestored:      func() any { return new(ServiceData) },
	KindImpactOver:    func() any { return new(ServiceData) },
}

// deref turns the *T a payload was decoded into back into the T the engine
// emits, so a decoded log compares equal to the original.
func deref(p any) any { return reflect.ValueOf(p).Elem().Interface() }

// StartedData opens the log: what was run and with which seed.
type StartedData struct {
	Scenario string        `json:"scenario"`
	Title    string        `json:"title"`
	Seed     uint64        `json:"seed"`
	Duration time.Duration `json:"duration"`
	// Exercise marks every record as exercise data, so exports never mix
	// with production incident metrics.
	Exercise bool `json:"exercise"`
}

// EndedData closes the log.
type EndedData struct {
	Reason string `json:"reason"` // "duration", "restored", "facilitator"
}

// InjectData is a piece of the story reaching its audience.
type InjectData struct {
	Name    string `json:"name"`
	Channel string `json:"channel"`
	From    string `json:"from,omitempty"`
	Text    string `json:"text"`
	// Record and About are ground truth for scoring; the server strips them
	// before sending to players.
	Record string `json:"record,omitempty"`
	About  string `json:"about,omitempty"`
}

// DecisionData offers a decision.
type DecisionData struct {
	Name    string        `json:"name"`
	Prompt  string        `json:"prompt"`
	Options []OptionData  `json:"options"`
	Timeout time.Duration `json:"timeout,omitempty"`
}

// OptionData is one option as players see it (no score).
type OptionData struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// AnswerData records the option taken.
type AnswerData struct {
	Name     string        `json:"name"`
	Option   string        `json:"option"`
	By       string        `json:"by"` // empty when the timeout chose
	Score    float64       `json:"score"`
	Took     time.Duration `json:"took"`
	TimedOut bool          `json:"timed_out,omitempty"`
}

// AlertData is a monitoring alert firing or resolving.
type AlertData struct {
	Alert    string  `json:"alert"`
	Service  string  `json:"service"`
	Metric   string  `json:"metric"`
	Value    float64 `json:"value"`
	Severity string  `json:"severity"`
	Rotation string  `json:"rotation,omitempty"`
}

// PageData is a page to a person, its acknowledgement or its escalation.
type PageData struct {
	Page     string `json:"page"` // PG0001…
	Alert    string `json:"alert,omitempty"`
	Incident string `json:"incident,omitempty"`
	Group    string `json:"group"`
	Person   string `json:"person"`
	From     string `json:"from,omitempty"` // a person who paged; empty for an alert
	Text     string `json:"text,omitempty"`
	Step     int    `json:"step"` // 0 first responder, then escalations
	// Runbook and RunbookStep hand work over: the pager asks the paged
	// group to carry out this step, which only that group may run.
	Runbook     string `json:"runbook,omitempty"`
	RunbookStep string `json:"runbook_step,omitempty"`
	// SilencedUntil is when a silenced page starts escalating again.
	SilencedUntil time.Duration `json:"silenced_until,omitempty"`
}

// ActionData is an accepted action and the records it changed.
type ActionData struct {
	Action  Action         `json:"action"`
	Role    incident.Role  `json:"role"`
	Records []RecordChange `json:"records,omitempty"`
}

// RecordChange is a snapshot of one record after an action changed it.
// Exactly one pointer is set.
type RecordChange struct {
	Incident *incident.Incident      `json:"incident,omitempty"`
	Alert    *incident.IncidentAlert `json:"alert,omitempty"`
	WarRoom  *incident.WarRoom       `json:"war_room,omitempty"`
	Task     *incident.Task          `json:"task,omitempty"`
	Problem  *incident.Problem       `json:"problem,omitempty"`
	Change   *incident.Change        `json:"change,omitempty"`
	// DuplicateOf is set when a war room was opened for an issue that
	// already had one.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// RefusedData is an action the exercise refused, kept because a wrong move
// is part of the record.
type RefusedData struct {
	Action Action        `json:"action"`
	Role   incident.Role `json:"role"`
	Code   string        `json:"code"`
	Reason string        `json:"reason"`
}

// ChatData is a message in a channel: "group:NAME", "warroom:WR01",
// "command-center" or "direct:PERSON".
type ChatData struct {
	Channel string `json:"channel"`
	From    string `json:"from"`
	Text    string `json:"text"`
	Bot     bool   `json:"bot,omitempty"`
}

// ResultData answers a query to the person who asked.
type ResultData struct {
	Query   incident.Op `json:"query"`
	Subject string      `json:"subject"`
	Lines   []string    `json:"lines,omitempty"`
	Series  []Point     `json:"series,omitempty"`
}

// Point is one telemetry sample.
type Point struct {
	At    time.Duration `json:"at"`
	Value float64       `json:"value"`
}

// VendorData is a vendor helpdesk's answer.
type VendorData struct {
	Vendor string `json:"vendor"`
	Text   string `json:"text"`
}

// RemedyData reports a remedy starting or finishing.
type RemedyData struct {
	Remedy    string   `json:"remedy"`
	Service   string   `json:"service"`
	Phase     string   `json:"phase"` // "started" or "completed"
	By        string   `json:"by,omitempty"`
	Mitigated []string `json:"mitigated,omitempty"` // faults (ground truth in the facilitator copy)
	Fixed     []string `json:"fixed,omitempty"`
	Harm      string   `json:"harm,omitempty"`
}

// TelemetryData samples every service at one instant.
type TelemetryData struct {
	Services []ServiceSample `json:"services"`
}

// ServiceSample is one service's telemetry and request counters.
type ServiceSample struct {
	Service    string  `json:"service"`
	ErrorRate  float64 `json:"error_rate"`
	LatencyMS  float64 `json:"latency_ms"`
	RPS        float64 `json:"rps"`
	Saturation float64 `json:"saturation"`
	Healthy    bool    `json:"healthy"`
	// Total and Failed are cumulative request counts since the start.
	Total  float64 `json:"total"`
	Failed float64 `json:"failed"`
}

// WorldData is ground truth about faults: started, at full strength,
// mitigated, fixed or healed.
type WorldData struct {
	Change    string `json:"change"`
	Fault     string `json:"fault,omitempty"`
	Service   string `json:"service,omitempty"`
	RootCause bool   `json:"root_cause,omitempty"`
}

// RootClaimData is a root-cause claim and whether it was right.
type RootClaimData struct {
	Incident string `json:"incident,omitempty"`
	Service  string `json:"service"`
	Text     string `json:"text"`
	Fault    string `json:"fault,omitempty"` // the root-cause fault it matches
	Correct  bool   `json:"correct"`
}

// ExpectData records an expectation met.
type ExpectData struct {
	Name      string  `json:"name"`
	Dimension string  `json:"dimension"`
	Points    float64 `json:"points"`
}

// ServiceData names a service whose state changed for the measures.
type ServiceData struct {
	Service string `json:"service,omitempty"`
}
