package engine

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// Kind names what an event records. Kinds are part of the event log and the
// wire protocol: never rename one.
type Kind string

const (
	KindStarted  Kind = "exercise.started"
	KindEnded    Kind = "exercise.ended"
	KindControl  Kind = "exercise.control" // the facilitator paused, resumed or changed speed
	KindInject   Kind = "inject"
	KindOffered  Kind = "decision.offered"
	KindAnswered Kind = "decision.answered"

	KindAlertFired    Kind = "alert.fired"
	KindAlertResolved Kind = "alert.resolved"
	KindPage          Kind = "page"
	KindPageAcked     Kind = "page.acknowledged"
	KindPageEscalated Kind = "page.escalated"
	KindPageSilenced  Kind = "page.silenced"
	KindPageAttached  Kind = "page.attached"

	KindAction    Kind = "action"
	KindRefused   Kind = "action.refused"
	KindChat      Kind = "chat"
	KindResult    Kind = "query.result"
	KindVendor    Kind = "vendor.response"
	KindRemedy    Kind = "remedy"
	KindTelemetry Kind = "telemetry"
	KindBriefing  Kind = "briefing"
	// A fault took one of the responders' tools down, or the tool came
	// back. Everyone sees both, as on a status page; the fault behind them
	// is the facilitator's.
	KindToolDown Kind = "tool.down"
	KindToolUp   Kind = "tool.up"

	// Ground truth: facilitators and the report only.
	KindWorld      Kind = "world"
	KindRootClaim  Kind = "root_cause.claimed"
	KindExpectMet  Kind = "expect.met"
	KindRestored   Kind = "service.restored"
	KindImpactOver Kind = "impact.ended"
	// The impact tracker's other changes: a service joins the impact, the
	// impact comes back after it had ended (mitigation, restoration and
	// validation no longer hold), an owner's validation counts.
	KindImpacted      Kind = "service.impacted"
	KindImpactResumed Kind = "impact.resumed"
	KindValidated     Kind = "restoration.validated"
	// Mitigation is customer impact falling to the scenario's share of its
	// peak (scenario.Target.MitigatedBelow) and staying there; impact.resumed
	// says it rose above again. Restoration is lost when a service is
	// unhealthy again after it.
	KindMitigated       Kind = "impact.mitigated"
	KindRestorationLost Kind = "restoration.lost"
	// KindHealth is the world's verdict on a service at a tick: healthy or
	// not, the instant it changes. Telemetry samples only every third tick.
	KindHealth Kind = "service.health"
	// KindFaultReduced is a remedy taking a share of a fault's strength
	// away and leaving the rest: the fault stays active. It is a kind of
	// its own rather than a WorldData change because readers that check
	// every WorldData change (the scorer) refuse a log with an unknown one,
	// while they skip kinds they do not read.
	KindFaultReduced Kind = "fault.reduced"
)

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
	k, ok := kindOf(e.Kind)
	if !ok {
		return fmt.Errorf("engine: event %d has unknown kind %q", e.Seq, e.Kind)
	}
	if len(raw.Data) == 0 {
		e.Data = nil
		return nil
	}
	d := k.payload()
	if err := json.Unmarshal(raw.Data, d); err != nil {
		return fmt.Errorf("engine: event %d (%s): %w", e.Seq, e.Kind, err)
	}
	e.Data = deref(d)
	return nil
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

// BriefingData is what every participant is told at the start: the causes
// responders may claim, right and wrong alike, which a claim of the root
// cause picks from.
type BriefingData struct {
	Hypotheses []HypothesisInfo `json:"hypotheses"`
}

// HypothesisInfo is a cause responders may claim, as everyone sees it:
// not whether it is right.
type HypothesisInfo struct {
	Name    string `json:"name"`
	Service string `json:"service"`
	Title   string `json:"title"`
}

