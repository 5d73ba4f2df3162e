package incident

import (
	"time"

	"github.com/firedrill/firedrill/engine"
)

// NewIncident is what a person records when opening an incident.
type NewIncident struct {
	At               time.Duration
	By               string                // who recorded it
	Class            engine.Classification // empty means ClassIncident
	ShortDescription string
	Service          string // may be empty when the caller cannot name it
	Caller           string
	Impact, Urgency  engine.Level
	// Group, when set, assigns the record at once (state assigned).
	Group    string
	Assignee string
}

// CreateIncident records a new incident, numbered in order, with its
// priority looked up in the Policy matrix.
func (b *Book) CreateIncident(n NewIncident) (engine.Incident, error) {
	const op = engine.OpCreateIncident
	short, err := required(op, "", n.ShortDescription, "a short description")
	if err != nil {
		return engine.Incident{}, err
	}
	if n.Class == "" {
		n.Class = engine.ClassIncident
	}
	if !n.Class.Valid() {
		return engine.Incident{}, refuse(engine.BadRequest, op, "", "classification %q is unknown; use incident or service_request", n.Class)
	}
	if err := levels(op, "", n.Impact, n.Urgency); err != nil {
		return engine.Incident{}, err
	}
	if err := b.check(op, "", n.At); err != nil {
		return engine.Incident{}, err
	}
	inc := &engine.Incident{
		Number:           number(prefixIncident, len(b.incidents)+1),
		Class:            n.Class,
		ShortDescription: short,
		Service:          n.Service,
		Caller:           n.Caller,
		OpenedBy:         n.By,
		Impact:           n.Impact,
		Urgency:          n.Urgency,
		Priority:         b.policy.Priority(n.Impact, n.Urgency),
		PrioritisedBy:    n.By,
		State:            engine.StateNew,
		Opened:           engine.StampAt(n.At),
		Prioritised:      engine.StampAt(n.At),
	}
	if n.Group != "" {
		inc.State, inc.Group, inc.Assignee, inc.Assigned = engine.StateAssigned, n.Group, n.Assignee, engine.StampAt(n.At)
	}
	b.incidents = append(b.incidents, inc)
	b.now = n.At
	b.touch(inc)
	return inc.Clone(), nil
}

func levels(op engine.Op, record string, impact, urgency engine.Level) error {
	if !impact.Valid() {
		return refuse(engine.BadRequest, op, record, "impact %q is unknown; choose high, medium or low", impact)
	}
	if !urgency.Valid() {
		return refuse(engine.BadRequest, op, record, "urgency %q is unknown; choose high, medium or low", urgency)
	}
	return nil
}

// IncidentUpdate holds the fields to change; empty fields stay as they are.
type IncidentUpdate struct {
	ShortDescription string
	Service          string
	Caller           string
}

// UpdateIncident edits the descriptive fields of a live incident.
func (b *Book) UpdateIncident(number string, at time.Duration, by string, u IncidentUpdate) (engine.Incident, error) {
	return b.edit(engine.OpUpdateIncident, number, at, func(inc *engine.Incident) error {
		if u == (IncidentUpdate{}) {
			return refuse(engine.BadRequest, engine.OpUpdateIncident, inc.Number, "nothing to update; give a new description, service or caller")
		}
		inc.ShortDescription = or(u.ShortDescription, inc.ShortDescription)
		inc.Service = or(u.Service, inc.Service)
		inc.Caller = or(u.Caller, inc.Caller)
		return nil
	})
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// AddNote appends a work note to a live incident.
func (b *Book) AddNote(number string, at time.Duration, by, text string) (engine.Incident, error) {
	return b.edit(engine.OpUpdateIncident, number, at, func(inc *engine.Incident) error {
		return note(engine.OpUpdateIncident, inc, at, by, text)
	})
}

func note(op engine.Op, inc *engine.Incident, at time.Duration, by, text string) error {
	t, err := required(op, inc.Number, text, "the note's text")
	if err == nil {
		_, err = required(op, inc.Number, by, "who writes the note")
	}
	if err != nil {
		return err
	}
	inc.Notes = append(inc.Notes, engine.Note{At: at, By: by, Text: t})
	return nil
}

// Classify marks a live record as an incident or a service request. A
// service request takes no part in parents, merges or incident alerts.
func (b *Book) Classify(number string, at time.Duration, by string, c engine.Classification) (engine.Incident, error) {
	const op = engine.OpClassify
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		switch {
		case !c.Valid():
			return refuse(engine.BadRequest, op, inc.Number, "classification %q is unknown; use incident or service_request", c)
		case inc.Class == c:
			return refuse(engine.Conflict, op, inc.Number, "%s is already classified as %s", inc.Number, c)
		case c == engine.ClassServiceRequest && (inc.IsParent || inc.Parent != "" || inc.Alert != ""):
			return refuse(engine.Conflict, op, inc.Number, "%s is a parent, a child or has an incident alert, so it is an incident; a service request takes part in none of these", inc.Number)
		}
		inc.Class = c
		return nil
	})
}

