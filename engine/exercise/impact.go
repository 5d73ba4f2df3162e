package exercise

import (
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/world"
)

// impactTracker follows customer impact in the world from the first
// root-cause fault on, and logs every change of it:
//
//   - service.impacted: a service goes unhealthy for the first time;
//   - impact.mitigated: customer impact (the requests the business
//     services fail their users on, world.ServiceState.Degraded) falls to
//     the scenario's share of its peak (MitigatedBelow, a tenth by
//     default); impact.resumed when it rises above again;
//   - impact.ended: every service back within its thresholds;
//   - service.restored: that, with every root cause gone or mitigated;
//     restoration.lost when a service is unhealthy again after it;
//   - restoration.validated: an owner validates an incident about the
//     impact (it holds while restoration does).
//
// Times are -1 until they happen.
type impactTracker struct {
	started     bool
	impacted    []string
	peak        float64 // the worst customer impact so far
	allHealthy  bool
	mitigatedAt time.Duration
	restoredAt  time.Duration
	validatedAt time.Duration
	buf         []world.ServiceState // the tick's samples, reused
}

func newImpactTracker() impactTracker {
	return impactTracker{mitigatedAt: -1, restoredAt: -1, validatedAt: -1, allHealthy: true}
}

// update runs every tick after the world advanced.
func (t *impactTracker) update(x *Exercise) {
	if !t.started {
		for _, f := range x.world.FaultStates() {
			if f.RootCause && f.Started {
				t.started = true
			}
		}
	}
	if !t.started {
		return
	}
	t.buf = x.world.AppendServices(t.buf[:0])
	services := t.buf
	allHealthy := true
	for _, s := range services {
		if !s.Healthy {
			allHealthy = false
			if !slices.Contains(t.impacted, s.Name) {
				t.impacted = append(t.impacted, s.Name)
				x.emit(engine.KindImpacted, engine.Facilitators(), "", engine.ServiceData{Service: s.Name})
			}
		}
	}
	if len(t.impacted) == 0 {
		return
	}
	level := x.customerImpact(services)
	t.peak = max(t.peak, level)
	below := level <= x.sc.Target.MitigationShare()*t.peak
	switch {
	case below && t.mitigatedAt < 0:
		t.mitigatedAt = x.now
		x.emit(engine.KindMitigated, engine.Facilitators(), "", engine.ServiceData{})
	case !below && t.mitigatedAt >= 0:
		t.mitigatedAt = -1
		x.emit(engine.KindImpactResumed, engine.Facilitators(), "", engine.ServiceData{})
	}
	if allHealthy && !t.allHealthy {
		x.emit(engine.KindImpactOver, engine.Facilitators(), "", engine.ServiceData{})
	}
	t.allHealthy = allHealthy
	if !allHealthy && (t.restoredAt >= 0 || t.validatedAt >= 0) {
		// The impact came back: service is not restored, and an owner's
		// validation no longer holds.
		t.restoredAt, t.validatedAt = -1, -1
		x.emit(engine.KindRestorationLost, engine.Facilitators(), "", engine.ServiceData{})
	}
	if allHealthy && t.restoredAt < 0 && x.rootCausesGone() {
		t.restoredAt = x.now
		for _, s := range t.impacted {
			x.emit(engine.KindRestored, engine.Facilitators(), "", engine.ServiceData{Service: s})
		}
	}
}

// customerImpact is the requests per second the business services fail
// their users on: the critical services, or every service when the
// scenario marks none critical.
func (x *Exercise) customerImpact(services []world.ServiceState) float64 {
	if x.business == nil {
		critical := false
		for _, s := range x.sc.Services {
			critical = critical || s.Critical
		}
		x.business = map[string]bool{}
		for _, s := range x.sc.Services {
			x.business[s.Name] = s.Critical || !critical
		}
	}
	var sum float64
	for _, s := range services {
		if x.business[s.Name] {
			sum += s.RPS * s.Degraded
		}
	}
	return sum
}

// rootCausesGone reports whether every root-cause fault that started has
// been fixed, has healed, or is mitigated: service is back to baseline.
func (x *Exercise) rootCausesGone() bool {
	for _, f := range x.world.FaultStates() {
		if f.RootCause && f.Started && f.Active && !f.Mitigated {
			return false
		}
	}
	return true
}

// validated records an owner's (by's) validation of inc, if inc is about
// the impact: its service, or one of its children's, was impacted.
// Validating an unrelated incident restores nothing.
func (t *impactTracker) validated(x *Exercise, inc engine.Incident, by string) {
	if t.validatedAt >= 0 {
		return
	}
	about := slices.Contains(t.impacted, inc.Service)
	for _, c := range inc.Children {
		if child, err := x.book.Incident(c); err == nil {
			about = about || slices.Contains(t.impacted, child.Service)
		}
	}
	if about {
		t.validatedAt = x.now
		x.emit(engine.KindValidated, engine.Facilitators(), by, engine.ValidationData{Incident: inc.Number})
	}
}

func (t *impactTracker) restoredAndValidated(x *Exercise) bool {
	if x.sc.Discussion || !t.started {
		return false
	}
	return t.restoredAt >= 0 && t.validatedAt >= 0
}

// rootCausesFixed reports whether every root-cause fault that started has
// been fixed or has healed: a mitigation alone leaves the cause in place.
func (x *Exercise) rootCausesFixed() bool {
	for _, f := range x.world.FaultStates() {
		if f.RootCause && f.Started && f.Active {
			return false
		}
	}
	return true
}
