package records

import (
	"slices"

	"github.com/firedrill/firedrill/engine"
)

// Queries over the state that the bots and the consoles share. Pointers
// point into the state: read them before the next Apply.

// Incident is the incident numbered number, or nil.
func (s *State) Incident(number string) *engine.Incident {
	if i, ok := search(s.Incidents, number, func(x engine.Incident) string { return x.Number }); ok {
		return &s.Incidents[i]
	}
	return nil
}

// Head is the incident that leads number's family: its parent, or itself.
func (s *State) Head(number string) string {
	if inc := s.Incident(number); inc != nil && inc.Parent != "" {
		return inc.Parent
	}
	return number
}

// Family lists the head of number's family and its children.
func (s *State) Family(number string) []string {
	h := s.Head(number)
	out := []string{h}
	if inc := s.Incident(h); inc != nil {
		out = append(out, inc.Children...)
	}
	return out
}

// OpenRoom is the earliest open war room of number's family, or nil.
func (s *State) OpenRoom(number string) *engine.WarRoom {
	fam := s.Family(number)
	for i := range s.WarRooms {
		if s.WarRooms[i].Open() && slices.Contains(fam, s.WarRooms[i].Incident) {
			return &s.WarRooms[i]
		}
	}
	return nil
}

// LiveOn is the earliest live incident (not a service request) about a
// service, or nil.
func (s *State) LiveOn(service string) *engine.Incident {
	for i := range s.Incidents {
		inc := &s.Incidents[i]
		if inc.Live() && inc.Class == engine.ClassIncident && inc.Service == service {
			return inc
		}
	}
	return nil
}

// ApprovedChange is an approved change for remedy in number's family, or
// nil.
func (s *State) ApprovedChange(number, remedy string) *engine.Change {
	fam := s.Family(number)
	for i := range s.Changes {
		c := &s.Changes[i]
		if c.Remedy == remedy && c.State == engine.ChangeApproved && slices.Contains(fam, c.Incident) {
			return c
		}
	}
	return nil
}

// ChangePending reports whether a change raised in number's family has not
// been carried out yet.
func (s *State) ChangePending(number string) bool {
	fam := s.Family(number)
	for _, c := range s.Changes {
		if slices.Contains(fam, c.Incident) && (c.State == engine.ChangeRequested || c.State == engine.ChangeApproved) {
			return true
		}
	}
	return false
}

// Page is the page numbered number, or nil.
func (s *State) Page(number string) *Page {
	if i, ok := search(s.Pages, number, pageNumber); ok {
		return &s.Pages[i]
	}
	return nil
}