// ControlData is a facilitator's control of the exercise's pace. The pace
// is the server's (virtual time does not notice it); the log keeps it so
// the review can show when the exercise stood still.
type ControlData struct {
	Control Op      `json:"control"` // pause, resume or set_speed
	Speed   float64 `json:"speed,omitempty"`
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
	By       string        `json:"by"`              // empty when the timeout chose
	Score    float64       `json:"score,omitempty"` // the option's score: facilitators only
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
	Role    Role           `json:"role"`
	Records []RecordChange `json:"records,omitempty"`
}

// RecordChange is a snapshot of one record after an action changed it.
// Exactly one pointer is set.
type RecordChange struct {
	Incident *Incident      `json:"incident,omitempty"`
	Alert    *IncidentAlert `json:"alert,omitempty"`
	WarRoom  *WarRoom       `json:"war_room,omitempty"`
	Task     *Task          `json:"task,omitempty"`
	Problem  *Problem       `json:"problem,omitempty"`
	Change   *Change        `json:"change,omitempty"`
	// DuplicateOf is set when a war room was opened for an issue that
	// already had one.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// Number is the number of the record the change is about ("INC0001",
// "WR01"), which also says its kind.
func (rc RecordChange) Number() string {
	switch {
	case rc.Incident != nil:
		return rc.Incident.Number
	case rc.Alert != nil:
		return rc.Alert.Number
	case rc.WarRoom != nil:
		return rc.WarRoom.Number
	case rc.Task != nil:
		return rc.Task.Number
	case rc.Problem != nil:
		return rc.Problem.Number
	case rc.Change != nil:
		return rc.Change.Number
	}
	return ""
}

// Same reports whether o is about the same record as rc.
func (rc RecordChange) Same(o RecordChange) bool { return rc.Number() == o.Number() }

// RefusedData is an action the exercise refused, kept because a wrong move
// is part of the record.
type RefusedData struct {
	Action Action `json:"action"`
	Role   Role   `json:"role"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
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
	Query   Op       `json:"query"`
	Subject string   `json:"subject"`
	Lines   []string `json:"lines,omitempty"`
	Series  []Point  `json:"series,omitempty"`
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
	Reduced   []string `json:"reduced,omitempty"`
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
	// Impacted says a fault, a spike or a failing dependency touches the
	// service: ground truth, for facilitators only.
	Impacted bool `json:"impacted,omitempty"`
	// Total and Failed are cumulative request counts since the start.
	Total  float64 `json:"total"`
	Failed float64 `json:"failed"`
}

// ToolData is a tool going down or coming back.
type ToolData struct {
	Tool  Tool          `json:"tool"`
	Since time.Duration `json:"since"` // when it went down
	// Fault is what took it down: ground truth, for facilitators only.
	Fault string `json:"fault,omitempty"`
}

// WorldData is ground truth about faults: started, at full strength,
// mitigated, fixed or healed.
type WorldData struct {
	Change    string `json:"change"`
	Fault     string `json:"fault,omitempty"`
	Service   string `json:"service,omitempty"`
	RootCause bool   `json:"root_cause,omitempty"`
}

// ReducedData is a remedy weakening a fault without removing it.
type ReducedData struct {
	Fault   string `json:"fault"`
	Service string `json:"service"` // the fault's
	Remedy  string `json:"remedy"`
	// By is the share of the fault's strength this remedy took away;
	// Remaining the share every reduction so far leaves.
	By        float64 `json:"by"`
	Remaining float64 `json:"remaining"`
	RootCause bool    `json:"root_cause,omitempty"`
}

// RootClaimData is a root-cause claim and whether it was right.
type RootClaimData struct {
	Incident string `json:"incident,omitempty"`
	Service  string `json:"service"`
	// Hypothesis is the cause claimed, when the service has hypotheses.
	Hypothesis string `json:"hypothesis,omitempty"`
	Text       string `json:"text"`
	Fault      string `json:"fault,omitempty"` // the root-cause fault it matches
	Correct    bool   `json:"correct"`
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

// HealthData is a service turning healthy or unhealthy in the world.
type HealthData struct {
	Service string `json:"service"`
	Healthy bool   `json:"healthy"`
}

// ValidationData is an owner's validation of an incident that counts as
// validating the restoration: the incident is about the impact.
type ValidationData struct {
	Incident string `json:"incident"`
}