// Assign gives a live incident to a group and, optionally, a person. A new
// record becomes assigned. Moving an in-progress record to another group
// sends it back to assigned, because the new group has to acknowledge it; a
// mitigated record stays mitigated.
func (b *Book) Assign(number string, at time.Duration, by, group, assignee string) (engine.Incident, error) {
	const op = engine.OpAssign
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		group, err := required(op, inc.Number, group, "the assignment group")
		if err != nil {
			return err
		}
		if group == inc.Group && assignee == inc.Assignee {
			return refuse(engine.Conflict, op, inc.Number, "%s is already assigned to %s", inc.Number, who(group, assignee))
		}
		if inc.State == engine.StateNew || (inc.State == engine.StateInProgress && group != inc.Group) {
			inc.State = engine.StateAssigned
		}
		inc.Group, inc.Assignee, inc.Assigned = group, assignee, engine.StampAt(at)
		return nil
	})
}

func who(group, person string) string {
	if person == "" {
		return group
	}
	return person + " of " + group
}

// Acknowledge records that a person of the assigned group has taken the
// incident: assigned → in_progress. The person becomes the assignee when
// there is none.
func (b *Book) Acknowledge(number string, at time.Duration, by string) (engine.Incident, error) {
	const op = engine.OpAcknowledge
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		by, err := required(op, inc.Number, by, "the person acknowledging")
		if err != nil {
			return err
		}
		inc.State, inc.Acknowledged, inc.Assignee = engine.StateInProgress, engine.StampAt(at), or(inc.Assignee, by)
		return nil
	})
}

// Prioritise sets impact and urgency and recomputes the priority. Setting
// the same values again is a valid confirmation (the command center
// validating a priority) and is stamped as such.
func (b *Book) Prioritise(number string, at time.Duration, by string, impact, urgency engine.Level) (engine.Incident, error) {
	const op = engine.OpPrioritise
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		if err := levels(op, inc.Number, impact, urgency); err != nil {
			return err
		}
		inc.Impact, inc.Urgency, inc.Priority = impact, urgency, b.policy.Priority(impact, urgency)
		inc.PrioritisedBy, inc.Prioritised = by, engine.StampAt(at)
		return nil
	})
}

// DeclareWorkaround records a workaround: in_progress → mitigated. The
// parent's live children that are not yet mitigated follow it. The result
// is the incident first, then each child that changed, in number order.
func (b *Book) DeclareWorkaround(number string, at time.Duration, by, text string) ([]engine.Incident, error) {
	const op = engine.OpDeclareWorkaround
	return b.editAll(op, number, at, func(inc *engine.Incident) ([]*engine.Incident, error) {
		text, err := required(op, inc.Number, text, "a description of the workaround")
		if err != nil {
			return nil, err
		}
		inc.State, inc.Mitigated, inc.Workaround = engine.StateMitigated, engine.StampAt(at), text
		return b.follow(inc, at), nil
	})
}

// DeclareRestored records that service is back: in_progress or mitigated →
// restored. The parent's live children that are not yet restored follow.
func (b *Book) DeclareRestored(number string, at time.Duration, by string) ([]engine.Incident, error) {
	return b.editAll(engine.OpDeclareRestored, number, at, func(inc *engine.Incident) ([]*engine.Incident, error) {
		inc.State, inc.Restored = engine.StateRestored, engine.StampAt(at)
		return b.follow(inc, at), nil
	})
}

