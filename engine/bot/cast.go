package bot

import (
	"slices"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Names of the seats no person of the scenario holds. They belong to no
// group: the service desk, the incident manager and the command center work
// across groups.
const (
	ServiceDeskName     = "sd-bot"
	IncidentManagerName = "im-bot"
	CommandCenterName   = "cc-bot"
)

// Cast lists the seats bots fill for sc, in a fixed order: the service desk,
// the incident manager, the command center, then a technician for every
// group member, a group owner for every group owner and a service-level
// owner for every service owner, each person once per role, in the order
// the scenario declares them. A seat is left out when a human holds it: a
// human in one of the three cross-group roles takes that seat, and a human
// playing a person of the scenario takes all of that person's seats (one
// person, one player). Facilitators and observers hold no seat.
func Cast(sc *scenario.Scenario, humans []engine.Actor) []engine.Viewer {
	heldRole := map[incident.Role]bool{}
	heldName := map[string]bool{}
	for _, h := range humans {
		if h.Role == incident.RoleFacilitator || h.Role == incident.RoleObserver {
			continue
		}
		heldRole[h.Role] = true
		heldName[h.Name] = true
	}
	var out []engine.Viewer
	seat := func(v engine.Viewer) {
		if heldName[v.Name] || slices.ContainsFunc(out, func(o engine.Viewer) bool { return o.Name == v.Name && o.Role == v.Role }) {
			return
		}
		out = append(out, v)
	}
	for _, s := range []struct {
		name string
		role incident.Role
	}{
		{ServiceDeskName, incident.RoleServiceDesk},
		{IncidentManagerName, incident.RoleIncidentManager},
		{CommandCenterName, incident.RoleCommandCenter},
	} {
		if !heldRole[s.role] {
			seat(engine.Viewer{Name: s.name, Role: s.role})
		}
	}
	person := func(name string, role incident.Role) engine.Viewer {
		return engine.Viewer{Name: name, Role: role, Groups: groupNames(sc, name)}
	}
	for _, g := range sc.Groups {
		for _, m := range g.Members {
			seat(person(m, incident.RoleTechnician))
		}
	}
	for _, g := range sc.Groups {
		if g.Owner != "" {
			seat(person(g.Owner, incident.RoleGroupOwner))
		}
	}
	for _, s := range sc.Services {
		if o := sc.ServiceOwner(s); o != "" {
			seat(person(o, incident.RoleServiceOwner))
		}
	}
	return out
}

// groupNames lists the groups a person belongs to, in declaration order.
func groupNames(sc *scenario.Scenario, person string) []string {
	var out []string
	for _, g := range sc.GroupsOf(person) {
		out = append(out, g.Name)
	}
	return out
}
