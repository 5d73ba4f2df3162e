package tui

import (
	"slices"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/records"
)

// page shows a page's news; the fold keeps where it stands.
func (m *Model) page(e engine.Event, d engine.PageData) {
	m.names.groups.add(d.Group)
	m.names.person(d.Person)
	m.names.runbooks.add(d.Runbook)
	m.Truth.member(d.Person, d.Group)
	switch e.Kind {
	case engine.KindPage:
		m.add(e, linePage, "", pageText(d, m.You.Name))
	case engine.KindPageEscalated:
		m.add(e, linePage, "", d.Page+" escalated to "+d.Person+" ("+d.Group+")"+forRecord(d.Incident))
	case engine.KindPageAcked:
		m.add(e, linePage, "", d.Page+" acknowledged by "+e.Actor)
	case engine.KindPageSilenced:
		m.add(e, linePage, "", d.Page+" silenced by "+e.Actor+" until "+clockText(d.SilencedUntil))
	case engine.KindPageAttached:
		m.add(e, linePage, "", d.Page+" attached to "+d.Incident+" by "+e.Actor)
	}
}

// MyOpenPages lists the pages to this seat nobody acknowledged, oldest
// first.
func (m *Model) MyOpenPages() []*records.Page {
	var out []*records.Page
	for i := range m.Records.Pages {
		if p := &m.Records.Pages[i]; p.Open() && p.Person == m.You.Name {
			out = append(out, p)
		}
	}
	return out
}

// action shows an accepted action; the fold keeps the records it changed.
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

// record learns the names a changed record mentions; joining a war room
// adds its channel's tab.
func (m *Model) record(rc engine.RecordChange) {
	switch {
	case rc.Incident != nil:
		inc := rc.Incident
		m.names.services.add(inc.Service)
		m.names.groups.add(inc.Group)
		m.names.person(inc.Assignee)
		m.Truth.member(inc.Assignee, inc.Group)
	case rc.WarRoom != nil:
		w := rc.WarRoom
		for _, mem := range w.Members {
			m.names.person(mem.Person)
			if mem.Person == m.You.Name && w.Open() {
				m.addChannel("warroom:" + w.Number)
			}
		}
	case rc.Change != nil:
		m.names.remedies.add(rc.Change.Remedy)
	}
}

// IncidentList returns the incidents for the pane: live ones by priority
// then number, then the ones that left the workflow.
func (m *Model) IncidentList() []*engine.Incident {
	out := make([]*engine.Incident, 0, len(m.Records.Incidents))
	for i := range m.Records.Incidents {
		out = append(out, &m.Records.Incidents[i])
	}
	slices.SortStableFunc(out, func(a, b *engine.Incident) int {
		if a.Live() != b.Live() {
			if a.Live() {
				return -1
			}
			return 1
		}
		return prioRank(a.Priority) - prioRank(b.Priority)
	})
	return out
}

func prioRank(p engine.Priority) int {
	if p <= 0 {
		return 9
	}
	return int(p)
}

// WarRoomFor returns the open war room of an incident's family.
func (m *Model) WarRoomFor(number string) *engine.WarRoom { return m.Records.OpenRoom(number) }
