package score

import (
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// DecisionDimension is the dimension every decision scores in. Decision
// points are judgement calls put to whoever runs the response (the
// incident manager, the command center, the technicians), and choosing
// the course of the response is coordination, whoever the audience; one
// rule keeps the dimension maxima comparable across scenarios.
const DecisionDimension = scenario.DimCoordination

// Decision is one decision block of the scenario and what was chosen.
type Decision struct {
	Name      string             `json:"name"`
	Prompt    string             `json:"prompt,omitempty"`
	Dimension scenario.Dimension `json:"dimension"`

	// Offered says the decision was put to its audience (a conditional
	// one may never be); OfferedAt and OfferedSeq are that event. A
	// decision never offered earns its Max: the run gave no reason to
	// decide.
	Offered    bool          `json:"offered"`
	OfferedAt  time.Duration `json:"offered_at,omitempty"`
	OfferedSeq uint64        `json:"offered_seq,omitempty"`

	// Answered says an option was taken, by a person or by the timeout
	// (TimedOut, By empty); At and Seq are the decision.answered event
	// and Took the time from the offer.
	Answered bool          `json:"answered"`
	At       time.Duration `json:"at,omitempty"`
	Seq      uint64        `json:"seq,omitempty"`
	Option   string        `json:"option,omitempty"`
	Text     string        `json:"text,omitempty"` // the option's text
	Note     string        `json:"note,omitempty"` // the facilitator's note on it
	By       string        `json:"by,omitempty"`
	TimedOut bool          `json:"timed_out,omitempty"`
	Took     time.Duration `json:"took,omitempty"`
	// Score is the chosen option's score, as logged.
	Score float64 `json:"score"`
	// Consequences are what the chosen option set off, as the scenario
	// writes them: "fault.reconnect-storm", "inject.x", "decision.y".
	Consequences []string `json:"consequences,omitempty"`

	// Best is the option with the highest score (the first of equals),
	// for comparison.
	Best      string  `json:"best"`
	BestScore float64 `json:"best_score"`

	// NotReached says it was offered and still open when the exercise
	// ended, before its timeout: the team's speed ended the run before
	// the decision was due, so it earns its Max, as an expectation whose
	// window was not reached does. Without a timeout an open decision is
	// a decision not taken.
	NotReached bool `json:"not_reached,omitempty"`

	// Earned is Score when answered, 0 when offered but never answered,
	// and Max when never offered (no loss) or not reached; Max is BestScore (0 if no
	// option scores above 0), offered or not, so every run of a scenario
	// has the same maximum. A negative Earned takes points off the
	// dimension.
	Earned float64 `json:"earned"`
	Max    float64 `json:"max"`
}

// bestOption is the decision's highest-scoring option, the first of
// equals; empty when it has none.
func bestOption(sd *scenario.Decision) (name string, score float64) {
	for _, o := range sd.Options {
		if o != nil && (name == "" || o.Score > score) {
			name, score = o.Name, o.Score
		}
	}
	return name, score
}

func (s *scorer) decisions() ([]Decision, error) {
	known := map[string]*scenario.Decision{}
	for _, d := range s.sc.Decisions {
		if d != nil {
			known[d.Name] = d
		}
	}
	offered := map[string]offeredEvent{}
	for _, o := range s.v.offered {
		if _, seen := offered[o.Name]; !seen {
			offered[o.Name] = o
		}
	}
	answered := map[string]answeredEvent{}
	for _, a := range s.v.answered {
		if known[a.Name] == nil {
			return nil, fmt.Errorf("score: %w: the log answers decision %q, which the scenario does not have", ErrWrongScenario, a.Name)
		}
		if _, seen := answered[a.Name]; !seen {
			answered[a.Name] = a
		}
	}
	out := make([]Decision, 0, len(s.sc.Decisions))
	for _, sd := range s.sc.Decisions {
		if sd == nil {
			continue
		}
		d := Decision{Name: sd.Name, Prompt: sd.Prompt, Dimension: DecisionDimension}
		d.Best, d.BestScore = bestOption(sd)
		o, wasOffered := offered[sd.Name]
		a, wasAnswered := answered[sd.Name]
		if wasOffered {
			d.Offered, d.OfferedAt, d.OfferedSeq = true, o.at, s.log[o.idx].Seq
		}
		if wasAnswered {
			// An answer implies the offer, even if a trimmed log lost it.
			d.Offered = true
			d.Answered, d.At, d.Seq = true, a.at, s.log[a.idx].Seq
			d.Option, d.By, d.TimedOut, d.Took, d.Score = a.Option, a.By, a.TimedOut, a.Took, a.Score
			for _, opt := range sd.Options {
				if opt != nil && opt.Name == a.Option {
					d.Text, d.Note = opt.Text, opt.Note
					for _, t := range opt.Triggers {
						d.Consequences = append(d.Consequences, t.String())
					}
				}
			}
			d.Earned = a.Score
		}
		d.Max = max(d.BestScore, 0)
		switch {
		case !d.Offered:
			// The run gave no reason to decide (a team that mitigated
			// before the dilemma arose): no loss.
			d.Earned = d.Max
		case !d.Answered && sd.Timeout > 0 && s.v.end < d.OfferedAt+sd.Timeout:
			d.NotReached, d.Earned = true, d.Max
		}
		out = append(out, d)
	}
	return out, nil
}