// Reopen sends a restored incident back to in_progress because the impact
// came back; restoration and its validation are cleared. Its restored
// children reopen with it (closed ones stay closed). It is reported as
// update_incident.
func (b *Book) Reopen(number string, at time.Duration, by, reason string) ([]engine.Incident, error) {
	return b.editAll(opReopen, number, at, func(inc *engine.Incident) ([]*engine.Incident, error) {
		if reason != "" {
			if err := note(engine.OpUpdateIncident, inc, at, by, "Reopened: "+reason); err != nil {
				return nil, err
			}
		}
		var changed []*engine.Incident
		for _, c := range append([]*engine.Incident{inc}, b.children(inc)...) {
			if c == inc || c.State == engine.StateRestored {
				c.State, c.Restored, c.Validated, c.ValidatedBy = engine.StateInProgress, engine.Stamp{}, engine.Stamp{}, ""
				c.Reopened++
				changed = append(changed, c)
			}
		}
		return changed[1:], nil
	})
}

// ValidateRestoration records the service owner's confirmation that a
// restored incident's service is back.
func (b *Book) ValidateRestoration(number string, at time.Duration, by string) (engine.Incident, error) {
	const op = engine.OpValidateRestoration
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		by, err := required(op, inc.Number, by, "the person validating")
		if err != nil {
			return err
		}
		if inc.Validated.Set {
			return refuse(engine.Conflict, op, inc.Number, "%s was already validated by %s", inc.Number, inc.ValidatedBy)
		}
		inc.Validated, inc.ValidatedBy = engine.StampAt(at), by
		return nil
	})
}

// SetBusinessImpact records the service owner's business-impact statement,
// replacing an earlier one.
func (b *Book) SetBusinessImpact(number string, at time.Duration, by, text string) (engine.Incident, error) {
	return b.setText(engine.OpBusinessImpact, number, at, text, "the business-impact statement", func(inc *engine.Incident, t string) {
		inc.BusinessImpact = t
	})
}

// IdentifyRootCause records the root cause a player names on the incident.
// Whether it is correct is for scoring, which knows the ground truth.
func (b *Book) IdentifyRootCause(number string, at time.Duration, by, text string) (engine.Incident, error) {
	return b.setText(engine.OpIdentifyRootCause, number, at, text, "the root cause", func(inc *engine.Incident, t string) {
		inc.RootCause, inc.Identified = t, engine.StampAt(at)
	})
}

func (b *Book) setText(op engine.Op, number string, at time.Duration, text, what string, set func(*engine.Incident, string)) (engine.Incident, error) {
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		t, err := required(op, inc.Number, text, what)
		if err == nil {
			set(inc, t)
		}
		return err
	})
}

// StateTime records a time a player states for a milestone ("impact
// started at 14:02") beside the time they said it. claimed may be any
// offset, negative ones included.
func (b *Book) StateTime(number string, at time.Duration, by string, m engine.Milestone, claimed time.Duration) (engine.Incident, error) {
	const op = engine.OpStateTime
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		by, err := required(op, inc.Number, by, "who states the time")
		if err != nil {
			return err
		}
		s := engine.Statement{Claimed: claimed, At: at, By: by, Set: true}
		switch m {
		case engine.MilestoneImpactStarted:
			inc.StatedImpactStart = s
		case engine.MilestoneDetected:
			inc.StatedDetected = s
		case engine.MilestoneImpactEnded:
			inc.StatedImpactEnd = s
		default:
			return refuse(engine.BadRequest, op, inc.Number, "milestone %q is unknown; use impact_started, detected or impact_ended", m)
		}
		return nil
	})
}

// Close closes a restored incident. When the Policy needs validation for
// its priority, the service owner must have validated restoration and
// entered a business-impact statement; when the Policy needs a problem
// record for its priority alone (every P1 by default), one must be linked.
// The incident alert and war rooms close with it, and so do its children
// that are restored, on the parent's validation: children still being
// worked stay open (the parent's closure does not end their impact). The
// result is the incident first, then each child closed with it.
func (b *Book) Close(number string, at time.Duration, by, text string) ([]engine.Incident, error) {
	return b.editAll(engine.OpClose, number, at, func(inc *engine.Incident) ([]*engine.Incident, error) {
		if err := b.closable(inc); err != nil {
			return nil, err
		}
		if text != "" {
			if err := note(engine.OpClose, inc, at, by, text); err != nil {
				return nil, err
			}
		}
		var changed []*engine.Incident
		for _, c := range append([]*engine.Incident{inc}, b.children(inc)...) {
			if c.State == engine.StateRestored {
				c.State, c.Closed = engine.StateClosed, engine.StampAt(at)
				b.retire(c, at)
				changed = append(changed, c)
			}
		}
		return changed[1:], nil
	})
}

