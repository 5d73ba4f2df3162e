package server

import (
	"fmt"
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Seat is a place a person can take in an exercise: a person of the
// scenario (with every role that person holds) or one of the cross-group
// roles.
type Seat struct {
	Seat   string // what people type: "kim", "service-desk"
	Name   string
	Role   incident.Role // the main role
	Roles  []incident.Role
	Groups []string
}

// crossSeats are the roles no person of the scenario holds.
var crossSeats = []struct {
	Seat string
	role incident.Role
}{
	{"service-desk", incident.RoleServiceDesk},
	{"incident-manager", incident.RoleIncidentManager},
	{"command-center", incident.RoleCommandCenter},
}

// Seats lists every seat of sc: the cross-group roles, then its people.
func Seats(sc *scenario.Scenario) []Seat {
	var out []Seat
	for _, c := range crossSeats {
		out = append(out, Seat{Seat: c.Seat, Name: c.Seat, Role: c.role, Roles: []incident.Role{c.role}})
	}
	// One cast, grouped by person: the cast lists a person once per role.
	byPerson := map[string]*Seat{}
	for _, v := range bot.Cast(sc, nil) {
		st, ok := byPerson[v.Name]
		if !ok {
			st = &Seat{Seat: v.Name, Name: v.Name, Role: v.Role, Groups: v.Groups}
			byPerson[v.Name] = st
		}
		st.Roles = append(st.Roles, v.Role)
	}
	for _, person := range sc.People() {
		if st, ok := byPerson[person]; ok {
			out = append(out, *st)
		}
	}
	return out
}

// defaultHumans is the cast of a table-top run when nobody says otherwise:
// the three cross-group roles and the first member of every group; bots
// play the rest.
func defaultHumans(sc *scenario.Scenario) []string {
	names := []string{"service-desk", "incident-manager", "command-center"}
	for _, g := range sc.Groups {
		if len(g.Members) > 0 && !slices.Contains(names, g.Members[0]) {
			names = append(names, g.Members[0])
		}
	}
	return names
}

// pickSeats resolves the seats people asked for, refusing unknown ones with
// the list of seats there are.
func pickSeats(sc *scenario.Scenario, asked []string) ([]Seat, error) {
	if len(asked) == 0 {
		asked = defaultHumans(sc)
	}
	all := Seats(sc)
	var out []Seat
	for _, name := range asked {
		i := slices.IndexFunc(all, func(s Seat) bool { return s.Seat == name })
		if i < 0 {
			var names []string
			for _, s := range all {
				names = append(names, s.Seat)
			}
			return nil, &incident.Error{Code: incident.BadRequest, Reason: fmt.Sprintf("no seat %q in %s; seats: %s", name, sc.Name, strings.Join(names, ", "))}
		}
		if !slices.ContainsFunc(out, func(s Seat) bool { return s.Seat == name }) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// seatsByName indexes every seat of sc by its name.
func seatsByName(sc *scenario.Scenario) map[string]Seat {
	m := map[string]Seat{}
	for _, st := range Seats(sc) {
		m[st.Name] = st
	}
	return m
}

// seatIn is the seat a stored participant holds, from a seatsByName index.
func seatIn(seats map[string]Seat, name string, role incident.Role) Seat {
	switch role {
	case incident.RoleFacilitator, incident.RoleObserver:
		return Seat{Seat: name, Name: name, Role: role, Roles: []incident.Role{role}}
	}
	if st, ok := seats[name]; ok {
		return st
	}
	return Seat{Seat: name, Name: name, Role: role, Roles: []incident.Role{role}}
}
