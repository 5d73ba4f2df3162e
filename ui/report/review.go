package report

import (
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// Review is the post-exercise review of one exercise, as every format
// renders it and as JSON encodes it. Field names are part of the JSON
// schema (review.schema.json): never rename one; add fields, and bump
// SchemaVersion only for a change a dashboard would trip over. Every list
// is present (an empty list is [], never null) and in a fixed order.
//
// Times are virtual nanoseconds since the start of the exercise, as in the
// event log and engine/score.
type Review struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// ExerciseData is always true: the review is of an exercise.
	ExerciseData bool   `json:"exercise_data"`
	Notice       string `json:"notice"`

	Scenario ScenarioInfo `json:"scenario"`
	Meta     Meta         `json:"meta"`
	// Events is the number of events in the log.
	Events int `json:"events"`

	Summary    []string   `json:"summary"`
	Detection  Detection  `json:"detection"`
	Response   Response   `json:"response"`
	Timeline   []Entry    `json:"timeline"`
	Waterfall  []Bar      `json:"waterfall"`
	Factors    Factors    `json:"factors"`
	Resolution Resolution `json:"resolution"`
	Findings   Findings   `json:"findings"`
	People     []Person   `json:"people"`
	// Reference compares each phase with the reference run (expert bots);
	// empty when there was none.
	Reference []score.PhaseDelta `json:"reference"`

	// Score is engine/score's report, whole: every figure above comes from
	// it or from the log.
	Score score.Report `json:"score"`

	// markers are the chart's inject and action markers, for HTML only.
	markers []marker
	series  []series
}

// The format and version of the JSON document.
const (
	ReviewFormat  = "firedrill-review"
	TrendFormat   = "firedrill-trend"
	SchemaVersion = 1
)

// ScenarioInfo is what the review needs of the scenario.
type ScenarioInfo struct {
	Name       string        `json:"name"`
	Title      string        `json:"title"`
	Summary    string        `json:"summary"`
	Objectives []string      `json:"objectives"`
	Difficulty string        `json:"difficulty,omitempty"`
	Duration   time.Duration `json:"duration"`
	// StartClock is the time of day in the fiction at the start, which
	// turns virtual times into clock times.
	StartClock time.Duration `json:"start_clock"`
	Seed       uint64        `json:"seed"`
}

// Detection is how the outage was noticed and what monitoring did.
type Detection struct {
	// How is "alert", "record" or "" when the log does not show which
	// event ended the detect phase (or it never ended).
	How string `json:"how"`
	// By is the alert's name or the record's number; Actor who made the
	// record; Seq the event.
	By    string `json:"by,omitempty"`
	Actor string `json:"actor,omitempty"`
	Seq   uint64 `json:"seq,omitempty"`
	// Class is the record's class ("incident", "service_request").
	Class  string     `json:"class,omitempty"`
	Alerts []AlertRow `json:"alerts"`
}

// AlertRow is one alert rule of the scenario and what it did.
type AlertRow struct {
	Alert    string `json:"alert"`
	Service  string `json:"service"`
	Severity string `json:"severity,omitempty"`
	Rotation string `json:"rotation,omitempty"`
	// Impacted says the alert watches an impacted service.
	Impacted bool `json:"impacted"`
	// Status is "fired", "fired_unacknowledged", "missed" (did not fire on
	// an impacted service) or "quiet" (did not fire; nothing to see).
	Status  string        `json:"status"`
	FiredAt time.Duration `json:"fired_at,omitempty"`
	Seq     uint64        `json:"seq,omitempty"`
	// AckedAt and AckedBy are the first acknowledgement of a page the
	// alert sent.
	AckedAt time.Duration `json:"acked_at,omitempty"`
	AckedBy string        `json:"acked_by,omitempty"`
}

// Response is who responded and how they were reached.
type Response struct {
	Responders []Responder `json:"responders"`
	Pages      []PageRow   `json:"pages"`
	// Escalations counts page.escalated events over the exercise (the
	// score's escalation depth is in Score.Result).
	Escalations int       `json:"escalations"`
	WarRooms    []WarRoom `json:"war_rooms"`
	Comms       []Comm    `json:"comms"`
}

// Responder is a person who acted in the exercise.
type Responder struct {
	Name   string   `json:"name"`
	Roles  []string `json:"roles"`
	Groups []string `json:"groups"`
	// First is their first accepted action; Actions counts them
	// (confidence ratings and lessons left out).
	First   time.Duration `json:"first"`
	Actions int           `json:"actions"`
}

// PageRow is one page and what became of it.
type PageRow struct {
	Page     string        `json:"page"`
	At       time.Duration `json:"at"`
	Seq      uint64        `json:"seq"`
	Group    string        `json:"group"`
	Person   string        `json:"person"`
	From     string        `json:"from,omitempty"`
	Alert    string        `json:"alert,omitempty"`
	Incident string        `json:"incident,omitempty"`
	Acked    bool          `json:"acked"`
	AckedAt  time.Duration `json:"acked_at,omitempty"`
	AckedBy  string        `json:"acked_by,omitempty"`
	// Escalations counts the page's escalations.
	Escalations int `json:"escalations"`
}

// WarRoom is a bridge opened in the exercise.
type WarRoom struct {
	Number   string        `json:"number"`
	Incident string        `json:"incident"`
	OpenedBy string        `json:"opened_by"`
	At       time.Duration `json:"at"`
	Seq      uint64        `json:"seq"`
	// DuplicateOf is the war room the issue already had.
	DuplicateOf string   `json:"duplicate_of,omitempty"`
	Members     []string `json:"members"`
}

