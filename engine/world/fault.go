package world

import (
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

type fault struct {
	sc        *scenario.Fault
	svc       int       // -1: the service is not in the scenario
	mitigates []int     // remedies that mitigate it
	fixes     []int     // remedies that fix it
	reducers  []reducer // remedies that weaken it

	// reduction is the share of its strength the reductions applied so
	// far leave (1: none); reduced lists the remedies applied, each once.
	reduction float64
	reduced   []int

	started   bool
	startAt   time.Duration
	ended     bool
	endAt     time.Duration
	mitigated bool
	fixed     bool
	healed    bool

	// The fade: from fadeAt, when the fault ended or was mitigated
	// (whichever came first), its effect falls from level, the ramp
	// fraction it had reached, to 0 over RecoversOver. recovered is set
	// once it is 0.
	fading    bool
	fadeAt    time.Duration
	level     float64
	recovered bool
}

// reducer is a remedy that takes a share of a fault's strength away.
type reducer struct {
	idx int // the remedy's
	scenario.Reduction
}

// FaultState is the ground truth about a fault, for facilitators and the
// review; players must not see it.
type FaultState struct {
	Name      string
	Service   string
	RootCause bool
	Started   bool          // it has begun (and may have ended since)
	Active    bool          // started, and neither fixed nor healed
	Strength  float64       // ramp fraction 0..1 at the present; 0 unless active; mitigation does not lower it
	Mitigated bool          // a remedy stopped its impact; the cause remains
	Fixed     bool          // a remedy removed the cause
	Healed    bool          // it went away by itself
	Since     time.Duration // when it started
	Ended     time.Duration // when it was fixed or healed
	// Impact is the share of its configured effect that reaches its
	// service at the present: the ramp, falling over RecoversOver once it
	// ended or was mitigated, times Remaining.
	Impact float64
	// Remaining is the share of its strength the reductions applied to it
	// leave: 1 when none was.
	Remaining float64
	// InEffect: it has started and its effect is not over yet; it is over
	// once it is fixed, heals or is mitigated and has recovered.
	InEffect bool
}

func (w *World) buildFaults() {
	for _, f := range w.sc.Faults {
		if f == nil {
			continue
		}
		if _, dup := w.faultIdx[f.Name]; dup {
			continue
		}
		ft := &fault{sc: f, svc: -1, reduction: 1}
		if i, ok := w.serviceIdx[f.Service.Name]; ok {
			ft.svc = i
			w.services[i].faults = append(w.services[i].faults, len(w.faults))
		}
		w.faultIdx[f.Name] = len(w.faults)
		w.faults = append(w.faults, ft)
		if f.HasStart {
			w.schedule(event{at: max(f.Start, 0), kind: evFaultStart, idx: len(w.faults) - 1})
		}
	}
}

// StartFault starts a fault at virtual time at: faults with a When
// condition or dormant ones, when the engine decides. A fault runs at most
// once: starting one that has started returns ErrStarted. Like all events
// it takes effect on the next Advance.
func (w *World) StartFault(at time.Duration, name string) error {
	i, ok := w.faultIdx[name]
	if !ok {
		return fmt.Errorf("world: start fault %q: %w", name, ErrUnknown)
	}
	if w.faults[i].started {
		return fmt.Errorf("world: start fault %q: %w", name, ErrStarted)
	}
	w.schedule(event{at: w.clampAt(at), kind: evFaultStart, idx: i})
	return nil
}

// strength is the ramp fraction of f at t: 0 before it starts and after it
// ends, rising linearly to 1 over Ramp.
func (f *fault) strength(t time.Duration) float64 {
	if !f.started || t < f.startAt || (f.ended && t >= f.endAt) {
		return 0
	}
	return f.rise(t)
}

// rise is the ramp fraction of a started fault at t, ignoring its end.
func (f *fault) rise(t time.Duration) float64 {
	ramp := f.sc.Ramp
	if ramp <= 0 {
		return 1
	}
	return min(float64(t-f.startAt)/float64(ramp), 1)
}

// impact is the share of f's configured effect that reaches its service at
// t: its ramp until it ends or is mitigated, then the fade, times what its
// reductions leave.
func (f *fault) impact(t time.Duration) float64 {
	if !f.started || t < f.startAt {
		return 0
	}
	return f.reduction * f.course(t)
}

// course is the ramp up, then the fade.
func (f *fault) course(t time.Duration) float64 {
	if !f.fading || t < f.fadeAt {
		return f.rise(t)
	}
	over := f.sc.RecoversOver
	if over <= 0 || t >= f.fadeAt+over {
		return 0
	}
	return f.level * (1 - float64(t-f.fadeAt)/float64(over))
}

// fade starts f's recovery at t, once: a fault mitigated and later fixed
// keeps falling from where mitigation began. Without RecoversOver it has
// recovered at once, and no change says so, as before recoveries existed.
func (w *World) fade(f *fault, idx int, t time.Duration) {
	if f.fading {
		return
	}
	f.fading, f.fadeAt, f.level = true, t, f.rise(t)
	if f.sc.RecoversOver > 0 {
		w.schedule(event{at: t + f.sc.RecoversOver, kind: evFaultRecovered, idx: idx})
	} else {
		f.recovered = true
	}
}

func (w *World) recoverFault(e event, out []Change) []Change {
	f := w.faults[e.idx]
	f.recovered = true
	return append(out, Change{At: e.at, Kind: KindFaultRecovered, Service: w.serviceName(f.svc), Fault: f.sc.Name})
}

func (f *fault) active() bool { return f.started && !f.ended }

func (w *World) serviceName(i int) string {
	if i < 0 {
		return ""
	}
	return w.services[i].name
}

func (w *World) startFault(e event, out []Change) []Change {
	f := w.faults[e.idx]
	if f.started {
		return out // started earlier, by its schedule or a trigger
	}
	f.started, f.startAt = true, e.at
	svc := w.serviceName(f.svc)
	out = append(out, Change{At: e.at, Kind: KindFaultStarted, Service: svc, Fault: f.sc.Name, Remedy: e.cause})
	if f.sc.Ramp > 0 {
		w.schedule(event{at: e.at + f.sc.Ramp, kind: evFaultFull, idx: e.idx})
	} else {
		out = append(out, Change{At: e.at, Kind: KindFaultFull, Service: svc, Fault: f.sc.Name})
	}
	if f.sc.HealsAfter > 0 {
		w.schedule(event{at: e.at + f.sc.HealsAfter, kind: evFaultHeal, idx: e.idx})
	}
	return out
}

func (w *World) faultFull(e event, out []Change) []Change {
	f := w.faults[e.idx]
	if !f.active() {
		return out
	}
	return append(out, Change{At: e.at, Kind: KindFaultFull, Service: w.serviceName(f.svc), Fault: f.sc.Name})
}

func (w *World) healFault(e event, out []Change) []Change {
	f := w.faults[e.idx]
	if !f.active() {
		return out
	}
	f.ended, f.endAt, f.healed = true, e.at, true
	w.fade(f, e.idx, e.at)
	return append(out, Change{At: e.at, Kind: KindFaultHealed, Service: w.serviceName(f.svc), Fault: f.sc.Name})
}

// FaultStates returns the ground truth of every fault, in scenario order.
func (w *World) FaultStates() []FaultState {
	out := make([]FaultState, len(w.faults))
	for i, f := range w.faults {
		out[i] = FaultState{
			Name:      f.sc.Name,
			Service:   f.sc.Service.Name,
			RootCause: f.sc.RootCause,
			Started:   f.started,
			Active:    f.active(),
			Strength:  f.strength(w.present),
			Mitigated: f.mitigated,
			Fixed:     f.fixed,
			Healed:    f.healed,
			Since:     f.startAt,
			Ended:     f.endAt,
			Impact:    f.impact(w.present),
			Remaining: f.reduction,
			InEffect:  f.started && !f.recovered,
		}
	}
	return out
}
