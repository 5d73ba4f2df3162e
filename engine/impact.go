package engine

import (
	"slices"
	"time"
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
			}
		}
	}
	if len(t.impacted) == 0 {
		return
	}
	if allHealthy && t.mitigatedAt < 0 {
		t.mitigatedAt = x.now
		x.emit(KindImpactOver, Facilitators, "", ServiceData{})
	}
	if !allHealthy {
		// Impact came back: it had not stopped, and service is not restored.
		t.mitigatedAt, t.restoredAt = -1, -1
	}
	if allHealthy && t.restoredAt < 0 && x.rootCausesGone() {
		t.restoredAt = x.now
		for _, s := range t.impacted {
			x.emit(KindRestored, Facilitators, "", ServiceData{Service: s})
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

func (t *impactTracker) validated(x *Exercise) {
	if t.validatedAt < 0 {
		t.validatedAt = x.now
	}
}

func (t *impactTracker) restoredAndValidated(x *Exercise) bool {
	if x.sc.Discussion || !t.started {
		return false
	}
	return t.restoredAt >= 0 && t.validatedAt >= 0
}
