package engine

import (
	"slices"
	"strings"
)

// Role is a part a participant plays. Facilitator and observer stand outside
// the fiction.
type Role string

const (
	RoleCaller          Role = "caller"
	RoleServiceDesk     Role = "service_desk"
	RoleIncidentManager Role = "incident_manager"
	RoleTechnician      Role = "technician"
	RoleCommandCenter   Role = "command_center"
	RoleGroupOwner      Role = "group_owner"
	RoleServiceOwner    Role = "service_owner"
	RoleFacilitator     Role = "facilitator"
	RoleObserver        Role = "observer"
)

// Roles lists every role in the order consoles show them.
func Roles() []Role {
	return []Role{
		RoleCaller, RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter,
		RoleGroupOwner, RoleServiceOwner, RoleFacilitator, RoleObserver,
	}
}

// inFiction is every role inside the story: they all talk, reflect and
// answer what is asked of them.
func inFiction() []Role {
	return []Role{
		RoleCaller, RoleServiceDesk, RoleIncidentManager, RoleTechnician,
		RoleCommandCenter, RoleGroupOwner, RoleServiceOwner,
	}
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// OutsideFiction reports whether r stands outside the story: the
// facilitator runs it, an observer watches it.
func (r Role) OutsideFiction() bool { return r == RoleFacilitator || r == RoleObserver }

// Title is the role as a person reads it: "service desk analyst".
func (r Role) Title() string {
	switch r {
	case RoleServiceDesk:
		return "service desk analyst"
	case RoleCommandCenter:
		return "command center"
	case RoleGroupOwner:
		return "assignment-group owner"
	}
	return strings.ReplaceAll(string(r), "_", " ")
}

func (r Role) article() string {
	t := r.Title()
	switch {
	case r == RoleCommandCenter:
		return "the " + t
	case t != "" && strings.IndexAny(t[:1], "aeiou") == 0:
		return "an " + t
	}
	return "a " + t
}