// Comm is a stakeholder update or a vendor's answer.
type Comm struct {
	At   time.Duration `json:"at"`
	Seq  uint64        `json:"seq"`
	By   string        `json:"by"`
	Kind string        `json:"kind"` // status_update, vendor_contact, vendor_response
	Text string        `json:"text"`
}

// Entry is one significant event of the timeline.
type Entry struct {
	Seq  uint64        `json:"seq"`
	At   time.Duration `json:"at"`
	Kind string        `json:"kind"`
	// Who acted: a person, "monitoring", the sender of an inject, or empty.
	Who  string `json:"who"`
	Role string `json:"role,omitempty"`
	Text string `json:"text"`
	// Truth marks ground truth the players did not see.
	Truth bool `json:"truth"`
}

// Bar is one mark of the phase waterfall: impact, each phase of
// engine/score in order, and close.
type Bar struct {
	// Phase is "impact", a score.Phase, or "close".
	Phase string `json:"phase"`
	Name  string `json:"name"`
	// From and To are where the bar starts (impact or detection) and ends.
	From     time.Duration `json:"from"`
	To       time.Duration `json:"to"`
	Duration time.Duration `json:"duration"`
	Censored bool          `json:"censored"`
	Par      time.Duration `json:"par,omitempty"`
	HasPar   bool          `json:"has_par"`
	OverPar  bool          `json:"over_par"`
	// NotApplicable: no root-cause fault, nothing to measure.
	NotApplicable bool `json:"not_applicable,omitempty"`
	// Source is "score" for the phases, "log" for close, which the report
	// picks from the log (engine/score has no close measure).
	Source string `json:"source"`
}

// Factors are the causes: root causes, what triggered them, and what made
// it worse.
type Factors struct {
	RootCauses   []Fault         `json:"root_causes"`
	Triggers     []VendorChange  `json:"triggers"`
	Contributing []Fault         `json:"contributing"`
	Harmful      []score.Penalty `json:"harmful"`
}

// Fault is a fault that started in the exercise.
type Fault struct {
	Fault   string        `json:"fault"`
	Service string        `json:"service"`
	Cause   string        `json:"cause"`
	Started time.Duration `json:"started"`
	Seq     uint64        `json:"seq"`
	// SetOffBy says what started a fault the story did not schedule: a
	// harmful remedy or a decision's option.
	SetOffBy string `json:"set_off_by,omitempty"`
	// Ended says how it ended: mitigated, fixed, healed, or "" (ran on).
	Ended   string        `json:"ended,omitempty"`
	EndedAt time.Duration `json:"ended_at,omitempty"`
}

// VendorChange is a change a root-cause service's vendor logged before the
// fault: the candidate trigger.
type VendorChange struct {
	Vendor string        `json:"vendor"`
	Change string        `json:"change"`
	At     time.Duration `json:"at"`
	Note   string        `json:"note"`
}

// Resolution is what stopped the impact and what fixed the cause.
type Resolution struct {
	Mitigated []Remedy `json:"mitigated"`
	Fixed     []Remedy `json:"fixed"`
	// SelfHealed: the root cause went away by itself.
	SelfHealed bool `json:"self_healed"`
	// Healed are the faults that went away by themselves before customer
	// impact ended: part of what stopped it, though nobody did it.
	Healed   []Fault  `json:"healed"`
	Records  []Record `json:"records"`
	Problems []Record `json:"problems"`
	Changes  []Record `json:"changes"`
}

// Remedy is a remedy that completed and what it did to the faults.
type Remedy struct {
	Remedy    string        `json:"remedy"`
	Service   string        `json:"service"`
	By        string        `json:"by,omitempty"`
	Started   time.Duration `json:"started"`
	Completed time.Duration `json:"completed"`
	Seq       uint64        `json:"seq"`
	Faults    []string      `json:"faults"`
}

// Record is an incident, problem or change record as the exercise left it.
type Record struct {
	Number   string `json:"number"`
	Kind     string `json:"kind"` // incident, service_request, problem, change
	State    string `json:"state"`
	Priority int    `json:"priority,omitempty"`
	Service  string `json:"service,omitempty"`
	Parent   string `json:"parent,omitempty"`
	Text     string `json:"text,omitempty"`
	// Links are the incidents of a problem or change, the problems and
	// changes of an incident.
	Links    []string      `json:"links"`
	OpenedBy string        `json:"opened_by,omitempty"`
	Opened   time.Duration `json:"opened"`
	Seq      uint64        `json:"seq"`
}

// Findings are the lessons of the score: what went well, what went wrong
// and where the team got lucky.
type Findings struct {
	Well  []Finding `json:"well"`
	Wrong []Finding `json:"wrong"`
	Lucky []Finding `json:"lucky"`
}

// Finding is one lesson, with where it comes from.
type Finding struct {
	// Source is the kind of evidence: expectation, check, penalty,
	// decision, phase, quality, detection.
	Source    string             `json:"source"`
	Name      string             `json:"name"`
	Dimension scenario.Dimension `json:"dimension"`
	Text      string             `json:"text"`
	Seq       uint64             `json:"seq,omitempty"`
}

// Person sets a player's confidence beside what the score credits and
// charges them with.
type Person struct {
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
	// First and Last are their first and last ratings (1–5); Ratings how
	// many they gave; AfterEnd that the last was given in the hotwash.
	First    int  `json:"first"`
	Last     int  `json:"last"`
	Ratings  int  `json:"ratings"`
	AfterEnd bool `json:"after_end"`
	// Credited are the expectations the score says they met.
	Credited  []string `json:"credited"`
	Decisions []string `json:"decisions"`
	Penalties []string `json:"penalties"`
	Lessons   int      `json:"lessons"`
}
