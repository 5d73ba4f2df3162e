package exercise

import (
	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
)

// The facilitator's controls. They come through the door like any input,
// so the log holds them and replay repeats them.

// control records a pause, a resumption or a change of speed. The pace
// is the host's to keep (virtual time does not notice it); the exercise
// keeps whether it is paused, so a restarted server knows, and the review
// can show when the exercise stood still.
func (x *Exercise) control(ac engine.Actor, a engine.Action) (outcome, error) {
	d := engine.ControlData{Control: a.Op}
	switch a.Op {
	case engine.OpPause:
		if x.paused {
			return outcome{}, refuse(engine.Conflict, a.Op, "the exercise is already paused")
		}
		x.paused = true
	case engine.OpResume:
		if !x.paused {
			return outcome{}, refuse(engine.Conflict, a.Op, "the exercise is not paused")
		}
		x.paused = false
	case engine.OpSetSpeed:
		if err := clock.CheckSpeed(a.Speed); err != nil {
			return outcome{}, refuse(engine.BadRequest, a.Op, "%s; got %g", clock.SpeedRange, a.Speed)
		}
		d.Speed = a.Speed
	}
	x.emit(engine.KindControl, engine.Everyone(), ac.Name, d)
	return outcome{silent: true}, nil
}

// fire delivers a named inject now; an inject already delivered is not
// sent twice.
func (x *Exercise) fire(ac engine.Actor, a engine.Action) (outcome, error) {
	if x.sc.Inject(a.Inject) == nil {
		return outcome{}, refuse(engine.NotFound, a.Op, "there is no inject %q in this scenario", a.Inject)
	}
	if x.fired[a.Inject] {
		return outcome{}, refuse(engine.Conflict, a.Op, "inject %q was already delivered", a.Inject)
	}
	x.fireInject(a.Inject)
	return outcome{silent: true}, nil
}

// end stops the exercise now.
func (x *Exercise) end(ac engine.Actor, a engine.Action) (outcome, error) {
	x.finish("facilitator")
	return outcome{silent: true}, nil
}

// Paused reports whether the facilitator has the exercise paused.
func (x *Exercise) Paused() bool { return x.paused }
