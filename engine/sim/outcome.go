package sim

import (
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
	"github.com/firedrill/firedrill/engine/world"
)

// Verdict is what became of one expectation in one run, in one word.
type Verdict string

// The verdicts. Not applicable and not reached cost the team nothing (see
// score.Expectation), so they are kept apart from not met.
const (
	Met           Verdict = "met"
	NotMet        Verdict = "not_met"
	NotApplicable Verdict = "not_applicable"
	NotReached    Verdict = "not_reached"
)

// ExpectationVerdict is one expect block's verdict in one run.
type ExpectationVerdict struct {
	Name    string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	Earned  float64 `json:"earned"`
}

// DecisionTaken is one decision block in one run: whether it was put to
// its audience and which option was taken (empty when none was).
type DecisionTaken struct {
	Name     string  `json:"name"`
	Offered  bool    `json:"offered"`
	Option   string  `json:"option,omitempty"`
	TimedOut bool    `json:"timed_out,omitempty"`
	Earned   float64 `json:"earned"`
}

// CauseNotStarted is the outcome of a root-cause fault that never started
// in a run (a dormant one nothing triggered); the others are score's
// CauseFixed, CauseHealed and CauseActive.
const CauseNotStarted = "not_started"

// CauseFixed is one root-cause fault of the scenario in one run. Fixed
// means a remedy removed it: healing by itself is not the team's doing.
type CauseFixed struct {
	Fault   string `json:"fault"`
	Outcome string `json:"outcome"`
	Fixed   bool   `json:"fixed"`
}

// InjectFired is one inject block in one run: fired when its inject event
// is in the log.
type InjectFired struct {
	Name  string        `json:"name"`
	Fired bool          `json:"fired"`
	At    time.Duration `json:"at,omitempty"`
}

// outcome keeps of a run's report what a batch summarises, in the
// scenario's block order.
func outcome(sc *scenario.Scenario, seed uint64, ended string, log []engine.Event, rep score.Report) RunResult {
	rr := RunResult{
		Seed: seed, Ended: ended, Events: len(log), Result: rep.Result,
		Overall: rep.Overall, Dimensions: rep.Dimensions,
		Expectations: make([]ExpectationVerdict, 0, len(rep.Expectations)),
		Decisions:    make([]DecisionTaken, 0, len(rep.Decisions)),
		Causes:       []CauseFixed{},
		Injects:      make([]InjectFired, 0, len(sc.Injects)),
	}
	for _, e := range rep.Expectations {
		v := NotMet
		switch {
		case e.Met:
			v = Met
		case e.NotApplicable:
			v = NotApplicable
		case e.NotReached:
			v = NotReached
		}
		rr.Expectations = append(rr.Expectations, ExpectationVerdict{Name: e.Name, Verdict: v, Earned: e.Earned})
	}
	for _, d := range rep.Decisions {
		rr.Decisions = append(rr.Decisions, DecisionTaken{Name: d.Name, Offered: d.Offered, Option: d.Option, TimedOut: d.TimedOut, Earned: d.Earned})
	}

	outcomes := map[string]string{}
	for _, c := range rep.Result.Causes {
		outcomes[c.Fault] = c.Outcome
	}
	fired := map[string]time.Duration{}
	started := map[string]bool{}
	opened := map[string]bool{} // a kind once seen changed was opened: nothing changes a record before it exists
	for _, ev := range log {
		switch d := ev.Data.(type) {
		case engine.InjectData:
			if _, seen := fired[d.Name]; !seen {
				fired[d.Name] = ev.At
			}
		case engine.WorldData:
			if d.Fault != "" && d.Change == string(world.KindFaultStarted) {
				started[d.Fault] = true
			}
		case engine.ActionData:
			for _, rc := range d.Records {
				opened[recordKind(rc)] = true
			}
		}
	}
	rr.Records = []string{}
	for _, k := range RecordKinds() {
		if opened[k] {
			rr.Records = append(rr.Records, k)
		}
	}
	rr.FaultsStarted = []string{}
	for _, f := range nonNil(sc.Faults) {
		if started[f.Name] {
			rr.FaultsStarted = append(rr.FaultsStarted, f.Name)
		}
	}
	for _, f := range rootCauses(sc) {
		o, ok := outcomes[f.Name]
		if !ok {
			o = CauseNotStarted
		}
		rr.Causes = append(rr.Causes, CauseFixed{Fault: f.Name, Outcome: o, Fixed: o == score.CauseFixed})
	}
	for _, in := range liveInjects(sc) {
		at, ok := fired[in.Name]
		rr.Injects = append(rr.Injects, InjectFired{Name: in.Name, Fired: ok, At: at})
	}
	return rr
}

// RecordKinds are the kinds of record a run may open, in a fixed order.
func RecordKinds() []string {
	return []string{"incident", "request", "incident_alert", "war_room", "task", "problem", "change"}
}

// recordKind names the kind of record a change is about.
func recordKind(rc engine.RecordChange) string {
	switch {
	case rc.Incident != nil && rc.Incident.Class == engine.ClassServiceRequest:
		return "request"
	case rc.Incident != nil:
		return "incident"
	case rc.Alert != nil:
		return "incident_alert"
	case rc.WarRoom != nil:
		return "war_room"
	case rc.Task != nil:
		return "task"
	case rc.Problem != nil:
		return "problem"
	case rc.Change != nil:
		return "change"
	}
	return ""
}

// The scenario's blocks as score reports them: every non-nil one, in
// order. A run's lists line up with these index by index.

func liveExpects(sc *scenario.Scenario) []*scenario.Expect     { return nonNil(sc.Expects) }
func liveInjects(sc *scenario.Scenario) []*scenario.Inject     { return nonNil(sc.Injects) }
func liveDecisions(sc *scenario.Scenario) []*scenario.Decision { return nonNil(sc.Decisions) }

func rootCauses(sc *scenario.Scenario) []*scenario.Fault {
	var out []*scenario.Fault
	for _, f := range sc.Faults {
		if f != nil && f.RootCause {
			out = append(out, f)
		}
	}
	return out
}

func nonNil[T any](xs []*T) []*T {
	var out []*T
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}
