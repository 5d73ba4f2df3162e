package report

import (
	"errors"
	"fmt"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// Input is one exercise to review: its scenario, its event log, the score
// engine/score made of that log, what the facilitator adds, and optionally
// the result of the scenario's reference run (expert bots) to compare with.
type Input struct {
	Scenario *scenario.Scenario
	Log      []engine.Event
	Report   score.Report
	Meta     Meta
	// Reference is the reference run's measures; nil leaves the comparison
	// out.
	Reference *score.Result
}

// Meta is what the log cannot know: the facilitator's side of the review.
// Every field is optional.
type Meta struct {
	// Exercise is the exercise's id, as stored.
	Exercise string `json:"exercise"`
	// Date is the exercise date as it should be printed (say 2026-03-14).
	// The report never reads the clock, so without it there is no date.
	Date         string `json:"date"`
	Facilitator  string `json:"facilitator"`
	Organization string `json:"organization"`
	// Participants and their roles in the exercise; when empty the header
	// lists who acted in the log instead.
	Participants []Participant `json:"participants"`
	// Notes are the facilitator's notes, one paragraph each.
	Notes []string `json:"notes"`
	// ActionItems are the follow-ups agreed in the review. The engine has
	// no action for them yet, so they come in here.
	ActionItems []ActionItem `json:"action_items"`
}

// Participant is a person and the role they played.
type Participant struct {
	Name string `json:"name"`
	Role string `json:"role"`
	// Organization is the team or department they came from.
	Organization string `json:"organization,omitempty"`
}

// ActionItem is a follow-up agreed in the review.
type ActionItem struct {
	Action string `json:"action"`
	// Issue is the area for improvement it answers: a finding's name (an
	// expectation, check, penalty kind, decision or phase) or free text.
	Issue string `json:"issue,omitempty"`
	// Type is mitigate, prevent, detect or process.
	Type   string `json:"type"`
	Owner  string `json:"owner"`
	Ticket string `json:"ticket,omitempty"`
	Due    string `json:"due,omitempty"`
	Status string `json:"status,omitempty"`
	// Dimension ties the item to the scoring dimension (and so the core
	// capability of the after-action report) it improves.
	Dimension scenario.Dimension `json:"dimension,omitempty"`
	// Element is the capability element of the improvement plan: planning,
	// organization, equipment, training or exercise.
	Element string `json:"element,omitempty"`
}

// ActionTypes are the action-item types, in the order reviews list them.
var ActionTypes = []string{"mitigate", "prevent", "detect", "process"}

// check rejects what would make a review that lies: no scenario, or a score
// of another scenario.
func (in Input) check() error {
	if in.Scenario == nil {
		return errors.New("report: no scenario")
	}
	if in.Report.Scenario != "" && in.Scenario.Name != "" && in.Report.Scenario != in.Scenario.Name {
		return fmt.Errorf("report: the score is of %q, the scenario is %q", in.Report.Scenario, in.Scenario.Name)
	}
	if in.Reference != nil && in.Reference.Scenario != "" && in.Scenario.Name != "" && in.Reference.Scenario != in.Scenario.Name {
		return fmt.Errorf("report: the reference run is of %q, the scenario is %q", in.Reference.Scenario, in.Scenario.Name)
	}
	return nil
}
