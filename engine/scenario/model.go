// Package scenario turns firedrill's HCL scenario files into a typed,
// validated model. Every problem in a file is reported as an hcl.Diagnostic
// with a source range; expressions whose value depends on the running
// exercise (inject and expectation conditions) are kept un-evaluated.
//
// The language is described in LANGUAGE.md beside this file.
package scenario

import (
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/hashicorp/hcl/v2"
)

// Scenario is one decoded and validated scenario file.
type Scenario struct {
	Name       string
	Title      string
	Summary    string
	Tags       []string
	Objectives []string
	Duration   time.Duration
	Difficulty string // intro, intermediate or advanced
	Seed       uint64
	HasSeed    bool
	// StartClock is the time of day in the fiction when the exercise starts
	// (minutes after midnight). Players state times as "14:02"; the engine
	// converts them with it.
	StartClock time.Duration
	// Discussion marks a discussion-based tabletop: no telemetry, the story is
	// carried by injects and decisions.
	Discussion bool

	Groups    []*Group
	Rotations []*Rotation
	Vendors   []*Vendor
	Services  []*Service
	Alerts    []*Alert
	Runbooks  []*Runbook
	Knowledge []*Knowledge
	Faults    []*Fault
	// Hypotheses are the causes a responder may name: the scenario's
	// hypothesis blocks, then one implied per root-cause fault that none
	// of them names (Implied), after loading.
	Hypotheses []*Hypothesis
	Remedies   []*Remedy
	Injects    []*Inject
	Decisions  []*Decision
	Expects    []*Expect
	Target     Target
	Process    engine.Policy

	DefRange hcl.Range
	// Source is the file's text, for quoting conditions back to people.
	Source []byte

	index map[Kind]map[string]int
}

// SourceText returns the text of the file within rng, such as a condition
// as it was written.
func (sc *Scenario) SourceText(rng hcl.Range) string {
	if rng.Start.Byte < 0 || rng.End.Byte > len(sc.Source) || rng.Start.Byte > rng.End.Byte {
		return ""
	}
	return string(rng.SliceBytes(sc.Source))
}

// Kind names a kind of block that other blocks can refer to, as in
// "service.claims-api". It is also the reference's root name.
type Kind string

const (
	KindGroup     Kind = "group"
	KindPerson    Kind = "person"
	KindRole      Kind = "role"
	KindRotation  Kind = "rotation"
	KindVendor    Kind = "vendor"
	KindService   Kind = "service"
	KindAlert     Kind = "alert"
	KindRunbook   Kind = "runbook"
	KindKnowledge Kind = "knowledge"
	KindFault     Kind = "fault"
	KindRemedy    Kind = "remedy"
	KindInject    Kind = "inject"
	KindDecision  Kind = "decision"
	KindExpect    Kind = "expect"
	// KindHypothesis names a cause a responder may claim; never referred
	// to from another block, it is a kind so its names are checked.
	KindHypothesis Kind = "hypothesis"
)

// Ref is a reference written as kind.name, kept with its source range so a
// dangling one can be reported where it was written.
type Ref struct {
	Kind  Kind
	Name  string
	Range hcl.Range
}

func (r Ref) String() string {
	if r.Name == "" {
		return ""
	}
	return string(r.Kind) + "." + r.Name
}

// Group is an assignment group: the team a record or a page is assigned to.
type Group struct {
	Name        string
	Title       string
	Members     []string
	Owner       string
	Description string
	DefRange    hcl.Range
}

// Rotation is an on-call rotation of a group.
type Rotation struct {
	Name    string
	Group   Ref
	Members []string // in rotation order; the group's members when not given
	Shift   time.Duration
	// EscalateAfter is how long a page may go unacknowledged before it moves
	// to the next member, and finally to EscalateTo.
	EscalateAfter time.Duration
	EscalateTo    string // a person; the group's owner when not given
	// MembersRange and EscalateToRange locate the people named, for errors.
	MembersRange    hcl.Range
	EscalateToRange hcl.Range
	DefRange        hcl.Range
}

// Vendor is an external supplier with a helpdesk the players can contact.
type Vendor struct {
	Name     string
	Title    string
	Helpdesk string
	Portal   string
	SLA      time.Duration // time to first response promised by contract
	// RespondsAfter is how long the simulated helpdesk takes to answer.
	RespondsAfter time.Duration
	Response      string // what the helpdesk says once it answers
	Changes       []*VendorChange
	DefRange      hcl.Range
}

// VendorChange is a recent change a vendor made, visible in its change log.
type VendorChange struct {
	Name     string
	At       time.Duration // relative to exercise start; usually negative
	Note     string
	DefRange hcl.Range
}

