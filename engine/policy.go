package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Priority is an incident priority, 1 (critical) to 4 (low).
type Priority int

// Level is an impact or urgency level.
type Level string

const (
	LevelHigh   Level = "high"
	LevelMedium Level = "medium"
	LevelLow    Level = "low"
)

// Levels lists impact and urgency levels from highest.
func Levels() []Level { return []Level{LevelHigh, LevelMedium, LevelLow} }

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return slices.Contains(Levels(), l) }

// Policy is the incident process in force: ARCHITECTURE.md's default, with a
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
func ProblemReasons() []ProblemReason {
	return []ProblemReason{CausedByChange, CriticalService, CausedDowntime}
}

// DefaultPolicy returns the default incident process (ARCHITECTURE.md).
func DefaultPolicy() Policy {
	return Policy{
		Matrix: map[Level]map[Level]Priority{
			LevelHigh:   {LevelHigh: 1, LevelMedium: 2, LevelLow: 3},
			LevelMedium: {LevelHigh: 2, LevelMedium: 3, LevelLow: 4},
			LevelLow:    {LevelHigh: 3, LevelMedium: 4, LevelLow: 4},
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

func has(list []Priority, p Priority) bool { return slices.Contains(list, p) }

// Major reports whether incidents of priority pr are major incidents: the
// priorities the command center runs (P1 and P2 by default). It is the one
// answer to "is this a high priority?" everywhere.
func (p Policy) Major(pr Priority) bool { return p.NeedsCommandCenter(pr) }

// Majors names the major priorities for a sentence: "P1 and P2".
func (p Policy) Majors() string { return priorityList(p.CommandCenterFor) }

func priorityList(list []Priority) string {
	if len(list) == 0 {
		return "no priority"
	}
	s := make([]string, len(list))
	for i, pr := range list {
		s[i] = fmt.Sprintf("P%d", pr)
	}
	return strings.Join(s, " and ")
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
