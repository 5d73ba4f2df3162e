package score

import (
	"errors"
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine"
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
	v, err := read(log)
	if err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	if sc.Name != "" && v.started.Scenario != "" && v.started.Scenario != sc.Name {
		return nil, fmt.Errorf("score: %w: the log is of %q, the scenario is %q", ErrWrongScenario, v.started.Scenario, sc.Name)
	}
	return newRun(sc, v), nil
}

// result computes the time measures and the figures beside them.
func (c *run) result() Result {
	v := c.v
	res := Result{Scenario: c.sc.Name, End: v.end}
	res.WarRooms, res.DuplicateWarRooms = warRooms(v.actions)
	if !c.hasT0 {
		for _, p := range Phases() {
			m := c.measure(p, v.end, 0, false)
			m.NotApplicable = true
			res.Measures = append(res.Measures, m)
		}
		ack, ok := c.acknowledged(0)
		res.EscalationDepth = c.escalations(0, ack, ok)
		return res
	}
	res.T0, res.HasT0 = c.t0, true
	res.ImpactedServices = c.im.services

	detectAt, detected := c.detected()
	detect := c.measure(PhaseDetect, c.t0, detectAt, detected)
	ack, acked := c.acknowledged(detect.At)
	acknowledge := c.measure(PhaseAcknowledge, detect.At, ack.at, detected && acked)
	declareAt, declared := c.declared()
	declare := c.measure(PhaseDeclare, detect.At, declareAt, detected && declared)
	identifyAt, identified := c.identified()
	mitigateAt, mitigated := c.mitigated()
	fixAt, fixed, healed := c.fixed()
	restoreAt, restored := c.restored()
	restore := c.measure(PhaseRestore, c.t0, restoreAt, restored)
	res.Measures = []Measure{
		detect,
		acknowledge,
		declare,
		c.measure(PhaseIdentify, c.t0, identifyAt, identified),
		c.measure(PhaseMitigate, c.t0, mitigateAt, mitigated),
		c.measure(PhaseFix, c.t0, fixAt, fixed),
		restore,
	}
	res.SelfHealed = healed
	res.EscalationDepth = c.escalations(c.t0, ack, detected && acked)

	// Restoration closes the window of the customer-facing figures.
	res.RawErrorRate, res.RawErrorRateOverall = errorRates(v.ticks, c.t0, restore.At)
	res.DowntimeMinutes, res.DowntimeByService = downtime(v.ticks, c.critical(), c.t0, restore.At, v.end)
	return res
}

// run holds what several measures share.
type run struct {
	sc *scenario.Scenario
	v  *view

	t0    time.Duration
	hasT0 bool
	im    impact
	// about is the services this incident is about: the impacted ones and
	// the services of the root-cause faults. A root-cause service counts
	// even when its own telemetry stays within threshold (a latency fault
	// felt only downstream, or a discussion scenario without telemetry):
	// the world counts a service a fault touches as impacted.
	about map[string]bool
	recs  map[string]*record
	rel   map[string]bool   // relevant records (see relevant)
	alert map[string]string // alert name → service, from the alerts fired
}

func newRun(sc *scenario.Scenario, v *view) *run {
	c := &run{sc: sc, v: v, about: map[string]bool{}, alert: map[string]string{}}
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
	c.im = impactAfter(v.ticks, c.t0)
	for _, s := range c.im.services {
		c.about[s] = true
	}
	for _, a := range v.alerts {
		c.alert[a.Alert] = a.Service
	}
	c.recs = records(v.actions)
	c.rel = relevant(c.recs, c.about, c.t0)
	return c
}

// measure builds the measure of phase p from start to at, censored at the
// end of the exercise when the phase never ended.
func (c *run) measure(p Phase, start, at time.Duration, ended bool) Measure {
	pr := par(c.sc.Target, p)
	m := Measure{Phase: p, At: at, Par: pr, HasPar: pr > 0}
	if !ended {
		m.At, m.Censored = c.v.end, true
	}
	m.Duration = max(0, m.At-start)
	return m
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