func (b *Book) closable(inc *engine.Incident) error {
	pr := inc.Priority
	if b.policy.NeedsValidation(pr) {
		if !inc.Validated.Set {
			return refuse(engine.Conflict, engine.OpClose, inc.Number, "%s is P%d; the service owner must validate restoration before it closes", inc.Number, pr)
		}
		if inc.BusinessImpact == "" {
			return refuse(engine.Conflict, engine.OpClose, inc.Number, "%s is P%d; the service owner must enter a business-impact statement before it closes", inc.Number, pr)
		}
	}
	if b.policy.NeedsProblem(pr) && len(inc.Problems) == 0 {
		return refuse(engine.Conflict, engine.OpClose, inc.Number, "%s is P%d and needs a problem record; open one before closing", inc.Number, pr)
	}
	return nil
}

// Decline ends a record that is not an incident. A parent with live
// children cannot be declined: they would lose their parent.
func (b *Book) Decline(number string, at time.Duration, by, reason string) (engine.Incident, error) {
	const op = engine.OpDecline
	return b.edit(op, number, at, func(inc *engine.Incident) error {
		reason, err := required(op, inc.Number, reason, "the reason it is not an incident")
		if err != nil {
			return err
		}
		if live := b.liveChildren(inc); len(live) > 0 {
			return refuse(engine.Conflict, op, inc.Number, "%s is the parent of %s; merge it into another parent instead", inc.Number, live[0].Number)
		}
		inc.State, inc.DeclineReason, inc.Closed = engine.StateDeclined, reason, engine.StampAt(at)
		b.unlink(inc)
		b.retire(inc, at)
		return nil
	})
}

// edit runs the checks every incident operation starts with (the record
// exists, the time is in order, op is allowed in the record's state), then
// change, which must refuse before it changes anything. On success the
// Book's clock moves to at and a copy of the record is returned.
func (b *Book) edit(op engine.Op, number string, at time.Duration, change func(*engine.Incident) error) (engine.Incident, error) {
	out, err := b.editAll(op, number, at, func(inc *engine.Incident) ([]*engine.Incident, error) { return nil, change(inc) })
	if err != nil {
		return engine.Incident{}, err
	}
	return out[0], nil
}

// editAll is edit for operations that change other incidents too: change
// returns them, and the result lists the record first, then them.
func (b *Book) editAll(op engine.Op, number string, at time.Duration, change func(*engine.Incident) ([]*engine.Incident, error)) ([]engine.Incident, error) {
	inc, err := b.begin(op, number, at)
	if err != nil {
		return nil, err
	}
	if err := canMove(op, inc); err != nil {
		return nil, err
	}
	rest, err := change(inc)
	if err != nil {
		return nil, err
	}
	return b.doneAll(inc, at, rest), nil
}

// begin finds a live incident and checks the time.
func (b *Book) begin(op engine.Op, number string, at time.Duration) (*engine.Incident, error) {
	if op == opReopen {
		op = engine.OpUpdateIncident
	}
	inc, err := b.incident(op, number)
	if err != nil {
		return nil, err
	}
	if err := b.check(op, inc.Number, at); err != nil {
		return nil, err
	}
	if err := alive(op, inc); err != nil {
		return nil, err
	}
	return inc, nil
}

func (b *Book) doneAll(first *engine.Incident, at time.Duration, rest []*engine.Incident) []engine.Incident {
	b.now = at
	b.touch(first)
	out := []engine.Incident{first.Clone()}
	for _, c := range rest {
		b.touch(c)
		out = append(out, c.Clone())
	}
	return out
}

// retire closes what belongs to an incident that has left the workflow: its
// incident alert and its open war rooms.
func (b *Book) retire(inc *engine.Incident, at time.Duration) {
	if a, ok := lookup(b.alerts, prefixAlert, inc.Alert); ok && a.Open() {
		a.Closed = engine.StampAt(at)
		b.touch(a)
	}
	for _, w := range b.rooms {
		if w.Incident == inc.Number && w.Open() {
			w.Closed = engine.StampAt(at)
			b.touch(w)
		}
	}
}
