package engine

import "slices"

// Audience says who may see an event (ARCHITECTURE.md invariant 4). An event with
// no audience at all reaches facilitators only.
type Audience struct {
	Everyone bool     `json:"everyone,omitempty"`
	Groups   []string `json:"groups,omitempty"`
	Roles    []Role   `json:"roles,omitempty"`
	People   []string `json:"people,omitempty"`
}

// Facilitators is the audience of ground truth.
func Facilitators() Audience { return Audience{} }

// Everyone is the audience of what all participants see.
func Everyone() Audience { return Audience{Everyone: true} }

// ToPerson, ToGroup and ToRole address one person, group or role.
func ToPerson(name string) Audience { return Audience{People: []string{name}} }
func ToGroup(name string) Audience  { return Audience{Groups: []string{name}} }
func ToRole(role Role) Audience     { return Audience{Roles: []Role{role}} }

// Viewer is someone an audience may include.
type Viewer struct {
	Name string
	// Role is the main role; a facilitator sees everything, an observer
	// everything a player may see.
	Role Role
	// Roles are the other roles the person holds: a technician who also
	// owns a service hears what is addressed to service owners.
	Roles  []Role
	Groups []string
}

// holds reports whether v holds role, as the main role or another.
func (v Viewer) holds(role Role) bool {
	return v.Role == role || slices.Contains(v.Roles, role)
}

// Sees reports whether v is in the audience a. Facilitators and observers
// are in every audience but the facilitators' own (ground truth); what each
// receives of an event is Event.For's to say.
func (a Audience) Sees(v Viewer) bool {
	if v.Role == RoleFacilitator {
		return true
	}
	if v.Role == RoleObserver {
		return a.Everyone || len(a.Groups)+len(a.Roles)+len(a.People) > 0
	}
	if a.Everyone || slices.Contains(a.People, v.Name) {
		return true
	}
	for _, r := range a.Roles {
		if v.holds(r) {
			return true
		}
	}
	for _, g := range v.Groups {
		if slices.Contains(a.Groups, g) {
			return true
		}
	}
	return false
}
