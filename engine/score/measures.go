package score

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/facts"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Measures computes the measures of one run from its event log and its
// scenario alone, so a stored log gives the same Result every time. A log
// that breaks the engine's rules is an error wrapping ErrMalformedLog; a log
// of another scenario one wrapping ErrWrongScenario.
func Measures(sc *scenario.Scenario, log []engine.Event) (Result, error) {
	c, err := prepare(sc, log)
	if err != nil {
		return Result{}, err
	}
	return c.result(), nil
}

// prepare checks the call and the log and folds what every part of the
// scoring shares.
func prepare(sc *scenario.Scenario, log []engine.Event) (*run, error) {
	if sc == nil {
		return nil, errors.New("score: no scenario")
	}
	log = values(log)
	v, err := read(log)
	if err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	if sc.Name != "" && v.started.Scenario != "" && v.started.Scenario != sc.Name {
		return nil, fmt.Errorf("score: %w: the log is of %q, the scenario is %q", ErrWrongScenario, v.started.Scenario, sc.Name)
	}
	return newRun(sc, v, log), nil
}

// values is log with every payload a value: a caller may hand payloads as
// pointers (they mean the same), and the folds read values. The log is
// copied only when it has a pointer.
func values(log []engine.Event) []engine.Event {
	var out []engine.Event
	for i, e := range log {
		v := reflect.ValueOf(e.Data)
		if v.Kind() != reflect.Pointer || v.IsNil() {
			continue
		}
		if out == nil {
			out = slices.Clone(log)
		}
		out[i].Data = v.Elem().Interface()
	}
	if out == nil {
		return log
	}
	return out
}

// result computes the time measures and the figures beside them.
func (c *run) result() Result {
	v := c.v
	res := Result{Scenario: c.sc.Name, End: v.end}
	res.WarRooms, res.DuplicateWarRooms = warRooms(v.actions)
	if !c.hasT0 {
		for _, p := range Phases() {
			m := c.measure(p, nil)
			m.NotApplicable = true
			m.Duration, m.At = 0, v.end
			res.Measures = append(res.Measures, m)
		}
		ack, ok := c.acknowledged(0)
		res.EscalationDepth = c.escalations(0, ack, ok)
		return res
	}
	res.T0, res.HasT0 = c.t0, true
	res.ImpactedServices = c.impacted

	detect, detected := c.detected()
	ack, acked := c.acknowledged(c.t0)
	declared, isDeclared := c.declared()
	identified, isIdentified := c.identified()
	mitigated, isMitigated := c.mitigated()
	fixed, isFixed := c.fixed()
	restored, isRestored := c.restored()
	closed, isClosed := c.closed()
	at := func(m mark, ok bool) *mark {
		if !ok {
			return nil
		}
		return &m
	}
	res.Measures = []Measure{
		c.measure(PhaseDetect, at(detect, detected)),
		c.measure(PhaseAcknowledge, at(ack, acked)),
		c.measure(PhaseDeclare, at(declared, isDeclared)),
		c.measure(PhaseIdentify, at(identified, isIdentified)),
		c.measure(PhaseMitigate, at(mitigated, isMitigated)),
		c.measure(PhaseFix, at(fixed, isFixed)),
		c.measure(PhaseRestore, at(restored, isRestored)),
		c.measure(PhaseClose, at(closed, isClosed)),
	}
	for i := 1; i < len(res.Measures); i++ {
		m, prev := &res.Measures[i], res.Measures[i-1]
		m.After = prev.Phase
		if !m.Censored && !prev.Censored {
			m.Interval, m.IntervalKnown = m.At-prev.At, true
		}
	}
	res.Causes = c.causes()
	res.SelfHealed = len(res.Causes) > 0 && !slices.ContainsFunc(res.Causes, func(o CauseOutcome) bool { return o.Outcome != CauseHealed })
	res.EscalationDepth = c.escalations(c.t0, ack, acked)

	// Restoration closes the window of the customer-facing figures.
	restore := res.Measures[6]
	res.RawErrorRate, res.RawErrorRateOverall = errorRates(v.ticks, c.t0, restore.At)
	res.DowntimeMinutes, res.DowntimeByService = downtime(v.ticks, c.critical(), c.t0, restore.At, v.end)
	return res
}

// run holds what several measures share.
type run struct {
	sc  *scenario.Scenario
	v   *view
	log []engine.Event

	t0    time.Duration
	hasT0 bool
	// impacted are the services the impact reached (sorted), as the world
	// judged them: service.impacted events, or for a log recorded before
	// the engine logged them, unhealthy telemetry samples after t0.
	impacted []string
	// about is the services this incident is about: the impacted ones and
	// the services of the root-cause faults. A root-cause service counts
	// even when its own telemetry stays within threshold (a latency fault
	// felt only downstream, or a discussion scenario without telemetry).
	about map[string]bool
	recs  map[string]*record
	facts *facts.State      // the fold of the whole log
	rel   map[string]bool   // relevant records (see relevant)
	alert map[string]string // alert name → service, from the alerts fired
	// contacts are the contacts the story sent that need a record, and the
	// record made for each (see contacts).
	contacts []contact
}

func newRun(sc *scenario.Scenario, v *view, log []engine.Event) *run {
	c := &run{sc: sc, v: v, log: log, about: map[string]bool{}, alert: map[string]string{}}
	for _, w := range v.world {
		if w.Change == changeStarted && w.RootCause {
			if !c.hasT0 {
				c.t0, c.hasT0 = w.at, true
			}
			if w.Service != "" {
				c.about[w.Service] = true
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range v.impacted {
		if s.at >= c.t0 && !seen[s.service] {
			seen[s.service] = true
			c.impacted = append(c.impacted, s.service)
		}
	}
	if len(v.impacted) == 0 {
		c.impacted = impactAfter(v.ticks, c.t0).services
	}
	slices.Sort(c.impacted)
	for _, s := range c.impacted {
		c.about[s] = true
	}
	for _, a := range v.alerts {
		c.alert[a.Alert] = a.Service
	}
	c.recs, c.facts = history(sc, log)
	c.rel = relevant(c.recs, c.about, c.t0)
	c.contacts = c.contactsMade()
	return c
}

// measure builds the measure of phase p from t0 to the event at end, or
// censored at the end of the exercise when end is nil.
func (c *run) measure(p Phase, end *mark) Measure {
	pr := par(c.sc.Target, p)
	m := Measure{Phase: p, Par: pr, HasPar: pr > 0}
	if end == nil {
		m.At, m.Censored = c.v.end, true
	} else {
		m.At = end.at
		ev := c.evidence(end.idx, "")
		m.Evidence = &ev
	}
	m.Duration = max(0, m.At-c.t0)
	return m
}

// evidence is the evidence of the event at log index idx.
func (c *run) evidence(idx int, note string) Evidence {
	e := c.log[idx]
	return Evidence{Seq: e.Seq, At: e.At, Actor: e.Actor, Note: note}
}

// critical is the set of the scenario's critical services.
func (c *run) critical() map[string]bool {
	out := map[string]bool{}
	for _, s := range c.sc.Services {
		if s != nil && s.Critical {
			out[s.Name] = true
		}
	}
	return out
}

// warRooms counts open_war_room actions, and those that opened a duplicate.
func warRooms(actions []actionEvent) (opened, duplicates int) {
	for _, a := range actions {
		if a.op != engine.OpOpenWarRoom {
			continue
		}
		opened++
		for _, rc := range a.records {
			if rc.DuplicateOf != "" {
				duplicates++
				break
			}
		}
	}
	return opened, duplicates
}
