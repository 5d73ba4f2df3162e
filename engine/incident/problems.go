package incident

import (
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// OpenProblem opens a problem record for an incident and links the two.
// The incident may already be closed (root-cause analysis often follows
// closure) but not declined or merged. An empty short description takes
// the incident's. An incident links to one open problem; link further
// incidents with LinkProblem.
func (b *Book) OpenProblem(incident string, at time.Duration, by, short string) (engine.Problem, error) {
	const op = engine.OpOpenProblem
	inc, err := b.problemIncident(op, incident, at)
	if err != nil {
		return engine.Problem{}, err
	}
	for _, n := range inc.Problems {
		if p, ok := lookup(b.problems, prefixProblem, n); ok && p.State != engine.ProblemClosed {
			return engine.Problem{}, refuse(engine.Conflict, op, inc.Number, "%s is already linked to open problem %s", inc.Number, p.Number)
		}
	}
	short = strings.TrimSpace(short)
	if short == "" {
		short = inc.ShortDescription
	}
	p := &engine.Problem{
		Number:           number(prefixProblem, len(b.problems)+1),
		ShortDescription: short,
		Incidents:        []string{inc.Number},
		State:            engine.ProblemNew,
		OpenedBy:         by,
		Opened:           engine.StampAt(at),
	}
	b.problems = append(b.problems, p)
	inc.Problems = append(inc.Problems, p.Number)
	b.touch(p, inc)
	b.now = at
	return p.Clone(), nil
}

// problemIncident finds an incident a problem may link to: any but a
// declined or merged one.
func (b *Book) problemIncident(op engine.Op, incident string, at time.Duration) (*engine.Incident, error) {
	inc, err := b.incident(op, incident)
	if err != nil {
		return nil, err
	}
	if err := b.check(op, inc.Number, at); err != nil {
		return nil, err
	}
	if inc.State == engine.StateDeclined || inc.State == engine.StateMerged {
		return nil, alive(op, inc)
	}
	if inc.Class != engine.ClassIncident {
		return nil, refuse(engine.Conflict, op, inc.Number, "%s is a service request; problems explain incidents", inc.Number)
	}
	return inc, nil
}

// LinkProblem links another incident to an open problem. It is reported as
// open_problem.
func (b *Book) LinkProblem(problem, incident string, at time.Duration, by string) (engine.Problem, error) {
	const op = engine.OpOpenProblem
	p, err := b.openProblem(op, problem)
	if err != nil {
		return engine.Problem{}, err
	}
	inc, err := b.problemIncident(op, incident, at)
	if err != nil {
		return engine.Problem{}, err
	}
	if slices.Contains(p.Incidents, inc.Number) {
		return engine.Problem{}, refuse(engine.Conflict, op, p.Number, "%s is already linked to %s", inc.Number, p.Number)
	}
	p.Incidents = append(p.Incidents, inc.Number)
	inc.Problems = append(inc.Problems, p.Number)
	b.touch(p, inc)
	b.now = at
	return p.Clone(), nil
}

func (b *Book) openProblem(op engine.Op, number string) (*engine.Problem, error) {
	p, err := find(op, b.problems, "problem", prefixProblem, number)
	if err == nil {
		err = problemOpen(op, p)
	}
	return p, err
}

func problemOpen(op engine.Op, p *engine.Problem) error {
	if p.State == engine.ProblemClosed {
		return refuse(engine.Conflict, op, p.Number, "%s is closed; open a new problem if the cause is back", p.Number)
	}
	return nil
}

// ProblemRootCause records an open problem's root cause. It is reported
// as identify_root_cause.
func (b *Book) ProblemRootCause(problem string, at time.Duration, by, cause string) (engine.Problem, error) {
	return b.setProblem(engine.OpIdentifyRootCause, problem, at, cause, "the root cause", func(p *engine.Problem, t string) { p.RootCause = t })
}

// ProblemWorkaround records an open problem's workaround. It is reported as
// declare_workaround.
func (b *Book) ProblemWorkaround(problem string, at time.Duration, by, workaround string) (engine.Problem, error) {
	return b.setProblem(engine.OpDeclareWorkaround, problem, at, workaround, "the workaround", func(p *engine.Problem, t string) { p.Workaround = t })
}

func (b *Book) setProblem(op engine.Op, problem string, at time.Duration, text, what string, set func(*engine.Problem, string)) (engine.Problem, error) {
	return act(b, op, b.problems, "problem", prefixProblem, problem, at, (*engine.Problem).Clone, func(p *engine.Problem) error {
		text, err := required(op, p.Number, text, what)
		if err == nil {
			err = problemOpen(op, p)
		}
		if err == nil {
			set(p, text)
		}
		return err
	})
}

// problemMoves lists the allowed problem transitions. A problem needs a
// root cause to become a known error or to move to a fix; a known error may
// close without a fix (risk accepted).
var problemMoves = []struct{ from, to engine.ProblemState }{
	{engine.ProblemNew, engine.ProblemRCA},
	{engine.ProblemRCA, engine.ProblemKnownError},
	{engine.ProblemRCA, engine.ProblemFixInProgress},
	{engine.ProblemKnownError, engine.ProblemFixInProgress},
	{engine.ProblemKnownError, engine.ProblemClosed},
	{engine.ProblemFixInProgress, engine.ProblemClosed},
}

// MoveProblem moves a problem along new → rca → known_error →
// fix_in_progress → closed. It is reported as open_problem, or close when
// closing.
func (b *Book) MoveProblem(problem string, at time.Duration, by string, to engine.ProblemState) (engine.Problem, error) {
	op := engine.OpOpenProblem
	if to == engine.ProblemClosed {
		op = engine.OpClose
	}
	return act(b, op, b.problems, "problem", prefixProblem, problem, at, (*engine.Problem).Clone, func(p *engine.Problem) error {
		if err := problemOpen(op, p); err != nil {
			return err
		}
		if !slices.ContainsFunc(problemMoves, func(m struct{ from, to engine.ProblemState }) bool { return m.from == p.State && m.to == to }) {
			return refuse(engine.Conflict, op, p.Number, "%s is %s and cannot move to %q; it goes new → rca → known_error → fix_in_progress → closed", p.Number, p.State, to)
		}
		if (to == engine.ProblemKnownError || to == engine.ProblemFixInProgress) && p.RootCause == "" {
			return refuse(engine.Conflict, op, p.Number, "%s has no root cause yet; record it before moving to %s", p.Number, to)
		}
		p.State = to
		if to == engine.ProblemClosed {
			p.Closed = engine.StampAt(at)
		}
		return nil
	})
}

// OpenChange requests a change to carry out a remedy for a live incident.
// One change per incident and remedy is open at a time.
func (b *Book) OpenChange(incident, remedy string, emergency bool, at time.Duration, by string) (engine.Change, error) {
	const op = engine.OpOpenChange
	inc, err := b.begin(op, incident, at)
	if err != nil {
		return engine.Change{}, err
	}
	if remedy, err = required(op, inc.Number, remedy, "the remedy the change carries out"); err != nil {
		return engine.Change{}, err
	}
	for _, c := range b.changes {
		if c.Incident == inc.Number && strings.EqualFold(c.Remedy, remedy) && c.State != engine.ChangeClosed {
			return engine.Change{}, refuse(engine.Conflict, op, inc.Number, "%s already requests %s for %s", c.Number, remedy, inc.Number)
		}
	}
	c := &engine.Change{
		Number:      number(prefixChange, len(b.changes)+1),
		Incident:    inc.Number,
		Remedy:      remedy,
		Emergency:   emergency,
		State:       engine.ChangeRequested,
		RequestedBy: by,
		Requested:   engine.StampAt(at),
	}
	b.changes = append(b.changes, c)
	inc.Changes = append(inc.Changes, c.Number)
	b.touch(c, inc)
	b.now = at
	return *c, nil
}

// ApproveChange approves a requested change.
func (b *Book) ApproveChange(change string, at time.Duration, by string) (engine.Change, error) {
	return b.moveChange(engine.OpApproveChange, change, at, by, engine.ChangeRequested, engine.ChangeApproved)
}

// ImplementChange records that an approved change was carried out (the
// engine calls it when the remedy completes). It is reported as
// apply_remedy.
func (b *Book) ImplementChange(change string, at time.Duration, by string) (engine.Change, error) {
	return b.moveChange(engine.OpApplyRemedy, change, at, by, engine.ChangeApproved, engine.ChangeImplemented)
}

// CloseChange closes an implemented change. It is reported as close.
func (b *Book) CloseChange(change string, at time.Duration, by string) (engine.Change, error) {
	return b.moveChange(engine.OpClose, change, at, by, engine.ChangeImplemented, engine.ChangeClosed)
}

var changeAdvice = map[engine.ChangeState]string{
	engine.ChangeRequested:   "approve it first",
	engine.ChangeApproved:    "implement it first",
	engine.ChangeImplemented: "it is already implemented; close it",
	engine.ChangeClosed:      "it is closed; open a new change",
}

func (b *Book) moveChange(op engine.Op, change string, at time.Duration, by string, from, to engine.ChangeState) (engine.Change, error) {
	return act(b, op, b.changes, "change", prefixChange, change, at, copyOf, func(c *engine.Change) error {
		if c.State != from {
			return refuse(engine.Conflict, op, c.Number, "%s is %s, not %s; %s", c.Number, c.State, from, changeAdvice[c.State])
		}
		c.State = to
		switch to {
		case engine.ChangeApproved:
			c.Approved, c.ApprovedBy = engine.StampAt(at), by
		case engine.ChangeImplemented:
			c.Implemented = engine.StampAt(at)
		case engine.ChangeClosed:
			c.Closed = engine.StampAt(at)
		}
		return nil
	})
}

// ChangeFor finds the change for remedy raised under incident or any
// incident of its family (its parent, siblings and children); an empty
// incident searches every change. Approved changes are preferred, then
// implemented, requested and closed ones; ties go to the lowest number.
func (b *Book) ChangeFor(incident, remedy string) (engine.Change, bool) {
	var family []string
	if incident != "" {
		inc, ok := lookup(b.incidents, prefixIncident, incident)
		if !ok {
			return engine.Change{}, false
		}
		family = b.family(inc)
	}
	order := []engine.ChangeState{engine.ChangeApproved, engine.ChangeImplemented, engine.ChangeRequested, engine.ChangeClosed}
	var best *engine.Change
	for _, c := range b.changes {
		if !strings.EqualFold(c.Remedy, strings.TrimSpace(remedy)) || (family != nil && !slices.Contains(family, c.Incident)) {
			continue
		}
		if best == nil || slices.Index(order, c.State) < slices.Index(order, best.State) {
			best = c
		}
	}
	if best == nil {
		return engine.Change{}, false
	}
	return *best, true
}

// RequireChange refuses, as apply_remedy, unless an approved change for
// remedy exists under incident's family: call it before running a remedy
// that the scenario says needs a change.
func (b *Book) RequireChange(incident, remedy string) (engine.Change, error) {
	const op = engine.OpApplyRemedy
	c, ok := b.ChangeFor(incident, remedy)
	switch {
	case !ok:
		return engine.Change{}, refuse(engine.Conflict, op, incident, "%s needs a change record; open a change for it and have it approved", remedy)
	case c.State == engine.ChangeRequested:
		return engine.Change{}, refuse(engine.Conflict, op, c.Number, "%s for %s is not approved yet; have it approved before applying the remedy", c.Number, remedy)
	case c.State != engine.ChangeApproved:
		return engine.Change{}, refuse(engine.Conflict, op, c.Number, "%s for %s is already %s; open a new change to apply the remedy again", c.Number, remedy, c.State)
	}
	return c, nil
}
