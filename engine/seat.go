package engine

// Seat is a place a person, or a bot, takes in an exercise: a person of the
// scenario, with every role that person holds, or one of the cross-group
// seats no person of the scenario holds. Name is what people type and what
// the log shows as the actor: one spelling everywhere.
type Seat struct {
	Name   string   `json:"name"`
	Role   Role     `json:"role"` // the main role
	Roles  []Role   `json:"roles"`
	Groups []string `json:"groups,omitempty"`
}

// The cross-group seats: the service desk, the incident manager and the
// command center work across groups and are named after their role.
const (
	SeatServiceDesk     = "service-desk"
	SeatIncidentManager = "incident-manager"
	SeatCommandCenter   = "command-center"
	// SeatFacilitator and SeatObserver stand outside the fiction.
	SeatFacilitator = "facilitator"
	SeatObserver    = "observer"
)

// CrossSeats are the seats of the cross-group roles, in the order consoles
// list them.
func CrossSeats() []Seat {
	return []Seat{
		{Name: SeatServiceDesk, Role: RoleServiceDesk, Roles: []Role{RoleServiceDesk}},
		{Name: SeatIncidentManager, Role: RoleIncidentManager, Roles: []Role{RoleIncidentManager}},
		{Name: SeatCommandCenter, Role: RoleCommandCenter, Roles: []Role{RoleCommandCenter}},
	}
}

// Viewer is the seat as an audience sees it.
func (s Seat) Viewer() Viewer {
	return Viewer{Name: s.Name, Role: s.Role, Roles: s.Roles, Groups: s.Groups}
}

// Actor is the seat acting in role.
func (s Seat) Actor(role Role) Actor { return Actor{Name: s.Name, Role: role} }

// Holds reports whether the seat holds role; the facilitator holds all.
func (s Seat) Holds(role Role) bool {
	if s.Role == RoleFacilitator {
		return true
	}
	for _, r := range s.Roles {
		if r == role {
			return true
		}
	}
	return s.Role == role
}
