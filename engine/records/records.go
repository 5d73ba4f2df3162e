// Package records is the one fold of an exercise's event log into the state
// of its records: incidents, incident alerts, war rooms, tasks, problems,
// changes, pages and the monitoring alerts firing. The scorer, the bots and
// the consoles all read the records through it, so they cannot disagree
// about what a record says.
//
// Folding a whole log (Fold) rebuilds exactly what the exercise holds at
// the end of it (engine/exercise's Records, and the property test beside
// it); folding what one seat received (FoldFor, or Apply on the events a
// console or a bot is shown) gives that seat's view, which is the whole
// state for everything the ITSM tool shows everyone and less for pages and
// alerts sent to others.
package records

import (
	"cmp"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// State is the records as the events folded so far tell them. Lists are in
// number order (pages by page number, monitors by alert name).
type State struct {
	Incidents []engine.Incident
	Alerts    []engine.IncidentAlert
	WarRooms  []engine.WarRoom
	Tasks     []engine.Task
	Problems  []engine.Problem
	Changes   []engine.Change
	Pages     []Page
	// Monitors are the monitoring alert rules that have fired, by name.
	Monitors []Monitor
}

// Page is a page to a person and where it stands.
type Page struct {
	engine.PageData
	// Sent is when the page first went out.
	Sent time.Duration
	// AckedBy is who acknowledged it; empty while it is open.
	AckedBy string
	// Resolved: its alert stopped firing, so it escalates no further.
	Resolved bool
}

// Open reports whether nobody has acknowledged the page yet.
func (p Page) Open() bool { return p.AckedBy == "" }

// Monitor is a monitoring alert rule that has fired at least once.
type Monitor struct {
	Alert   string
	Service string
	Firing  bool
	// Page is the page its latest firing sent, if it pages a rotation.
	Page string
}

// Fold folds a whole log: the state the exercise holds at its end.
func Fold(log []engine.Event) *State {
	s := &State{}
	for _, e := range log {
		s.Apply(e)
	}
	return s
}

// FoldFor folds what viewer v receives of log (engine.Event.For): the
// records as that seat sees them.
func FoldFor(log []engine.Event, v engine.Viewer, acc engine.Access) *State {
	s := &State{}
	for _, e := range log {
		if mine, ok := e.For(v, acc); ok {
			s.Apply(mine)
		}
	}
	return s
}

// Apply folds one event in. Events must come in log order; kinds that
// change no record are ignored.
func (s *State) Apply(e engine.Event) {
	switch d := e.Data.(type) {
	case engine.ActionData:
		for _, rc := range d.Records {
			s.record(rc)
		}
	case engine.PageData:
		s.page(e, d)
	case engine.AlertData:
		s.monitor(e, d)
	}
}

// record keeps the latest snapshot of a record an action changed.
// record keeps a record as the event carries it. Events are never changed
// once logged, and nothing changes a fold's records in place, so the fold
// shares the event's slices instead of copying them for every seat.
func (s *State) record(rc engine.RecordChange) {
	switch {
	case rc.Incident != nil:
		s.Incidents = upsert(s.Incidents, *rc.Incident, func(x engine.Incident) string { return x.Number })
	case rc.Alert != nil:
		s.Alerts = upsert(s.Alerts, *rc.Alert, func(x engine.IncidentAlert) string { return x.Number })
	case rc.WarRoom != nil:
		s.WarRooms = upsert(s.WarRooms, *rc.WarRoom, func(x engine.WarRoom) string { return x.Number })
	case rc.Task != nil:
		s.Tasks = upsert(s.Tasks, *rc.Task, func(x engine.Task) string { return x.Number })
	case rc.Problem != nil:
		s.Problems = upsert(s.Problems, *rc.Problem, func(x engine.Problem) string { return x.Number })
	case rc.Change != nil:
		s.Changes = upsert(s.Changes, *rc.Change, func(x engine.Change) string { return x.Number })
	}
}

func (s *State) page(e engine.Event, d engine.PageData) {
	i, found := search(s.Pages, d.Page, pageNumber)
	if !found {
		// A seat shown only a later step of a page (an escalation that
		// reached it) learns of the page there.
		s.Pages = slices.Insert(s.Pages, i, Page{PageData: d, Sent: e.At})
		if e.Kind == engine.KindPage && d.Alert != "" {
			if j, ok := searchName(s.Monitors, d.Alert); ok {
				s.Monitors[j].Page = d.Page
			}
		}
	}
	p := &s.Pages[i]
	p.PageData = d
	if e.Kind == engine.KindPageAcked {
		p.AckedBy = e.Actor
	}
}

func pageNumber(p Page) string { return p.PageData.Page }

func (s *State) monitor(e engine.Event, d engine.AlertData) {
	i, found := searchName(s.Monitors, d.Alert)
	if !found {
		s.Monitors = slices.Insert(s.Monitors, i, Monitor{Alert: d.Alert, Service: d.Service})
	}
	m := &s.Monitors[i]
	switch e.Kind {
	case engine.KindAlertFired:
		m.Firing, m.Page = true, ""
	case engine.KindAlertResolved:
		m.Firing = false
		// Escalation runs only while an alert fires unacknowledged.
		if j, found := search(s.Pages, m.Page, pageNumber); found {
			s.Pages[j].Resolved = true
		}
		m.Page = ""
	}
}

// ByNumber orders record numbers: by length, then as text, so INC10000
// follows INC9999 (numbers are zero-padded to a common width below that).
func ByNumber(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b)) }

func searchName(ms []Monitor, alert string) (int, bool) {
	return slices.BinarySearchFunc(ms, alert, func(m Monitor, a string) int { return cmp.Compare(m.Alert, a) })
}

func search[T any](list []T, n string, number func(T) string) (int, bool) {
	return slices.BinarySearchFunc(list, n, func(x T, n string) int { return ByNumber(number(x), n) })
}

// upsert replaces the record with x's number or inserts x in number order.
func upsert[T any](list []T, x T, number func(T) string) []T {
	i, found := search(list, number(x), number)
	if found {
		list[i] = x
		return list
	}
	return slices.Insert(list, i, x)
}