// Service is a simulated service in the estate.
type Service struct {
	Name        string
	Title       string
	Group       Ref
	Vendor      Ref    // empty when the service is in-house
	Owner       string // the service-level owner; the group's owner when not given
	OwnerRange  hcl.Range
	Critical    bool // a critical business application
	RPS         float64
	ErrorRate   float64 // baseline fraction of failed requests
	LatencyMS   float64 // baseline latency
	SLO         float64 // availability objective, e.g. 0.999
	DependsOn   []Dependency
	Description string
	DefRange    hcl.Range
}

// Dependency says how much of a dependency's failure reaches a service.
type Dependency struct {
	Service Ref
	Weight  float64 // 0..1
}

// Metric is a telemetry series a service emits.
type Metric string

const (
	MetricErrorRate  Metric = "error_rate"
	MetricLatencyMS  Metric = "latency_ms"
	MetricRPS        Metric = "rps"
	MetricSaturation Metric = "saturation"
)

// Metrics lists the telemetry series every service has.
func Metrics() []Metric {
	return []Metric{MetricErrorRate, MetricLatencyMS, MetricRPS, MetricSaturation}
}

// Comparison is the operator of an alert condition.
type Comparison string

const (
	Above     Comparison = ">"
	AtOrAbove Comparison = ">="
	Below     Comparison = "<"
	AtOrBelow Comparison = "<="
)

// Holds reports whether value passes the comparison against threshold.
func (c Comparison) Holds(value, threshold float64) bool {
	switch c {
	case Above:
		return value > threshold
	case AtOrAbove:
		return value >= threshold
	case Below:
		return value < threshold
	case AtOrBelow:
		return value <= threshold
	}
	return false
}

// Alert is a monitoring rule: it fires when Metric compared with Threshold
// has held for For, and pages Page.
type Alert struct {
	Name        string
	Service     Ref
	Metric      Metric
	Op          Comparison
	Threshold   float64
	For         time.Duration
	Page        Ref // a rotation; empty means the alert only shows on dashboards
	Severity    string
	Description string
	DefRange    hcl.Range
}

// Runbook is an ordered procedure.
type Runbook struct {
	Name     string
	Title    string
	Service  Ref // optional
	Group    Ref // optional: who keeps it
	Steps    []*RunbookStep
	DefRange hcl.Range
}

// RunbookStep is one step; running it may reveal a clue or apply a remedy.
type RunbookStep struct {
	Name     string
	Text     string
	Reveals  string
	Applies  Ref // a remedy
	Takes    time.Duration
	DefRange hcl.Range
}

// Knowledge is a knowledge article (KB) the service desk can search.
type Knowledge struct {
	Name       string
	Title      string
	Text       string
	Workaround string
	AppliesTo  []Ref // services
	Keywords   []string
	// EscalateTo are the groups the article says to bring in at once
	// ("engage the Information Security Office").
	EscalateTo []Ref
	DefRange   hcl.Range
}

// Fault is something going wrong in a service.
type Fault struct {
	Name    string
	Service Ref
	// Start is when the fault begins. A fault with neither Start nor When
	// stays dormant until a decision option or a harmful remedy triggers it.
	Start      time.Duration
	HasStart   bool
	StartRange hcl.Range
	When       hcl.Expression
	Ramp       time.Duration
	ErrorRate  float64       // added fraction of failed requests at full strength
	LatencyMS  float64       // added latency at full strength
	Saturation float64       // saturation at full strength (0..1)
	HealsAfter time.Duration // 0: never heals by itself
	// RecoversOver is how long the fault's effect takes to fall linearly
	// to nothing once it is fixed, heals or is mitigated; 0: at once.
	RecoversOver time.Duration
	Cause        string
	RootCause    bool
	RootRange    hcl.Range
	MitigatedBy  []Ref // remedies that stop the impact without removing the cause
	FixedBy      []Ref // remedies that remove the cause
	// ReducedBy are remedies that take a share of its strength away and
	// leave the rest: the fault stays active.
	ReducedBy []Reduction
	// ToolsDown are the responders' tools the fault takes down while it is
	// in effect, from its start until it has recovered.
	ToolsDown []engine.Tool
	Logs      []string
	DefRange  hcl.Range
}

// Hypothesis is a cause responders may name when they claim the root
// cause: the right one (Cause names the root-cause fault it describes) or
// a plausible wrong one. Everyone sees the titles; which is right is
// ground truth.
type Hypothesis struct {
	Name    string
	Title   string
	Service Ref
	Cause   Ref // a root-cause fault on Service; empty for a wrong hypothesis
	// Signs are text that points to it when seen in logs, runbook results
	// or a vendor's answer: what an experienced engineer recognises. For
	// the right hypothesis they default to its fault's logs.
	Signs []string
	// Implied marks the hypothesis a root-cause fault gives when no
	// hypothesis block names it: named after the fault, titled by its
	// cause.
	Implied  bool
	DefRange hcl.Range
}

