// Package facts folds an exercise's log into the state its conditions read
// (LANGUAGE.md, "Conditions"): the records (the one fold, engine/records),
// the services as their latest telemetry shows them, the faults, alerts,
// injects, decisions and remedies, and the counters and flags of the
// response. The engine evaluates its conditional injects, decisions and
// faults over the fold of its own log, and the scorer decides
// expectations over the fold of the whole log, so the two read the same
// facts the same way.
//
// The fold knows which names of the state each event changed, so a caller
// re-evaluates only the conditions that read them (Changed, Scope).
package facts

import (
	"maps"
	"slices"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/records"
	"github.com/firedrill/firedrill/engine/scenario"
)

// The names of the state a condition reads (scenario.StateGlobals and the
// kinds of scenario.StateFields).
const (
	Elapsed       = "elapsed"
	Pages         = "pages"
	StatusUpdates = "status_updates"
	Identified    = "identified"
	Mitigated     = "mitigated"
	Restored      = "restored"
	Validated     = "validated"
	CommandCenter = "command_center"
	Incidents     = "incidents"
	Parents       = "parents"
	Parent        = "parent"
	WarRooms      = "war_rooms"
	Problems      = "problems"
	Changes       = "changes"
	Service       = string(scenario.KindService)
	Fault         = string(scenario.KindFault)
	Alert         = string(scenario.KindAlert)
	Inject        = string(scenario.KindInject)
	Decision      = string(scenario.KindDecision)
	Remedy        = string(scenario.KindRemedy)
)

// recordNames are the names the records feed.
var recordNames = []string{Incidents, Parents, Parent, WarRooms, Problems, Changes, CommandCenter, Alert}

// FaultFacts is what the log says of a fault.
type FaultFacts struct{ Started, Active, Mitigated, Fixed, Healed bool }

// MonitorFacts is what the log says of an alert rule.
type MonitorFacts struct{ Fired, Firing bool }

// DecisionFacts is what the log says of a decision.
type DecisionFacts struct {
	Offered, Answered bool
	Choice            string
}

// RemedyFacts is what the log says of a remedy.
type RemedyFacts struct{ Applied, Completed bool }

// State is the facts folded so far.
type State struct {
	records.State
	sc *scenario.Scenario

	Now       time.Duration
	Ended     bool
	Services  map[string]engine.ServiceSample // the latest sample of each
	Faults    map[string]FaultFacts
	Monitors  map[string]MonitorFacts
	Injects   map[string]bool // fired
	Decisions map[string]DecisionFacts
	Remedies  map[string]RemedyFacts

	Pages, StatusUpdates                       int
	Identified, Mitigated, Restored, Validated bool
	// Healthy is each service's health as the world judged it at its last
	// change (absent: healthy, as services start).
	Healthy map[string]bool
	// Impacted lists the services the impact reached, in the order it did.
	Impacted []string

	// stamp counts the changes folded; changed holds, per name, the stamp
	// of its latest change; scope caches each name's value and the stamp
	// it was built at.
	stamp   uint64
	changed map[string]uint64
	scope   map[string]cached
	// flagObjects are the objects of booleans built so far (flags).
	flagObjects map[flagKey]cty.Value
}

type cached struct {
	v     cty.Value
	stamp uint64
}

// New is the empty state of an exercise of sc.
func New(sc *scenario.Scenario) *State {
	return &State{
		flagObjects: map[flagKey]cty.Value{},
		sc:          sc,
		Services:    map[string]engine.ServiceSample{},
		Faults:      map[string]FaultFacts{},
		Monitors:    map[string]MonitorFacts{},
		Injects:     map[string]bool{},
		Decisions:   map[string]DecisionFacts{},
		Remedies:    map[string]RemedyFacts{},
		Healthy:     map[string]bool{},
		changed:     map[string]uint64{},
		scope:       map[string]cached{},
	}
}

// Fold folds a whole log.
func Fold(sc *scenario.Scenario, log []engine.Event) *State {
	s := New(sc)
	for _, e := range log {
		s.Apply(e)
	}
	return s
}

// Stamp is the count of changes folded so far.
func (s *State) Stamp() uint64 { return s.stamp }

// ChangedSince reports whether any of names changed after stamp.
func (s *State) ChangedSince(stamp uint64, names []string) bool {
	for _, n := range names {
		if s.changed[n] > stamp {
			return true
		}
	}
	return false
}

func (s *State) touch(names ...string) {
	s.stamp++
	for _, n := range names {
		s.changed[n] = s.stamp
	}
}

