package incident

import "time"

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
var Roles = []Role{
	RoleCaller, RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter,
	RoleGroupOwner, RoleServiceOwner, RoleFacilitator, RoleObserver,
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// Priority is an incident priority, 1 (critical) to 4 (low).
type Priority int

// High reports whether p is P1 or P2, the priorities the command center runs.
func (p Priority) High() bool { return p == 1 || p == 2 }

// Level is an impact or urgency level.
type Level string

const (
	High   Level = "high"
	Medium Level = "medium"
	Low    Level = "low"
)

// Levels lists impact and urgency levels from highest.
var Levels = []Level{High, Medium, Low}

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return l == High || l == Medium || l == Low }

// Policy is the incident process in force: DESIGN.md's default, with a
// scenario's overrides applied.
type Policy struct {
	// Matrix maps impact, then urgency, to a priority.
	Matrix map[Level]map[Level]Priority
	// WarRoomFor, CommandCenterFor, ValidationFor and ProblemFor list the
	// priorities that need a war room, the command center, owner validation
	// with a business-impact statement before closing, and a problem record.
	WarRoomFor       []Priority
	CommandCenterFor []Priority
	ValidationFor    []Priority
	ProblemFor       []Priority
	// ProblemForP2When lists what makes a P2 need a problem record too.
	ProblemForP2When []ProblemReason
	// StatusEvery is the cadence of stakeholder updates for P1/P2.
	StatusEvery time.Duration
}

// ProblemReason is a circumstance that makes a P2 need a problem record.
type ProblemReason string

const (
	CausedByChange  ProblemReason = "change"
	CriticalService ProblemReason = "critical"
	CausedDowntime  ProblemReason = "downtime"
)

// ProblemReasons lists every ProblemReason.
var ProblemReasons = []ProblemReason{CausedByChange, CriticalService, CausedDowntime}

// DefaultPolicy returns DESIGN.md's default incident process.
func DefaultPolicy() Policy {
	return Policy{
		Matrix: map[Level]map[Level]Priority{
			High:   {High: 1, Medium: 2, Low: 3},
			Medium: {High: 2, Medium: 3, Low: 4},
			Low:    {High: 3, Medium: 4, Low: 4},
		},
		WarRoomFor:       []Priority{1, 2},
		CommandCenterFor: []Priority{1, 2},
		ValidationFor:    []Priority{1, 2},
		ProblemFor:       []Priority{1},
		ProblemForP2When: []ProblemReason{CausedByChange, CriticalService, CausedDowntime},
		StatusEvery:      30 * time.Minute,
	}
}

// Priority looks up impact × urgency in the matrix; an unknown pair is P4.
func (p Policy) Priority(impact, urgency Level) Priority {
	if pr, ok := p.Matrix[impact][urgency]; ok {
		return pr
	}
	return 4
}

func has(list []Priority, p Priority) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}

// NeedsWarRoom, NeedsCommandCenter and NeedsValidation report the policy for
// priority p.
func (p Policy) NeedsWarRoom(pr Priority) bool       { return has(p.WarRoomFor, pr) }
func (p Policy) NeedsCommandCenter(pr Priority) bool { return has(p.CommandCenterFor, pr) }
func (p Policy) NeedsValidation(pr Priority) bool    { return has(p.ValidationFor, pr) }

// NeedsProblem reports whether an incident of priority pr needs a problem
// record, given the circumstances that apply to it.
func (p Policy) NeedsProblem(pr Priority, why ...ProblemReason) bool {
	if has(p.ProblemFor, pr) {
		return true
	}
	if pr != 2 {
		return false
	}
	for _, w := range why {
		for _, r := range p.ProblemForP2When {
			if w == r {
				return true
			}
		}
	}
	return false
}
