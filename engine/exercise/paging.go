package exercise

import (
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/world"
)

// paging is the alert layer: pages to on-call people, acknowledged or
// escalated along the rotation and finally to its escalation target.
type paging struct {
	n      int
	byID   map[string]*page
	firing map[string]string // alert name → open page id
}

type page struct {
	id       string
	alert    string
	incident string
	rotation *scenario.Rotation
	group    string
	from     string
	text     string
	step     int
	runbook  string
	rbStep   string
	sent     time.Duration
	person   string
	acked    bool
	ackedBy  string
	resolved bool
	// silencedUntil holds escalation back; when it passes with the page
	// still unacknowledged, escalation restarts.
	silencedUntil time.Duration
}

func newPaging() paging {
	return paging{byID: map[string]*page{}, firing: map[string]string{}}
}

// OnCall returns who is on call for rotation r at virtual time t, and who is
// next.
func (x *Exercise) OnCall(r *scenario.Rotation, t time.Duration) (now, next string) {
	order := scenario.OnCallOrder(x.sc.RotationMembers(r), r.Shift, x.sc.StartClock, t)
	switch len(order) {
	case 0:
		return "", ""
	case 1:
		return order[0], order[0]
	}
	return order[0], order[1]
}

// escalationTarget is the last step of a rotation: its escalate_to, else the
// owner of its group.
func (x *Exercise) escalationTarget(r *scenario.Rotation) string {
	if r.EscalateTo != "" {
		return r.EscalateTo
	}
	if g := x.sc.Group(r.Group.Name); g != nil {
		return g.Owner
	}
	return ""
}

func (x *Exercise) rotationOf(group string) *scenario.Rotation {
	for _, r := range x.sc.Rotations {
		if r.Group.Name == group {
			return r
		}
	}
	return nil
}

func (x *Exercise) alertFired(c world.Change) {
	a := x.sc.Alert(c.Alert)
	if a == nil {
		return
	}
	data := engine.AlertData{Alert: a.Name, Service: c.Service, Metric: string(a.Metric), Value: c.Value, Severity: a.Severity, Rotation: a.Page.Name}
	x.emit(engine.KindAlertFired, x.serviceAudience(c.Service), "", data)
	if a.Page.Name == "" {
		return
	}
	r := x.sc.Rotation(a.Page.Name)
	text := fmt.Sprintf("[%s] %s on %s: %s %s %g (now %.3g)", a.Severity, a.Name, c.Service, a.Metric, a.Op, a.Threshold, c.Value)
	id := x.sendPage(r, &page{group: r.Group.Name, alert: a.Name, text: text})
	x.pages.firing[a.Name] = id
}

func (x *Exercise) alertResolved(c world.Change) {
	a := x.sc.Alert(c.Alert)
	if a == nil {
		return
	}
	x.emit(engine.KindAlertResolved, x.serviceAudience(c.Service), "", engine.AlertData{Alert: a.Name, Service: c.Service, Metric: string(a.Metric), Value: c.Value, Severity: a.Severity, Rotation: a.Page.Name})
	if id, ok := x.pages.firing[a.Name]; ok {
		// Escalation runs only while an alert fires unacknowledged.
		x.pages.byID[id].resolved = true
		delete(x.pages.firing, a.Name)
	}
}

// sendPage numbers and sends p: to p.person when set, else to the on-call
// person of rotation r, else to the owner of p.group. With a rotation it
// schedules the escalation in case nobody acknowledges.
func (x *Exercise) sendPage(r *scenario.Rotation, p *page) string {
	x.pages.n++
	p.id, p.rotation, p.sent = fmt.Sprintf("PG%04d", x.pages.n), r, x.now
	x.pages.byID[p.id] = p
	switch {
	case p.person != "":
	case r != nil:
		p.person, _ = x.OnCall(r, x.now)
	default:
		if g := x.sc.Group(p.group); g != nil {
			p.person = g.Owner
		}
	}
	x.emit(engine.KindPage, x.pageAudience(p), p.from, p.data())
	if r != nil && r.EscalateAfter > 0 {
		x.at(x.now+r.EscalateAfter, itemEscalate, p.id)
	}
	return p.id
}

func (p *page) data() engine.PageData {
	return engine.PageData{Page: p.id, Alert: p.alert, Incident: p.incident, Group: p.group, Person: p.person, From: p.from, Text: p.text, Step: p.step,
		Runbook: p.runbook, RunbookStep: p.rbStep, SilencedUntil: p.silencedUntil}
}

// pageAudience: the paged person, and the command center, which watches
// every page of a P1/P2 in real life.
func (x *Exercise) pageAudience(p *page) engine.Audience {
	a := engine.ToPerson(p.person)
	a.Roles = []engine.Role{engine.RoleCommandCenter}
	return a
}

// escalate moves an unacknowledged page to the next member of the rotation,
// and after every member has had it, to the escalation target.
func (x *Exercise) escalate(id string) {
	p := x.pages.byID[id]
	if p == nil || p.acked || p.resolved || p.rotation == nil {
		return
	}
	if x.now < p.silencedUntil {
		x.at(p.silencedUntil, itemEscalate, p.id)
		return
	}
	// The order is fixed when the page was sent; a shift change during the
	// escalation does not restart it.
	order := scenario.OnCallOrder(x.sc.RotationMembers(p.rotation), p.rotation.Shift, x.sc.StartClock, p.sent)
	next := p.step + 1
	switch {
	case next < len(order):
		p.person = order[next]
	case next == len(order):
		p.person = x.escalationTarget(p.rotation)
	default:
		return // the escalation target has it; nobody is above them
	}
	p.step = next
	x.emit(engine.KindPageEscalated, x.pageAudience(p), "", p.data())
	x.at(x.now+p.rotation.EscalateAfter, itemEscalate, p.id)
}

// openPage finds a page that can still be acted on.
func (x *Exercise) openPage(op engine.Op, id string) (*page, error) {
	p := x.pages.byID[id]
	switch {
	case p == nil:
		return nil, &engine.Error{Code: engine.NotFound, Op: op, Record: id, Reason: fmt.Sprintf("there is no page %q; pages are numbered PG0001…", id)}
	case p.acked && op != engine.OpAttachPage:
		return nil, &engine.Error{Code: engine.Conflict, Op: op, Record: id, Reason: fmt.Sprintf("%s was already acknowledged", id)}
	}
	return p, nil
}

func (x *Exercise) ackPage(actor engine.Actor, id string) (engine.PageData, error) {
	p, err := x.openPage(engine.OpAcknowledgePage, id)
	switch {
	case err != nil:
		return engine.PageData{}, err
	}
	p.acked, p.ackedBy = true, actor.Name
	return p.data(), nil
}