// Apply folds one event in, in log order.
func (s *State) Apply(e engine.Event) {
	if e.At != s.Now {
		s.Now = e.At
		s.touch(Elapsed)
	}
	s.State.Apply(e)
	switch d := e.Data.(type) {
	case engine.ActionData:
		if len(d.Records) > 0 {
			s.touch(recordNames...)
		}
		switch d.Action.Op {
		case engine.OpPage:
			s.Pages++
			s.touch(Pages)
		case engine.OpStatusUpdate:
			s.StatusUpdates++
			s.touch(StatusUpdates)
		}
	case engine.PageData:
		if e.Kind == engine.KindPageAcked && d.Alert != "" {
			s.touch(Alert)
		}
	case engine.AlertData:
		m := s.Monitors[d.Alert]
		m.Fired, m.Firing = true, e.Kind == engine.KindAlertFired
		s.Monitors[d.Alert] = m
		s.touch(Alert)
	case engine.TelemetryData:
		for _, smp := range d.Services {
			s.Services[smp.Service] = smp
		}
		s.touch(Service)
	case engine.WorldData:
		s.world(d)
	case engine.InjectData:
		s.Injects[d.Name] = true
		s.touch(Inject)
	case engine.DecisionData:
		dec := s.Decisions[d.Name]
		dec.Offered = true
		s.Decisions[d.Name] = dec
		s.touch(Decision)
	case engine.AnswerData:
		s.Decisions[d.Name] = DecisionFacts{Offered: true, Answered: true, Choice: d.Option}
		s.touch(Decision)
	case engine.RemedyData:
		r := s.Remedies[d.Remedy]
		switch d.Phase {
		case "started":
			r = RemedyFacts{Applied: true}
		case "completed":
			r.Completed = true
		}
		s.Remedies[d.Remedy] = r
		s.touch(Remedy)
	case engine.RootClaimData:
		if d.Correct && !s.Identified {
			s.Identified = true
			s.touch(Identified)
		}
	case engine.ServiceData:
		s.impact(e.Kind, d)
	case engine.ValidationData:
		s.Validated = true
		s.touch(Validated)
	case engine.HealthData:
		s.Healthy[d.Service] = d.Healthy
	case engine.EndedData:
		s.Ended = true
	}
}

func (s *State) world(d engine.WorldData) {
	if d.Fault == "" {
		return
	}
	f := s.Faults[d.Fault]
	switch d.Change {
	case "fault_started":
		f.Started, f.Active = true, true
	case "fault_mitigated":
		f.Mitigated = true
	case "fault_fixed":
		f.Fixed, f.Active = true, false
	case "fault_healed":
		f.Healed, f.Active = true, false
	}
	s.Faults[d.Fault] = f
	s.touch(Fault)
}

func (s *State) impact(k engine.Kind, d engine.ServiceData) {
	switch k {
	case engine.KindImpacted:
		s.Impacted = append(s.Impacted, d.Service)
	case engine.KindMitigated:
		s.Mitigated = true
		s.touch(Mitigated)
	case engine.KindImpactResumed:
		s.Mitigated = false
		s.touch(Mitigated)
	case engine.KindRestored:
		if !s.Restored {
			s.Restored = true
			s.touch(Restored)
		}
	case engine.KindRestorationLost:
		s.Restored, s.Validated = false, false
		s.touch(Restored, Validated)
	}
}

// MonitorAcknowledged reports whether a page an alert sent was
// acknowledged.
func (s *State) MonitorAcknowledged(alert string) bool {
	return slices.ContainsFunc(s.State.Pages, func(p records.Page) bool { return p.Alert == alert && !p.Open() })
}

// CommandCenterEngaged reports whether the command center has taken the
// incident on: an incident alert raised or a war room opened.
func (s *State) CommandCenterEngaged() bool {
	return slices.ContainsFunc(s.Alerts, func(a engine.IncidentAlert) bool { return a.Number != "" }) || len(s.WarRooms) > 0
}

// Names lists every name of the state, for a caller that needs them all.
func Names() []string {
	return slices.Sorted(maps.Keys(map[string]bool{
		Elapsed: true, Pages: true, StatusUpdates: true, Identified: true, Mitigated: true, Restored: true,
		Validated: true, CommandCenter: true, Incidents: true, Parents: true, Parent: true, WarRooms: true,
		Problems: true, Changes: true, Service: true, Fault: true, Alert: true, Inject: true, Decision: true, Remedy: true,
	}))
}
