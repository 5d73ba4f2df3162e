// Package clock paces virtual exercise time against the wall clock.
//
// The engine runs on virtual time: time.Duration offsets from the start of
// the exercise, kept in an event heap the engine owns. A Clock maps wall time
// to virtual time for live play (speed factor, pause, resume, skip forward),
// or, built with NewFast, lets the engine run as fast as it can. It is the
// only place in engine/ that may read the wall clock, and it does so only
// through an injected Source, so tests drive it with a Fake.
package clock

import "time"

// Source is where a Clock reads wall time and gets timers from.
type Source interface {
	Now() time.Time
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer, as time.Timer.
type Timer interface {
	// C delivers the time once the timer fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether the call
	// stopped it (false when it had already fired or been stopped).
	Stop() bool
}

// Wall returns the real wall-clock source (time.Now, time.NewTimer).
func Wall() Source { return wall{} }

type wall struct{}

func (wall) Now() time.Time { return time.Now() }

func (wall) NewTimer(d time.Duration) Timer { return wallTimer{time.NewTimer(d)} }

type wallTimer struct{ t *time.Timer }

func (w wallTimer) C() <-chan time.Time { return w.t.C }
func (w wallTimer) Stop() bool          { return w.t.Stop() }
