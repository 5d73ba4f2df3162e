package exercise

import (
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine/records"
)

// Records is the exercise's own state of its records, in the shape the one
// fold of the log gives (engine/records): folding the log must give exactly
// this (the property test beside it), so what the log says and what the
// exercise holds can never drift apart.
func (x *Exercise) Records() *records.State {
	s := &records.State{
		Incidents: x.book.Incidents(),
		Alerts:    x.book.Alerts(),
		WarRooms:  x.book.WarRooms(),
		Tasks:     x.book.Tasks(),
		Problems:  x.book.Problems(),
		Changes:   x.book.Changes(),
	}
	for _, p := range x.pages.byID {
		rp := records.Page{PageData: p.data(), Sent: p.sent, Resolved: p.resolved}
		if p.acked {
			rp.AckedBy = p.ackedBy
		}
		s.Pages = append(s.Pages, rp)
	}
	slices.SortFunc(s.Pages, func(a, b records.Page) int { return records.ByNumber(a.Page, b.Page) })
	for _, a := range x.world.Alerts() {
		if !a.Fired {
			continue
		}
		m := records.Monitor{Alert: a.Name, Service: x.sc.Alert(a.Name).Service.Name, Firing: a.Firing}
		if id, ok := x.pages.firing[a.Name]; ok {
			m.Page = id
		}
		s.Monitors = append(s.Monitors, m)
	}
	slices.SortFunc(s.Monitors, func(a, b records.Monitor) int { return strings.Compare(a.Alert, b.Alert) })
	return s
}