// Reduction is a remedy that weakens a fault without removing it.
type Reduction struct {
	Remedy Ref
	// By is the share of the fault's strength it takes away, above 0 and
	// at most 1; several compose: strength × (1−a) × (1−b).
	By float64
}

// Removes reports whether the reduction leaves nothing of the fault: that
// is a mitigation.
func (r Reduction) Removes() bool { return r.By >= 1 }

// Remedy is something a responder can do to a service.
type Remedy struct {
	Name           string
	Title          string
	Service        Ref
	Takes          time.Duration
	RequiresChange bool
	By             []Ref // groups allowed to apply it; the service's group when empty
	Harmful        string
	// Spike is the extra error rate a harmful remedy causes, for SpikeFor.
	Spike    float64
	SpikeFor time.Duration
	Triggers []Ref // faults a harmful remedy starts
	DefRange hcl.Range
}

// Channel is how an inject reaches its audience.
type Channel string

const (
	ChannelPhone  Channel = "phone"
	ChannelEmail  Channel = "email"
	ChannelChat   Channel = "chat"
	ChannelPage   Channel = "page"
	ChannelTicket Channel = "ticket"
	ChannelNews   Channel = "news"
)

// Channels lists every inject channel.
func Channels() []Channel {
	return []Channel{ChannelPhone, ChannelEmail, ChannelChat, ChannelPage, ChannelTicket, ChannelNews}
}

// Audience is who receives an inject or decision: everyone, or a list of
// groups, roles and persons.
type Audience struct {
	Everyone bool
	Refs     []Ref // kinds group, role or person
}

// Inject is a piece of the story delivered to an audience.
type Inject struct {
	Name    string
	At      time.Duration
	HasAt   bool
	AtRange hcl.Range
	When    hcl.Expression // fires once, the first tick it is true
	To      Audience
	Channel Channel
	From    string
	Text    string
	// Record is what a correct service desk records from this contact:
	// "incident", "request", or empty when it needs no record.
	Record   string
	About    Ref // the service the contact is about, if any
	DefRange hcl.Range
}

// Decision is a decision point with scored options.
type Decision struct {
	Name     string
	At       time.Duration
	HasAt    bool
	AtRange  hcl.Range
	When     hcl.Expression
	To       Audience
	Prompt   string
	Timeout  time.Duration // 0: waits for ever
	Default  string        // option taken on timeout
	Options  []*Option
	DefRange hcl.Range
}

// Option is one answer to a decision.
type Option struct {
	Name     string
	Text     string
	Score    float64
	Note     string // the facilitator's explanation, shown in the review
	Triggers []Ref  // injects, faults or decisions started by choosing it
	DefRange hcl.Range
}

// Dimension is a scoring dimension.
type Dimension string

const (
	DimDetection     Dimension = "detection"
	DimTriage        Dimension = "triage"
	DimCoordination  Dimension = "coordination"
	DimCommunication Dimension = "communication"
	DimRecovery      Dimension = "recovery"
	DimProcess       Dimension = "process"
)

// Dimensions lists the scoring dimensions in report order.
func Dimensions() []Dimension {
	return []Dimension{DimDetection, DimTriage, DimCoordination, DimCommunication, DimRecovery, DimProcess}
}

// Expect is what a good team does, scored when its condition first holds.
type Expect struct {
	Name        string
	Description string
	Dimension   Dimension
	Condition   hcl.Expression
	// Applies, when set, is when the expectation applies at all: one the
	// run never gave a reason to meet (an alert that never fired because
	// the fault was fixed first) is not a loss. Nil: always.
	Applies     hcl.Expression
	Within      time.Duration // deadline from exercise start; 0: any time
	WithinRange hcl.Range
	Decay       time.Duration // partial credit falls to zero this long after the deadline
	Points      float64
	DefRange    hcl.Range
}

// Target holds par times for the measures; zero means not set.
type Target struct {
	Detect      time.Duration
	Acknowledge time.Duration
	Declare     time.Duration
	Identify    time.Duration
	Mitigate    time.Duration
	Fix         time.Duration
	Restore     time.Duration
	Close       time.Duration
	// MitigatedBelow is the share of its peak customer impact falls to,
	// and stays at or under, when the impact counts as mitigated: 0.1
	// unless the scenario says otherwise.
	MitigatedBelow float64
	DefRange       hcl.Range
}

// DefaultMitigatedBelow is Target.MitigatedBelow when a scenario sets none:
// customer impact down to a tenth of its peak.
const DefaultMitigatedBelow = 0.1

// MitigationShare is the share of peak impact that counts as mitigated.
func (t Target) MitigationShare() float64 {
	if t.MitigatedBelow > 0 {
		return t.MitigatedBelow
	}
	return DefaultMitigatedBelow
}
