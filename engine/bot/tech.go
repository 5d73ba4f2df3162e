package bot

import (
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// techState is a technician's work in hand.
type techState struct {
	groups   []string // groups it works for: paged, assigned or drawn in
	hand     string   // the incident its work is recorded against
	mine     []string // incidents it acknowledged, and so declares on
	creating bool     // it asked for an incident record of its own
	polling  bool
	acked    []string // pages acknowledged by anyone

	health   map[string]*watch // per service of its groups
	sources  []string          // services it named as the cause
	paged    []string          // groups it paged
	rooms    []string          // war rooms it joined or opened
	repair   repair
	started  []string // remedies it started
	finished []string // remedies seen completing
}

// watch is what a technician knows of one of its services from the
// dashboards, the logs and the traffic view.
type watch struct {
	errRate  float64
	known    bool
	bad      bool
	everBad  bool
	streak   int // consecutive healthy readings
	examined time.Duration
	looked   bool
	clues    []string
	edges    []edge
}

// techObserve: technicians answer pages, take incidents assigned to their
// group, and follow their repairs.
func (b *Bot) techObserve(ev engine.Event) {
	switch d := ev.Data.(type) {
	case engine.PageData:
		switch ev.Kind {
		case engine.KindPageAcked:
			b.tech.acked = appendNew(b.tech.acked, d.Page)
		case engine.KindPage, engine.KindPageEscalated:
			if d.Person == b.v.Name {
				b.react(func() { b.takePage(d) })
			}
		}
	case engine.ActionData:
		b.techRecords(ev, d)
	case engine.RemedyData:
		if d.Phase == "completed" {
			b.tech.finished = appendNew(b.tech.finished, d.Remedy)
		}
	}
}

func (b *Bot) takePage(p engine.PageData) {
	if !slices.Contains(b.tech.acked, p.Page) {
		b.do(engine.Action{Op: engine.OpAcknowledgePage, Page: p.Page})
		b.tech.acked = append(b.tech.acked, p.Page)
	}
	if p.Runbook != "" {
		b.takeOver(p)
		return
	}
	b.engage(p.Group, p.Incident)
}

// techRecords reacts to record changes: incidents assigned to its groups,
// its own new incident, war rooms of its incident and approved changes.
func (b *Bot) techRecords(ev engine.Event, d engine.ActionData) {
	mineNow := ev.Actor == b.v.Name && d.Role == b.v.Role
	for _, rc := range d.Records {
		switch {
		case rc.Incident != nil:
			inc := *rc.Incident
			if mineNow && d.Action.Op == engine.OpCreateIncident && b.tech.creating {
				b.tech.creating = false
				b.tech.hand = inc.Number
			}
			if inc.State == engine.StateAssigned && inc.Class == engine.ClassIncident && b.inGroup(inc.Group) && d.Action.Op != engine.OpAcknowledge {
				b.planAck(inc)
			}
		case rc.WarRoom != nil:
			if rc.WarRoom.Open() && b.tech.hand != "" && slices.Contains(b.recs.Family(b.tech.hand), rc.WarRoom.Incident) {
				b.soon(b.joinRoom)
			}
		case rc.Change != nil:
			if rc.Change.State == engine.ChangeApproved {
				b.changeApproved(*rc.Change)
			}
		}
	}
}

// planAck plans taking an incident assigned to one of its groups. The
// person on call takes it after a reaction delay; each teammate further
// down the rotation waits one escalation period longer, and takes it only
// if it is still untaken.
func (b *Bot) planAck(inc engine.Incident) {
	if !b.first("ack-plan:" + inc.Number + "/" + inc.Group) {
		return
	}
	rank := slices.Index(b.dir.responders(inc.Group, b.now), b.v.Name)
	if inc.Assignee == b.v.Name {
		rank = 0
	}
	if rank < 0 {
		return
	}
	wait := b.delay() + time.Duration(rank)*b.dir.escalateAfter(inc.Group)
	b.after(wait, func() {
		cur := b.recs.Incident(inc.Number)
		if cur == nil || cur.State != engine.StateAssigned || cur.Group != inc.Group {
			return
		}
		if b.do(engine.Action{Op: engine.OpAcknowledge, Record: inc.Number}) {
			b.tech.mine = appendNew(b.tech.mine, inc.Number)
		}
		b.engage(inc.Group, inc.Number)
	})
}

// engage starts (or widens) the technician's work for a group.
func (b *Bot) engage(group, inc string) {
	if group != "" && b.inGroup(group) {
		b.tech.groups = appendNew(b.tech.groups, group)
	}
	b.takeHand(inc)
	if b.tech.health == nil {
		b.tech.health = map[string]*watch{}
	}
	b.quickFix()
	b.warRoom()
	if !b.tech.polling {
		b.tech.polling = true
		b.soon(b.investigate)
	}
}

// takeHand sets the incident the technician's work goes against: the one
// it was paged or assigned about, else a live incident on one of its
// groups' services.
func (b *Bot) takeHand(inc string) {
	if cur := b.recs.Incident(b.tech.hand); cur != nil && cur.Live() {
		return
	}
	if i := b.recs.Incident(inc); i != nil && i.Live() {
		b.tech.hand = inc
		return
	}
	for _, s := range b.myServices() {
		if i := b.recs.LiveOn(s); i != nil {
			b.tech.hand = i.Number
			return
		}
	}
}

// quickFix is the novice's classic first move: a restart (or flush, or
// retry) of its own service straight from the change catalogue, before
// looking at anything, because it worked last time.
func (b *Bot) quickFix() {
	if len(b.tech.groups) == 0 || !b.errs("quick-fix") || !b.first("quick-fix") {
		return
	}
	var services []string
	if inc := b.recs.Incident(b.tech.hand); inc != nil && inc.Service != "" {
		services = append(services, inc.Service)
	}
	for _, g := range b.tech.groups {
		services = append(services, b.dir.servicesOf(g)...)
	}
	for _, s := range services {
		for _, r := range b.dir.remedies {
			if r.service == s && r.looksQuick() && !r.requiresChange && r.mayApply(b.v.Groups) && !b.dir.inRunbook(r.name) {
				b.do(engine.Action{Op: engine.OpApplyRemedy, Remedy: r.name, Record: b.tech.hand})
				b.tech.started = appendNew(b.tech.started, r.name)
				return
			}
		}
	}
}

// warRoom joins the war room of the incident's family; a novice opens a
// room of its own instead, the classic way to end up with three bridges.
func (b *Bot) warRoom() {
	inc := b.recs.Incident(b.tech.hand)
	if inc == nil || !b.dir.policy.Major(inc.Priority) {
		return
	}
	// The mistake needs a record without a room of its own: one whose
	// incident has a bridge already is joined like anyone would.
	if b.errs("own-room") && !slices.ContainsFunc(b.recs.WarRooms, func(w engine.WarRoom) bool { return w.Open() && w.Incident == inc.Number }) {
		if b.first("own-room") {
			b.do(engine.Action{Op: engine.OpOpenWarRoom, Record: inc.Number, Text: inc.Service + " bridge"})
		}
		return
	}
	b.joinRoom()
}

// joinRoom joins the family's bridge, unless the technician keeps to a
// room of its own.
func (b *Bot) joinRoom() {
	if b.tech.hand == "" || b.once["own-room"] {
		return
	}
	w := b.recs.OpenRoom(b.tech.hand)
	if w == nil || slices.Contains(b.tech.rooms, w.Number) || slices.ContainsFunc(w.Members, func(m engine.Member) bool { return m.Person == b.v.Name }) {
		return
	}
	b.tech.rooms = append(b.tech.rooms, w.Number)
	b.do(engine.Action{Op: engine.OpJoinWarRoom, Record: w.Number})
}

func (b *Bot) techRefused(a engine.Action, _ error) {
	switch a.Op {
	case engine.OpAcknowledge:
		b.tech.mine = slices.DeleteFunc(b.tech.mine, func(n string) bool { return n == a.Record })
	case engine.OpCreateIncident:
		b.tech.creating = false
	case engine.OpOpenWarRoom:
		// There is a room already: join it after all.
		if w := b.recs.OpenRoom(a.Record); w != nil && !slices.Contains(b.tech.rooms, w.Number) {
			b.tech.rooms = append(b.tech.rooms, w.Number)
			b.do(engine.Action{Op: engine.OpJoinWarRoom, Record: w.Number})
		}
	case engine.OpApplyRemedy:
		b.tech.started = slices.DeleteFunc(b.tech.started, func(r string) bool { return r == a.Remedy })
	case engine.OpRunRunbookStep:
		rm := b.dir.stepRemedy(a.Runbook, a.Step)
		b.tech.started = slices.DeleteFunc(b.tech.started, func(r string) bool { return r == rm })
	}
}
