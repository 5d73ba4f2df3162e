package server

import (
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/server/protocol"
)

// defaultHumans is the cast of a table-top run when nobody says otherwise:
// the three cross-group seats and the first member of every group; bots
// play the rest.
func defaultHumans(sc *scenario.Scenario) []string {
	var names []string
	for _, st := range engine.CrossSeats() {
		names = append(names, st.Name)
	}
	for _, g := range sc.Groups {
		if len(g.Members) > 0 && !slices.Contains(names, g.Members[0]) {
			names = append(names, g.Members[0])
		}
	}
	return names
}

// pickSeats resolves the seats people asked for, refusing unknown ones with
// the list of seats there are.
func pickSeats(sc *scenario.Scenario, asked []string) ([]engine.Seat, error) {
	if len(asked) == 0 {
		asked = defaultHumans(sc)
	}
	all := sc.Seats()
	var out []engine.Seat
	for _, name := range asked {
		i := slices.IndexFunc(all, func(s engine.Seat) bool { return s.Name == name })
		if i < 0 {
			var names []string
			for _, s := range all {
				names = append(names, s.Name)
			}
			return nil, engine.Refuse(engine.BadRequest, "", "", "no seat %q in %s; seats: %s", name, sc.Name, strings.Join(names, ", "))
		}
		if !slices.ContainsFunc(out, func(s engine.Seat) bool { return s.Name == name }) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// seatsByName indexes every seat of sc by its name.
func seatsByName(sc *scenario.Scenario) map[string]engine.Seat {
	m := map[string]engine.Seat{}
	for _, st := range sc.Seats() {
		m[st.Name] = st
	}
	return m
}

// seatIn is the seat a stored participant holds, from a seatsByName index:
// the facilitator and observers stand outside the scenario's seats.
func seatIn(seats map[string]engine.Seat, name string, role engine.Role) engine.Seat {
	if st, ok := seats[name]; ok && !role.OutsideFiction() {
		return st
	}
	return engine.Seat{Name: name, Role: role, Roles: []engine.Role{role}}
}

// you describes a participant to their console.
func you(st engine.Seat) protocol.You {
	return protocol.You{Name: st.Name, Role: st.Role, Roles: st.Roles, Groups: st.Groups,
		Facilitator: st.Role == engine.RoleFacilitator}
}
