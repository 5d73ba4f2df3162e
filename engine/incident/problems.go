package incident

import (
	"slices"
	"strings"
	"time"
)

// OpenProblem opens a problem record for an incident and links the two.
// The incident may already be closed (root-cause analysis often follows
// closure) but not declined or merged. An empty short description takes
// the incident's. An incident links to one open problem; link further
// incidents with LinkProblem.
func (b *Book) OpenProblem(incident string, at time.Duration, by, short string) (Problem, error) {
	const op = OpOpenProblem
	inc, err := b.problemIncident(op, incident, at)
	if err != nil {
		return Problem{}, err
	}
	for _, n := range inc.Problems {
		if p, ok := lookup(b.problems, prefixProblem, n); ok && p.State != ProblemClosed {
			return Problem{}, refuse(Conflict, op, inc.Number, "%s is already linked to open problem %s", inc.Number, p.Number)
		}
	}
	short = strings.TrimSpace(short)
	if short == "" {
		short = inc.ShortDescription
	}
	p := &Problem{
		Number:           number(prefixProblem, len(b.problems)+1),
		ShortDescription: short,
		Incidents:        []string{inc.Number},
		State:            ProblemNew,
		OpenedBy:         by,
		Opened:           stamp(at),
	}
	b.problems = append(b.problems, p)
	inc.Problems = append(inc.Problems, p.Number)
	b.now = at
	return p.clone(), nil
}

// problemIncident finds an incident a problem may link to: any but a
// declined or merged one.
func (b *Book) problemIncident(op Op, incident string, at time.Duration) (*Incident, error) {
	inc, err := b.incident(op, incident)
	if err != nil {
		return nil, err
	}
	if err := b.check(op, inc.Number, at); err != nil {
		return nil, err
	}
	if inc.State == StateDeclined || inc.State == StateMerged {
		return nil, alive(op, inc)
	}
	if inc.Class != ClassIncident {
		return nil, refuse(Conflict, op, inc.Number, "%s is a service request; problems explain incidents", inc.Number)
	}
	return inc, nil
}

// LinkProblem links another incident to an open problem. It is reported as
// open_problem.
func (b *Book) LinkProblem(problem, incident string, at time.Duration, by string) (Problem, error) {
	const op = OpOpenProblem
	p, err := b.openProblem(op, problem)
	if err != nil {
		return Problem{}, err
	}
	inc, err := b.problemIncident(op, incident, at)
	if err != nil {
		return Problem{}, err
	}
	if slices.Contains(p.Incidents, inc.Number) {
		return Problem{}, refuse(Conflict, op, p.Number, "%s is already linked to %s", inc.Number, p.Number)
	}
	p.Incidents = append(p.Incidents, inc.Number)
	inc.Problems = append(inc.Problems, p.Number)
	b.now = at
	return p.clone(), nil
}

func (b *Book) openProblem(op Op, number string) (*Problem, error) {
	p, err := find(op, b.problems, "problem", prefixProblem, number)
	if err == nil {
		err = problemOpen(op, p)
	}
	return p, err
}

func problemOpen(op Op, p *Problem) error {
	if p.State == ProblemClosed {
		return refuse(Conflict, op, p.Number, "%s is closed; open a new problem if the cause is back", p.Number)
	}
	return nil
}

// ProblemRootCause records an open problem's root cause. It is reported
// as identify_root_cause.
func (b *Book) ProblemRootCause(problem string, at time.Duration, by, cause string) (Problem, error) {
	return b.setProblem(OpIdentifyRootCause, problem, at, cause, "the root cause", func(p *Problem, t string) { p.RootCause = t })
}

// ProblemWorkaround records an open problem's workaround. It is reported as
// declare_workaround.
func (b *Book) ProblemWorkaround(problem string, at time.Duration, by, workaround string) (Problem, error) {
	return b.setProblem(OpDeclareWorkaround, problem, at, workaround, "the workaround", func(p *Problem, t string) { p.Workaround = t })
}

