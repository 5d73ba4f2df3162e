package engine

import (
	"slices"
	"time"
)

// Stamp is a virtual time that may not have happened yet.
type Stamp struct {
	At  time.Duration // offset from the start of the exercise
	Set bool
}

func StampAt(at time.Duration) Stamp { return Stamp{At: at, Set: true} }

// Classification says whether a record is an incident or a service request.
type Classification string

const (
	ClassIncident       Classification = "incident"
	ClassServiceRequest Classification = "service_request"
)

// Valid reports whether c is a known classification.
func (c Classification) Valid() bool { return c == ClassIncident || c == ClassServiceRequest }

// Note is a work note on a record.
type Note struct {
	At   time.Duration
	By   string
	Text string
}

// Milestone names a time a player may state for the record.
type Milestone string

const (
	MilestoneImpactStarted Milestone = "impact_started"
	MilestoneDetected      Milestone = "detected"
	MilestoneImpactEnded   Milestone = "impact_ended"
)

// Milestones lists every Milestone.
func Milestones() []Milestone {
	return []Milestone{MilestoneImpactStarted, MilestoneDetected, MilestoneImpactEnded}
}

// Statement is a time a player stated, kept apart from when they stated it
// and from ground truth, because the review scores the gaps.
type Statement struct {
	Claimed time.Duration // the time stated, as an offset from exercise start
	At      time.Duration // when the statement was made
	By      string
	Set     bool
}

// Incident is an incident or service-request record. The latest statement
// of each kind wins; the event log keeps the history.
type Incident struct {
	Number           string
	Class            Classification
	ShortDescription string
	Service          string // may be empty
	Caller           string
	OpenedBy         string
	Impact, Urgency  Level
	Priority         Priority // from Policy.Matrix
	PrioritisedBy    string
	State            State
	Group            string // assignment group
	Assignee         string // person

	// Parent is the parent's number for a child. Nesting is one level deep:
	// a parent has no parent, and a child is never a parent.
	Parent   string
	IsParent bool
	Children []string // live and closed children, in number order

	MergedInto    string // set when State is merged
	DeclineReason string // set when State is declined

	Notes          []Note
	Workaround     string
	RootCause      string
	BusinessImpact string
	ValidatedBy    string
	Reopened       int // times moved from restored back to in progress

	// Stamps hold the latest time each step happened; Closed is when the
	// record left the workflow (closed, declined or merged).
	Opened, Assigned, Acknowledged, Prioritised, Identified Stamp
	Mitigated, Restored, Validated, Closed                  Stamp

	StatedImpactStart, StatedDetected, StatedImpactEnd Statement

	Problems []string // linked problem numbers
	Changes  []string // change numbers raised for this incident
	Alert    string   // incident alert number, if one was raised
}

// Live reports whether the record is still in the workflow: not closed,
// declined or merged.
func (i Incident) Live() bool { return !i.State.Terminal() }

func (i *Incident) Clone() Incident {
	c := *i
	c.Children = slices.Clone(i.Children)
	c.Notes = slices.Clone(i.Notes)
	c.Problems = slices.Clone(i.Problems)
	c.Changes = slices.Clone(i.Changes)
	return c
}

// IncidentAlert is the command center's record of a P1/P2. There is at most
// one per incident; it closes when its incident leaves the workflow.
type IncidentAlert struct {
	Number   string
	Incident string
	Priority Priority // when raised
	RaisedBy string
	Raised   Stamp
	Closed   Stamp
}

// Open reports whether the alert is still open.
func (a IncidentAlert) Open() bool { return !a.Closed.Set }

// Member is a person in a war room and when they joined.
type Member struct {
	Person string
	At     time.Duration
}

// WarRoom is a bridge for an incident. It closes when its incident leaves
// the workflow, or when closed explicitly.
type WarRoom struct {
	Number   string
	Name     string
	Incident string
	OpenedBy string
	Opened   Stamp
	Closed   Stamp
	Members  []Member // in joining order
}

// Open reports whether the war room is still open.
func (w WarRoom) Open() bool { return !w.Closed.Set }

func (w *WarRoom) Clone() WarRoom {
	c := *w
	c.Members = slices.Clone(w.Members)
	return c
}

// TaskState is the state of an incident task.
type TaskState string

const (
	TaskOpen TaskState = "open"
	TaskDone TaskState = "done"
)

// Task is an incident task: work for one group under an incident.
type Task struct {
	Number   string
	Incident string
	Group    string
	Text     string
	State    TaskState
	OpenedBy string
	Opened   Stamp
	DoneBy   string
	Done     Stamp
}

// ProblemState is the state of a problem record.
type ProblemState string

const (
	ProblemNew           ProblemState = "new"
	ProblemRCA           ProblemState = "rca"
	ProblemKnownError    ProblemState = "known_error"
	ProblemFixInProgress ProblemState = "fix_in_progress"
	ProblemClosed        ProblemState = "closed"
)

// Problem is the record of an underlying cause of one or more incidents.
type Problem struct {
	Number           string
	ShortDescription string
	Incidents        []string // in linking order
	State            ProblemState
	RootCause        string
	Workaround       string
	OpenedBy         string
	Opened           Stamp
	Closed           Stamp
}

func (p *Problem) Clone() Problem {
	c := *p
	c.Incidents = slices.Clone(p.Incidents)
	return c
}

// ChangeState is the state of a change record.
type ChangeState string

const (
	ChangeRequested   ChangeState = "requested"
	ChangeApproved    ChangeState = "approved"
	ChangeImplemented ChangeState = "implemented"
	ChangeClosed      ChangeState = "closed"
)

// Change is a change record raised to carry out a remedy for an incident.
type Change struct {
	Number      string
	Incident    string
	Remedy      string // the scenario's remedy name
	Emergency   bool
	State       ChangeState
	RequestedBy string
	ApprovedBy  string
	Requested   Stamp
	Approved    Stamp
	Implemented Stamp
	Closed      Stamp
}
