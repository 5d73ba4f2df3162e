package exercise

import (
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// impactTracker follows customer impact from the world's telemetry: which
// services the root cause touched, when all of them came back within
// threshold (mitigated), when all were back to baseline (restored), and
// whether the owner validated it. Times are -1 until they happen.
type impactTracker struct {
	started     bool
	impacted    []string
	mitigatedAt time.Duration
	restoredAt  time.Duration
	validatedAt time.Duration
}

func newImpactTracker() impactTracker {
	return impactTracker{mitigatedAt: -1, restoredAt: -1, validatedAt: -1}
}

// update runs every tick after the world advanced.
func (t *impactTracker) update(x *Exercise) {
	for _, f := range x.world.FaultStates() {
		if f.RootCause && f.Started {
			t.started = true
		}
	}
	if !t.started {
		return
	}
	allHealthy := true
	for _, s := range x.world.Services() {
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
	if allHealthy && t.mitigatedAt < 0 {
		t.mitigatedAt = x.now
		x.emit(engine.KindImpactOver, engine.Facilitators(), "", engine.ServiceData{})
	}
	if !allHealthy && (t.mitigatedAt >= 0 || t.restoredAt >= 0 || t.validatedAt >= 0) {
		// Impact came back: it had not stopped, service is not restored, and
		// an owner's validation no longer holds.
		t.mitigatedAt, t.restoredAt, t.validatedAt = -1, -1, -1
		x.emit(engine.KindImpactResumed, engine.Facilitators(), "", engine.ServiceData{})
	}
	if allHealthy && t.restoredAt < 0 && x.rootCausesGone() {
		t.restoredAt = x.now
		for _, s := range t.impacted {
			x.emit(engine.KindRestored, engine.Facilitators(), "", engine.ServiceData{Service: s})
		}
	}
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

// validated records an owner's validation of inc, if inc is about the
// impact: its service, or one of its children's, was impacted. Validating an
// unrelated incident restores nothing.
func (t *impactTracker) validated(x *Exercise, inc engine.Incident) {
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
		x.emit(engine.KindValidated, engine.Facilitators(), "", engine.ValidationData{Incident: inc.Number})
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
