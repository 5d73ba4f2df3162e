package score

import (
	"fmt"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/exercise"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Expectation is one expect block of the scenario and whether the team met
// it. The engine logs an expect.met event the first time the condition
// holds; that event's time is when it was met.
type Expectation struct {
	Name        string             `json:"name"`
	Description string             `json:"description,omitempty"`
	Dimension   scenario.Dimension `json:"dimension"`
	// Points is full credit, as the scenario sets it; Within and Decay are
	// the scenario's deadline (from the start of the exercise; 0: none) and
	// how long after it partial credit lasts (0: none).
	Points float64       `json:"points"`
	Within time.Duration `json:"within,omitempty"`
	Decay  time.Duration `json:"decay,omitempty"`

	Met bool `json:"met"`
	// At and Seq are the time and sequence number of the expect.met event.
	At  time.Duration `json:"at,omitempty"`
	Seq uint64        `json:"seq,omitempty"`
	// Late is how long after the deadline it was met; 0 when on time.
	Late time.Duration `json:"late,omitempty"`
	// By is who did what made the condition true, when the log can tell:
	// the actor of the latest event, since the engine last checked the
	// conditions (exercise.StoryEvery before), of a kind the condition
	// reads (see actorFor). BySeq is that event. Empty when the condition
	// turned true on its own (the world changed, time passed) or the log
	// cannot tell.
	By    string `json:"by,omitempty"`
	BySeq uint64 `json:"by_seq,omitempty"`

	// Earned is the credit: Points when met by the deadline (or without
	// one); after it, Points × (1 − late ÷ Decay) while that is positive,
	// falling linearly to zero at Within + Decay; 0 when met after that,
	// when there is no Decay, or when never met.
	Earned float64 `json:"earned"`
}

// credit is what meeting an expectation at `at` earns.
func credit(points float64, within, decay, at time.Duration) float64 {
	if within <= 0 || at <= within {
		return points
	}
	late := at - within
	if decay <= 0 || late >= decay {
		return 0
	}
	return points * (1 - float64(late)/float64(decay))
}

func (s *scorer) expectations() ([]Expectation, error) {
	met := map[string]expectEvent{}
	for _, e := range s.v.expects {
		if _, seen := met[e.Name]; !seen {
			met[e.Name] = e
		}
	}
	out := make([]Expectation, 0, len(s.sc.Expects))
	known := map[string]bool{}
	for _, x := range s.sc.Expects {
		if x == nil {
			continue
		}
		known[x.Name] = true
		e := Expectation{
			Name: x.Name, Description: x.Description, Dimension: x.Dimension,
			Points: x.Points, Within: x.Within, Decay: x.Decay,
		}
		if m, ok := met[x.Name]; ok {
			e.Met, e.At, e.Seq = true, m.at, s.log[m.idx].Seq
			if x.Within > 0 && m.at > x.Within {
				e.Late = m.at - x.Within
			}
			e.Earned = credit(x.Points, x.Within, x.Decay, m.at)
			if idx, ok := s.actorFor(x.Condition, m.mark); ok {
				e.By, e.BySeq = actorOf(s.log[idx]), s.log[idx].Seq
			}
		}
		out = append(out, e)
	}
	for _, e := range s.v.expects {
		if !known[e.Name] {
			return nil, fmt.Errorf("score: %w: the log meets expectation %q, which the scenario does not have", ErrWrongScenario, e.Name)
		}
	}
	return out, nil
}

// cue is one name a condition reads: its root (incidents, decision, …)
// and, for the named kinds, the name (decision.NAME.choice → NAME).
type cue struct{ root, name string }

func cues(expr hcl.Expression) []cue {
	if expr == nil {
		return nil
	}
	var out []cue
	for _, t := range expr.Variables() {
		c := cue{root: t.RootName()}
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				c.name = a.Name
			}
		}
		out = append(out, c)
	}
	return out
}

// actorFor finds the event that made cond true at met: the latest event
// with an actor, between the previous check of the conditions and met,
// that changes something cond reads. The previous check is the telemetry
// sample exercise.StoryEvery before (the engine samples, then checks); a log
// without one is cut by time alone.
func (s *scorer) actorFor(cond hcl.Expression, met mark) (int, bool) {
	cs := cues(cond)
	if len(cs) == 0 {
		return 0, false
	}
	from := met.at - exercise.StoryEvery
	floor := -1
	// The last telemetry sample at or before from.
	if i := sort.Search(len(s.v.ticks), func(i int) bool { return s.v.ticks[i].at > from }); i > 0 {
		floor = s.v.ticks[i-1].idx
	}
	for i := met.idx - 1; i > floor && s.log[i].At >= from; i-- {
		if actorOf(s.log[i]) != "" && s.moves(s.log[i], cs) {
			return i, true
		}
	}
	return 0, false
}

// actorOf is who acted in an event: its actor, or for a decision the
// person who answered (none when the timeout chose).
func actorOf(e engine.Event) string {
	if e.Kind == engine.KindAnswered {
		d, _ := payload[engine.AnswerData](e)
		return d.By
	}
	return e.Actor
}

// moves reports whether event e changes something one of the cues reads.
func (s *scorer) moves(e engine.Event, cs []cue) bool {
	for _, c := range cs {
		switch e.Kind {
		case engine.KindAction:
			d, err := payload[engine.ActionData](e)
			if err == nil && s.actionMoves(d, c) {
				return true
			}
		case engine.KindRootClaim:
			d, err := payload[engine.RootClaimData](e)
			if err == nil && c.root == "identified" && d.Correct {
				return true
			}
		case engine.KindAnswered:
			d, err := payload[engine.AnswerData](e)
			if err == nil && c.root == "decision" && d.Name == c.name {
				return true
			}
		case engine.KindPageAcked:
			d, err := payload[engine.PageData](e)
			if err == nil && c.root == "alert" && d.Alert == c.name {
				return true
			}
		}
	}
	return false
}

// actionMoves reports whether an accepted action changes what cue c reads.
func (s *scorer) actionMoves(d engine.ActionData, c cue) bool {
	op := d.Action.Op
	switch c.root {
	case "incidents", "parents", "parent":
		for _, rc := range d.Records {
			if rc.Incident != nil {
				return true
			}
		}
	case "war_rooms":
		return op == engine.OpOpenWarRoom
	case "problems":
		return op == engine.OpOpenProblem
	case "changes":
		return op == engine.OpOpenChange
	case "pages":
		return op == engine.OpPage
	case "status_updates":
		return op == engine.OpStatusUpdate
	case "validated":
		return op == engine.OpValidateRestoration
	case "command_center":
		return op == engine.OpRaiseIncidentAlert || op == engine.OpOpenWarRoom
	case "remedy":
		return s.remedyOf(d.Action) == c.name
	}
	return false
}

// remedyOf is the remedy an action applies: apply_remedy's, or the one a
// runbook step applies; empty for anything else.
func (s *scorer) remedyOf(a engine.Action) string {
	switch a.Op {
	case engine.OpApplyRemedy:
		return a.Remedy
	case engine.OpRunRunbookStep:
		if rb := s.runbooks[a.Runbook]; rb != nil {
			for _, st := range rb.Steps {
				if st != nil && st.Name == a.Step {
					return st.Applies.Name
				}
			}
		}
	}
	return ""
}
