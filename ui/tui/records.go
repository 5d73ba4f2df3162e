package tui

import (
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

// page follows a page through its life: sent, escalated, acknowledged,
// silenced.
func (m *Model) page(e engine.Event, d engine.PageData) {
	m.names.groups.add(d.Group)
	m.names.person(d.Person)
	m.names.runbooks.add(d.Runbook)
	m.Truth.member(d.Person, d.Group)
	p := m.Pages[d.Page]
	if p == nil {
		p = &Page{At: e.At, State: "open"}
		m.Pages[d.Page] = p
	}
	p.PageData = d
	switch e.Kind {
	case engine.KindPage:
		m.add(e, linePage, "", pageText(d, m.You.Name))
	case engine.KindPageEscalated:
		p.State = "open"
		m.add(e, linePage, "", d.Page+" escalated to "+d.Person+" ("+d.Group+")"+forRecord(d.Incident))
	case engine.KindPageAcked:
		p.State, p.AckedBy = "acknowledged", e.Actor
		m.add(e, linePage, "", d.Page+" acknowledged by "+e.Actor)
	case engine.KindPageSilenced:
		p.State = "silenced"
		m.add(e, linePage, "", d.Page+" silenced by "+e.Actor+" until "+clockText(d.SilencedUntil))
	}
}

// MyOpenPages lists the pages to this seat nobody acknowledged, oldest
// first.
func (m *Model) MyOpenPages() []*Page {
	var out []*Page
	for _, p := range m.Pages {
		if p.Open() && p.Person == m.You.Name {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *Page) int { return strings.Compare(a.Page, b.Page) })
	return out
}

// action keeps the records an accepted action changed and shows it.
func (m *Model) action(e engine.Event, d engine.ActionData) {
	for _, rc := range d.Records {
		m.record(rc)
	}
	m.names.services.add(d.Action.Service)
	m.names.groups.add(d.Action.Group)
	m.names.remedies.add(d.Action.Remedy)
	m.names.runbooks.add(d.Action.Runbook)
	m.names.vendors.add(d.Action.Vendor)
	if d.Action.Op == engine.OpChat {
		return // chat shows as its own events
	}
	m.add(e, lineAction, "", actionText(e.Actor, d))
}

// record keeps the latest snapshot of a record; joining a war room adds
// its channel's tab.
func (m *Model) record(rc engine.RecordChange) {
	switch {
	case rc.Incident != nil:
		inc := *rc.Incident
		m.Incidents[inc.Number] = &inc
		m.names.services.add(inc.Service)
		m.names.groups.add(inc.Group)
		m.names.person(inc.Assignee)
		m.Truth.member(inc.Assignee, inc.Group)
	case rc.WarRoom != nil:
		w := *rc.WarRoom
		m.WarRooms[w.Number] = &w
		for _, mem := range w.Members {
			m.names.person(mem.Person)
			if mem.Person == m.You.Name && w.Open() {
				m.addChannel("warroom:" + w.Number)
			}
		}
	case rc.Task != nil:
		t := *rc.Task
		m.Tasks[t.Number] = &t
	case rc.Problem != nil:
		p := *rc.Problem
		m.Problems[p.Number] = &p
	case rc.Change != nil:
		c := *rc.Change
		m.Changes[c.Number] = &c
		m.names.remedies.add(c.Remedy)
	case rc.Alert != nil:
		a := *rc.Alert
		m.Alerts[a.Number] = &a
	}
}

// IncidentList returns the incidents for the pane: live ones by priority
// then number, then the ones that left the workflow.
func (m *Model) IncidentList() []*engine.Incident {
	out := make([]*engine.Incident, 0, len(m.Incidents))
	for _, inc := range m.Incidents {
		out = append(out, inc)
	}
	slices.SortFunc(out, func(a, b *engine.Incident) int {
		if a.Live() != b.Live() {
			if a.Live() {
				return -1
			}
			return 1
		}
		if pa, pb := prioRank(a.Priority), prioRank(b.Priority); pa != pb {
			return pa - pb
		}
		return strings.Compare(a.Number, b.Number)
	})
	return out
}

func prioRank(p engine.Priority) int {
	if p <= 0 {
		return 9
	}
	return int(p)
}

// WarRoomFor returns the open war room of an incident (or of its parent).
func (m *Model) WarRoomFor(number string) *engine.WarRoom {
	family := []string{number}
	if inc := m.Incidents[number]; inc != nil && inc.Parent != "" {
		family = append(family, inc.Parent)
	}
	var best *engine.WarRoom
	for _, w := range m.WarRooms {
		if w.Open() && slices.Contains(family, w.Incident) && (best == nil || w.Number < best.Number) {
			best = w
		}
	}
	return best
}