func (b *Book) setProblem(op Op, problem string, at time.Duration, text, what string, set func(*Problem, string)) (Problem, error) {
	return act(b, op, b.problems, "problem", prefixProblem, problem, at, (*Problem).clone, func(p *Problem) error {
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
var problemMoves = []struct{ from, to ProblemState }{
	{ProblemNew, ProblemRCA},
	{ProblemRCA, ProblemKnownError},
	{ProblemRCA, ProblemFixInProgress},
	{ProblemKnownError, ProblemFixInProgress},
	{ProblemKnownError, ProblemClosed},
	{ProblemFixInProgress, ProblemClosed},
}

// MoveProblem moves a problem along new → rca → known_error →
// fix_in_progress → closed. It is reported as open_problem, or close when
// closing.
func (b *Book) MoveProblem(problem string, at time.Duration, by string, to ProblemState) (Problem, error) {
	op := OpOpenProblem
	if to == ProblemClosed {
		op = OpClose
	}
	return act(b, op, b.problems, "problem", prefixProblem, problem, at, (*Problem).clone, func(p *Problem) error {
		if err := problemOpen(op, p); err != nil {
			return err
		}
		if !slices.ContainsFunc(problemMoves, func(m struct{ from, to ProblemState }) bool { return m.from == p.State && m.to == to }) {
			return refuse(Conflict, op, p.Number, "%s is %s and cannot move to %q; it goes new → rca → known_error → fix_in_progress → closed", p.Number, p.State, to)
		}
		if (to == ProblemKnownError || to == ProblemFixInProgress) && p.RootCause == "" {
			return refuse(Conflict, op, p.Number, "%s has no root cause yet; record it before moving to %s", p.Number, to)
		}
		p.State = to
		if to == ProblemClosed {
			p.Closed = stamp(at)
		}
		return nil
	})
}

// OpenChange requests a change to carry out a remedy for a live incident.
// One change per incident and remedy is open at a time.
func (b *Book) OpenChange(incident, remedy string, emergency bool, at time.Duration, by string) (Change, error) {
	const op = OpOpenChange
	inc, err := b.begin(op, incident, at)
	if err != nil {
		return Change{}, err
	}
	if remedy, err = required(op, inc.Number, remedy, "the remedy the change carries out"); err != nil {
		return Change{}, err
	}
	for _, c := range b.changes {
		if c.Incident == inc.Number && strings.EqualFold(c.Remedy, remedy) && c.State != ChangeClosed {
			return Change{}, refuse(Conflict, op, inc.Number, "%s already requests %s for %s", c.Number, remedy, inc.Number)
		}
	}
	c := &Change{
		Number:      number(prefixChange, len(b.changes)+1),
		Incident:    inc.Number,
		Remedy:      remedy,
		Emergency:   emergency,
		State:       ChangeRequested,
		RequestedBy: by,
		Requested:   stamp(at),
	}
	b.changes = append(b.changes, c)
	inc.Changes = append(inc.Changes, c.Number)
	b.now = at
	return *c, nil
}

// ApproveChange approves a requested change.
func (b *Book) ApproveChange(change string, at time.Duration, by string) (Change, error) {
	return b.moveChange(OpApproveChange, change, at, by, ChangeRequested, ChangeApproved)
}

// ImplementChange records that an approved change was carried out (the
// engine calls it when the remedy completes). It is reported as
// apply_remedy.
func (b *Book) ImplementChange(change string, at time.Duration, by string) (Change, error) {
	return b.moveChange(OpApplyRemedy, change, at, by, ChangeApproved, ChangeImplemented)
}

// CloseChange closes an implemented change. It is reported as close.
func (b *Book) CloseChange(change string, at time.Duration, by string) (Change, error) {
	return b.moveChange(OpClose, change, at, by, ChangeImplemented, ChangeClosed)
}

var changeAdvice = map[ChangeState]string{
	ChangeRequested:   "approve it first",
	ChangeApproved:    "implement it first",
	ChangeImplemented: "it is already implemented; close it",
	ChangeClosed:      "it is closed; open a new change",
}

func (b *Book) moveChange(op Op, change string, at time.Duration, by string, from, to ChangeState) (Change, error) {
	return act(b, op, b.changes, "change", prefixChange, change, at, copyOf, func(c *Change) error {
		if c.State != from {
			return refuse(Conflict, op, c.Number, "%s is %s, not %s; %s", c.Number, c.State, from, changeAdvice[c.State])
		}
		c.State = to
		switch to {
		case ChangeApproved:
			c.Approved, c.ApprovedBy = stamp(at), by
		case ChangeImplemented:
			c.Implemented = stamp(at)
		case ChangeClosed:
			c.Closed = stamp(at)
		}
		return nil
	})
}

// ChangeFor finds the change for remedy raised under incident or any
// incident of its family (its parent, siblings and children); an empty
// incident searches every change. Approved changes are preferred, then
// implemented, requested and closed ones; ties go to the lowest number.
func (b *Book) ChangeFor(incident, remedy string) (Change, bool) {
	var family []string
	if incident != "" {
		inc, ok := lookup(b.incidents, prefixIncident, incident)
		if !ok {
			return Change{}, false
		}
		family = b.family(inc)
	}
	order := []ChangeState{ChangeApproved, ChangeImplemented, ChangeRequested, ChangeClosed}
	var best *Change
	for _, c := range b.changes {
		if !strings.EqualFold(c.Remedy, strings.TrimSpace(remedy)) || (family != nil && !slices.Contains(family, c.Incident)) {
			continue
		}
		if best == nil || slices.Index(order, c.State) < slices.Index(order, best.State) {
			best = c
		}
	}
	if best == nil {
		return Change{}, false
	}
	return *best, true
}

// RequireChange refuses, as apply_remedy, unless an approved change for
// remedy exists under incident's family: call it before running a remedy
// that the scenario says needs a change.
func (b *Book) RequireChange(incident, remedy string) (Change, error) {
	const op = OpApplyRemedy
	c, ok := b.ChangeFor(incident, remedy)
	switch {
	case !ok:
		return Change{}, refuse(Conflict, op, incident, "%s needs a change record; open a change for it and have it approved", remedy)
	case c.State == ChangeRequested:
		return Change{}, refuse(Conflict, op, c.Number, "%s for %s is not approved yet; have it approved before applying the remedy", c.Number, remedy)
	case c.State != ChangeApproved:
		return Change{}, refuse(Conflict, op, c.Number, "%s for %s is already %s; open a new change to apply the remedy again", c.Number, remedy, c.State)
	}
	return c, nil
}
