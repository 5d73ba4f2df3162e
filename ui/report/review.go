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

	Summary    []string         `json:"summary"`
	Detection  score.Detection  `json:"detection"`
	Response   score.Response   `json:"response"`
	Timeline   []Entry          `json:"timeline"`
	Waterfall  []Bar            `json:"waterfall"`
	Factors    score.Factors    `json:"factors"`
	Resolution score.Resolution `json:"resolution"`
	Findings   Findings         `json:"findings"`
	People     []Person         `json:"people"`
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
	// Phase is "impact" or a score.Phase.
	Phase string `json:"phase"`
	Name  string `json:"name"`
	// From and To are where the bar starts (impact) and ends.
	From     time.Duration `json:"from"`
	To       time.Duration `json:"to"`
	Duration time.Duration `json:"duration"`
	Censored bool          `json:"censored"`
	Par      time.Duration `json:"par,omitempty"`
	HasPar   bool          `json:"has_par"`
	OverPar  bool          `json:"over_par"`
	// NotApplicable: no root-cause fault, nothing to measure.
	NotApplicable bool `json:"not_applicable,omitempty"`
	// Source is "score": every bar is one of engine/score's measures.
	Source string `json:"source"`
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
