package score

import (
	"cmp"
	"slices"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// response picks from the log who acted, the pages, the war rooms and the
// updates sent.
func (s *scorer) response() Response {
	sc, log := s.sc, s.log
	r := Response{Responders: []Responder{}, Pages: []PageRow{}, WarRooms: []WarRoom{}, Comms: []Comm{}}
	people := map[string]*Responder{}
	acted := func(e engine.Event, name string, role engine.Role) {
		if name == "" {
			return
		}
		p := people[name]
		if p == nil {
			p = &Responder{Name: name, Roles: []string{}, Groups: groupsOf(sc, name), First: e.At}
			people[name] = p
		}
		if role != "" && !slices.Contains(p.Roles, string(role)) {
			p.Roles = append(p.Roles, string(role))
		}
		p.Actions++
	}
	pages := map[string]int{} // page number → index in r.Pages
	rooms := map[string]int{} // war-room number → index in r.WarRooms
	for _, e := range log {
		switch e.Kind {
		case engine.KindAction:
			a, ok := as[engine.ActionData](e)
			if !ok || reflective(a.Action.Op) {
				continue
			}
			acted(e, e.Actor, a.Role)
			r.action(e, a, rooms)
		case engine.KindAnswered:
			if d, ok := as[engine.AnswerData](e); ok {
				acted(e, d.By, "")
			}
		case engine.KindPage:
			p, ok := as[engine.PageData](e)
			if !ok {
				continue
			}
			if _, seen := pages[p.Page]; !seen {
				pages[p.Page] = len(r.Pages)
				r.Pages = append(r.Pages, PageRow{Page: p.Page, At: e.At, Seq: e.Seq, Group: p.Group, Person: p.Person,
					From: p.From, Alert: p.Alert, Incident: p.Incident})
			}
		case engine.KindPageAcked:
			p, ok := as[engine.PageData](e)
			if !ok {
				continue
			}
			acted(e, e.Actor, "")
			if i, seen := pages[p.Page]; seen && !r.Pages[i].Acked {
				r.Pages[i].Acked, r.Pages[i].AckedAt, r.Pages[i].AckedBy = true, e.At, e.Actor
			}
		case engine.KindPageEscalated:
			r.Escalations++
			if p, ok := as[engine.PageData](e); ok {
				if i, seen := pages[p.Page]; seen {
					r.Pages[i].Escalations++
				}
			}
		case engine.KindVendor:
			if v, ok := as[engine.VendorData](e); ok {
				r.Comms = append(r.Comms, Comm{At: e.At, Seq: e.Seq, By: v.Vendor, Kind: "vendor_response", Text: v.Text})
			}
		}
	}
	for _, p := range people {
		slices.Sort(p.Roles)
		r.Responders = append(r.Responders, *p)
	}
	slices.SortFunc(r.Responders, func(a, b Responder) int {
		return cmp.Or(cmp.Compare(a.First, b.First), cmp.Compare(a.Name, b.Name))
	})
	return r
}

// action notes the war rooms and the updates an accepted action made.
func (r *Response) action(e engine.Event, a engine.ActionData, rooms map[string]int) {
	switch a.Action.Op {
	case engine.OpStatusUpdate:
		r.Comms = append(r.Comms, Comm{At: e.At, Seq: e.Seq, By: e.Actor, Kind: "status_update", Text: a.Action.Text})
	case engine.OpContactVendor:
		r.Comms = append(r.Comms, Comm{At: e.At, Seq: e.Seq, By: e.Actor, Kind: "vendor_contact", Text: a.Action.Vendor + ": " + a.Action.Text})
	}
	for _, rc := range a.Records {
		w := rc.WarRoom
		if w == nil {
			continue
		}
		members := []string{}
		for _, m := range w.Members {
			members = append(members, m.Person)
		}
		i, seen := rooms[w.Number]
		if !seen {
			rooms[w.Number] = len(r.WarRooms)
			r.WarRooms = append(r.WarRooms, WarRoom{Number: w.Number, Incident: w.Incident, OpenedBy: w.OpenedBy,
				At: w.Opened.At, Seq: e.Seq, DuplicateOf: rc.DuplicateOf, Members: members})
			continue
		}
		r.WarRooms[i].Members = members
	}
}

// groupsOf lists the groups a person is in, in scenario order.
func groupsOf(sc *scenario.Scenario, person string) []string {
	out := []string{}
	for _, g := range sc.Groups {
		if g != nil && slices.Contains(g.Members, person) {
			out = append(out, g.Name)
		}
	}
	return out
}
