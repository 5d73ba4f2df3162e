package bot

import (
	"cmp"
	"slices"

	"github.com/firedrill/firedrill/engine"
)

// memory is what a participant knows of the ITSM records: the latest copy of
// every record an action it saw changed. The ITSM tool shows record changes
// to everyone, so every bot's memory is much the same.
type memory struct {
	incidents []engine.Incident
	rooms     []engine.WarRoom
	changes   []engine.Change
	problems  []engine.Problem
	alerts    []engine.IncidentAlert
}

// learn folds the records an action changed into memory.
func (m *memory) learn(d engine.ActionData) {
	for _, rc := range d.Records {
		switch {
		case rc.Incident != nil:
			m.incidents = upsert(m.incidents, *rc.Incident, func(i engine.Incident) string { return i.Number })
		case rc.WarRoom != nil:
			m.rooms = upsert(m.rooms, *rc.WarRoom, func(w engine.WarRoom) string { return w.Number })
		case rc.Change != nil:
			m.changes = upsert(m.changes, *rc.Change, func(c engine.Change) string { return c.Number })
		case rc.Problem != nil:
			m.problems = upsert(m.problems, *rc.Problem, func(p engine.Problem) string { return p.Number })
		case rc.Alert != nil:
			m.alerts = upsert(m.alerts, *rc.Alert, func(a engine.IncidentAlert) string { return a.Number })
		}
	}
	// A closed incident retires its open war rooms and alert; the action
	// reports only the incidents, so close them here too.
	for _, rc := range d.Records {
		if inc := rc.Incident; inc != nil && !inc.Live() {
			for i := range m.rooms {
				if m.rooms[i].Incident == inc.Number && m.rooms[i].Open() {
					m.rooms[i].Closed = inc.Closed
				}
			}
		}
	}
}

// upsert replaces the record with the same number or inserts it in number
// order (numbers are zero-padded, so they sort as strings within a kind).
func upsert[T any](list []T, x T, number func(T) string) []T {
	n := number(x)
	i, found := slices.BinarySearchFunc(list, n, func(e T, n string) int {
		return cmp.Or(cmp.Compare(len(number(e)), len(n)), cmp.Compare(number(e), n))
	})
	if found {
		list[i] = x
		return list
	}
	return slices.Insert(list, i, x)
}

func (m *memory) incident(number string) *engine.Incident {
	for i := range m.incidents {
		if m.incidents[i].Number == number {
			return &m.incidents[i]
		}
	}
	return nil
}

// head is the incident that leads n's family: its parent, or n itself.
func (m *memory) head(number string) string {
	if inc := m.incident(number); inc != nil && inc.Parent != "" {
		return inc.Parent
	}
	return number
}

// family lists the head of n's family and its children.
func (m *memory) family(number string) []string {
	h := m.head(number)
	out := []string{h}
	if inc := m.incident(h); inc != nil {
		out = append(out, inc.Children...)
	}
	return out
}

// openRoom is an open war room of n's family, the earliest first.
func (m *memory) openRoom(number string) *engine.WarRoom {
	fam := m.family(number)
	for i := range m.rooms {
		if m.rooms[i].Open() && slices.Contains(fam, m.rooms[i].Incident) {
			return &m.rooms[i]
		}
	}
	return nil
}

// liveOn is the earliest live incident (not a service request) about a
// service.
func (m *memory) liveOn(service string) *engine.Incident {
	for i := range m.incidents {
		inc := &m.incidents[i]
		if inc.Live() && inc.Class == engine.ClassIncident && inc.Service == service {
			return inc
		}
	}
	return nil
}

// approvedChange is an approved change for remedy in n's family.
func (m *memory) approvedChange(number, remedy string) *engine.Change {
	fam := m.family(number)
	for i := range m.changes {
		c := &m.changes[i]
		if c.Remedy == remedy && c.State == engine.ChangeApproved && slices.Contains(fam, c.Incident) {
			return c
		}
	}
	return nil
}

// changePending reports whether a change raised in number's family has not
// been carried out yet: the incident stays open until its fix is in.
func (m *memory) changePending(number string) bool {
	fam := m.family(number)
	for _, c := range m.changes {
		if slices.Contains(fam, c.Incident) && (c.State == engine.ChangeRequested || c.State == engine.ChangeApproved) {
			return true
		}
	}
	return false
}
