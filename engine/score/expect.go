package score

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/facts"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Expectation is one expect block of the scenario and its verdict. The
// verdict is decided once, at the end, from the whole log: the scorer
// folds the log (engine/facts, the state conditions read, the same the
// engine reads) and evaluates the condition after every event, so an
// expectation met in the last seconds of an exercise counts. The engine's
// own expect.met events are provisional, for the facilitator's console.
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
	// At and Seq are the time and sequence number of the event after which
	// the condition first held.
	At  time.Duration `json:"at,omitempty"`
	Seq uint64        `json:"seq,omitempty"`
	// Late is how long after the deadline it was met; 0 when on time.
	Late time.Duration `json:"late,omitempty"`
	// By is who did what made the condition true: the actor of that event
	// (BySeq), or empty when the world or the clock made it true.
	By    string `json:"by,omitempty"`
	BySeq uint64 `json:"by_seq,omitempty"`

	// NotApplicable says the expectation's applies condition never held:
	// the run gave no reason to meet it, so it is no loss (credited in
	// full). NotReached says the exercise ended before its window closed,
	// unmet: it is owed only for the time that passed, so it earns what
	// meeting it at the end would have (full credit before the deadline),
	// whether the team's speed or the facilitator ended it. Ending a run
	// earlier with the same actions never lowers a window's credit.
	NotApplicable bool `json:"not_applicable,omitempty"`
	NotReached    bool `json:"not_reached,omitempty"`

	// Earned is the credit: Points when met by the deadline (or without
	// one); after it, Points × (1 − late ÷ Decay) while that is positive,
	// falling linearly to zero at Within + Decay; 0 when met after that,
	// when there is no Decay, or when never met; and as NotApplicable and
	// NotReached say.
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

// verdict is what the fold of the log says of one expectation.
type verdict struct {
	met, applies bool
	idx          int // the event after which it first held
}

func (s *scorer) expectations() ([]Expectation, error) {
	known := map[string]bool{}
	for _, x := range s.sc.Expects {
		if x != nil {
			known[x.Name] = true
		}
	}
	for _, e := range s.v.expects {
		if !known[e.Name] {
			return nil, fmt.Errorf("score: %w: the log meets expectation %q, which the scenario does not have", ErrWrongScenario, e.Name)
		}
	}
	verdicts := s.decide()
	out := make([]Expectation, 0, len(s.sc.Expects))
	for i, x := range s.sc.Expects {
		if x == nil {
			continue
		}
		e := Expectation{
			Name: x.Name, Description: x.Description, Dimension: x.Dimension,
			Points: x.Points, Within: x.Within, Decay: x.Decay,
		}
		v := verdicts[i]
		switch {
		case v.met:
			ev := s.log[v.idx]
			e.Met, e.At, e.Seq = true, ev.At, ev.Seq
			if x.Within > 0 && ev.At > x.Within {
				e.Late = ev.At - x.Within
			}
			e.Earned = credit(x.Points, x.Within, x.Decay, ev.At)
			if by := actorOf(ev); by != "" {
				e.By, e.BySeq = by, ev.Seq
			}
		case !v.applies:
			e.NotApplicable, e.Earned = true, x.Points
		case x.Within > 0 && s.v.end < x.Within+x.Decay:
			e.NotReached, e.Earned = true, credit(x.Points, x.Within, x.Decay, s.v.end)
		}
		out = append(out, e)
	}
	return out, nil
}

// decide folds the log up to the end of the exercise and evaluates every
// expectation's condition, and its applies condition, after each event
// that changed something it reads. One index per expect block.
func (s *scorer) decide() []verdict {
	type pending struct {
		cond, applies hcl.Expression
		names         []string
		seen          uint64 // the fold's stamp at the last evaluation
	}
	out := make([]verdict, len(s.sc.Expects))
	var ps []*pending
	var needs []string
	for i, x := range s.sc.Expects {
		out[i].idx = -1
		if x == nil || x.Condition == nil {
			ps = append(ps, nil)
			continue
		}
		p := &pending{cond: x.Condition, applies: x.Applies}
		out[i].applies = x.Applies == nil
		for _, e := range []hcl.Expression{x.Condition, x.Applies} {
			if e == nil {
				continue
			}
			for _, t := range e.Variables() {
				p.names = append(p.names, t.RootName())
				needs = append(needs, t.RootName())
			}
		}
		ps = append(ps, p)
	}
	f := facts.New(s.sc)
	ctx := &hcl.EvalContext{Functions: scenario.Functions()}
	for idx, e := range s.log {
		if e.Kind == engine.KindEnded {
			break // the verdicts are of the exercise; the hotwash changes none
		}
		before := f.Stamp()
		f.Apply(e)
		if f.Stamp() == before {
			continue
		}
		var scope map[string]cty.Value
		for i, p := range ps {
			if p == nil || out[i].met || !f.ChangedSince(p.seen, p.names) {
				continue
			}
			p.seen = f.Stamp()
			if scope == nil {
				scope = f.Scope(needs)
				ctx.Variables = scope
			}
			if !out[i].applies && holds(ctx, p.applies) {
				out[i].applies = true
			}
			if holds(ctx, p.cond) {
				out[i].met, out[i].idx = true, idx
				out[i].applies = true // met is applying
			}
		}
	}
	return out
}

// holds evaluates a condition; one that cannot be evaluated yet (an empty
// list indexed, say) does not hold yet: validation caught unknown names.
func holds(ctx *hcl.EvalContext, expr hcl.Expression) bool {
	v, diags := expr.Value(ctx)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.Bool) {
		return false
	}
	return v.True()
}

// actorOf is who acted in an event: its actor, or for a decision the
// person who answered (none when the timeout chose).
func actorOf(e engine.Event) string {
	if d, ok := e.Data.(engine.AnswerData); ok {
		return d.By
	}
	return e.Actor
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
