package scenario

import (
	"slices"

	"github.com/firedrill/firedrill/engine"
)

// Who owns what, as the CMDB, the on-call tool and the runbook wiki say:
// the one home of these answers for the engine's permission checks, the
// bots' directory and the consoles. They assume a validated scenario.

// Policy is the incident process in force: the scenario's process block
// over the default, or the default for a scenario built by hand.
func (sc *Scenario) Policy() engine.Policy {
	if sc.Process.Matrix == nil {
		return engine.DefaultPolicy()
	}
	return sc.Process
}

// Seats lists every seat of the scenario: the cross-group seats, then each
// person once, with every role they hold (technician for a group member,
// group owner, service owner), in the order the scenario names people.
func (sc *Scenario) Seats() []engine.Seat {
	seats := engine.CrossSeats()
	roles := map[string][]engine.Role{}
	add := func(person string, r engine.Role) {
		if person != "" && !slices.Contains(roles[person], r) {
			roles[person] = append(roles[person], r)
		}
	}
	for _, g := range sc.Groups {
		for _, m := range g.Members {
			add(m, engine.RoleTechnician)
		}
	}
	for _, g := range sc.Groups {
		add(g.Owner, engine.RoleGroupOwner)
	}
	for _, s := range sc.Services {
		add(sc.ServiceOwner(s), engine.RoleServiceOwner)
	}
	for _, person := range sc.People() {
		if rs := roles[person]; len(rs) > 0 {
			seats = append(seats, engine.Seat{Name: person, Role: rs[0], Roles: rs, Groups: sc.GroupNamesOf(person)})
		}
	}
	return seats
}

// Seat finds a seat by name.
func (sc *Scenario) Seat(name string) (engine.Seat, bool) {
	for _, s := range sc.Seats() {
		if s.Name == name {
			return s, true
		}
	}
	return engine.Seat{}, false
}

// GroupNamesOf lists the names of the groups a person belongs to, in
// declaration order.
func (sc *Scenario) GroupNamesOf(person string) []string {
	var out []string
	for _, g := range sc.GroupsOf(person) {
		out = append(out, g.Name)
	}
	return out
}

// ServiceGroups is the group that owns a service, as a list.
func (sc *Scenario) ServiceGroups(name string) []string {
	if s := sc.Service(name); s != nil && s.Group.Name != "" {
		return []string{s.Group.Name}
	}
	return nil
}

// RemedyGroups lists the groups that carry a remedy out: its by list, else
// the group that owns its service.
func (sc *Scenario) RemedyGroups(name string) []string {
	r := sc.Remedy(name)
	if r == nil {
		return nil
	}
	if len(r.By) > 0 {
		out := make([]string, len(r.By))
		for i, g := range r.By {
			out[i] = g.Name
		}
		return out
	}
	return sc.ServiceGroups(r.Service.Name)
}

// RunbookGroups lists the groups that keep a runbook: its group and the
// group that owns its service, else the groups that carry out the remedies
// its steps apply.
func (sc *Scenario) RunbookGroups(name string) []string {
	rb := sc.Runbook(name)
	if rb == nil {
		return nil
	}
	var out []string
	add := func(gs ...string) {
		for _, g := range gs {
			if g != "" && !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	add(rb.Group.Name)
	add(sc.ServiceGroups(rb.Service.Name)...)
	if len(out) == 0 {
		for _, st := range rb.Steps {
			add(sc.RemedyGroups(st.Applies.Name)...)
		}
	}
	return out
}

// StepGroups lists the groups that may run a runbook step: those that carry
// out the remedy it applies, else those that keep the runbook.
func (sc *Scenario) StepGroups(runbook, step string) []string {
	if rb := sc.Runbook(runbook); rb != nil {
		for _, st := range rb.Steps {
			if st.Name == step && st.Applies.Name != "" {
				return sc.RemedyGroups(st.Applies.Name)
			}
		}
	}
	return sc.RunbookGroups(runbook)
}

// VendorGroups lists the groups whose services use a vendor: they hold the
// contract and read its change log.
func (sc *Scenario) VendorGroups(name string) []string {
	var out []string
	for _, s := range sc.Services {
		if s.Vendor.Name == name && s.Group.Name != "" && !slices.Contains(out, s.Group.Name) {
			out = append(out, s.Group.Name)
		}
	}
	return out
}
