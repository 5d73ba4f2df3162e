package clock

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// clockError is a constant error: the sentinels cannot be reassigned.
type clockError string

func (e clockError) Error() string { return string(e) }

// Errors returned by Clock; callers match them with errors.Is.
const (
	ErrSpeed     = clockError("clock: speed must be between 0.1 and 1000 virtual seconds per second")
	ErrBackwards = clockError("clock: virtual time cannot go backwards")
	ErrFast      = clockError("clock: an as-fast-as-possible clock has no speed")
	ErrNoSource  = clockError("clock: no time source")
)

// Clock maps wall time to virtual time. Virtual time is anchored: it is
// anchorVirt plus the wall time since anchorWall times the speed. Every
// change (speed, pause, resume, jump) re-anchors at the current virtual time,
// so no change makes virtual time jump or go backwards. Safe for concurrent
// use.
//
// A fast clock (NewFast) has no source: virtual time stands still until the
// engine moves it with Jump, and WallUntil never asks anyone to wait.
type Clock struct {
	mu         sync.Mutex
	src        Source // nil: as fast as possible
	speed      float64
	paused     bool
	anchorWall time.Time
	anchorVirt time.Duration
	last       time.Duration // highest value Now returned: guards a wall source that steps back
	changed    chan struct{} // made on demand; closed and dropped on the next change
}

// State is a consistent snapshot of a Clock, e.g. for facilitator consoles.
type State struct {
	Now    time.Duration
	Speed  float64
	Paused bool
	Fast   bool
}

// New returns a live clock reading wall time from src, running at speed
// (virtual seconds per wall second) from virtual time 0, not paused.
func New(src Source, speed float64) (*Clock, error) {
	if src == nil {
		return nil, ErrNoSource
	}
	if err := CheckSpeed(speed); err != nil {
		return nil, err
	}
	return &Clock{src: src, speed: speed, anchorWall: src.Now()}, nil
}

// NewFast returns an as-fast-as-possible clock at virtual time 0. The engine
// moves it forward with Jump as it takes events off its heap; WallUntil
// returns 0 and Wait returns at once unless the clock is paused.
func NewFast() *Clock { return &Clock{speed: 1} }

// The speeds a live clock runs at: from a tenth of real time (a slow,
// talk-through tabletop) to a thousand times (a 90-minute scenario in five
// and a half seconds, for demonstrations and tests).
const (
	MinSpeed = 0.1
	MaxSpeed = 1000
	// SpeedRange says so for a person.
	SpeedRange = "speed is virtual seconds per second, from 0.1 to 1000, such as 1, 10 or 60"
)

// CheckSpeed refuses a speed outside MinSpeed to MaxSpeed, NaN included.
func CheckSpeed(f float64) error {
	if !(f >= MinSpeed && f <= MaxSpeed) { // written so that NaN fails
		return fmt.Errorf("%w (got %v)", ErrSpeed, f)
	}
	return nil
}

// Now returns the virtual time.
func (c *Clock) Now() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Duration {
	v := c.anchorVirt
	if c.src != nil && !c.paused {
		elapsed := c.src.Now().Sub(c.anchorWall)
		if elapsed > 0 {
			// Round, not truncate: WallUntil rounds up, so waiting the
			// duration it returns always reaches the target exactly.
			v = addSat(v, durSat(math.Round(float64(elapsed)*c.speed)))
		}
	}
	if v < c.last {
		v = c.last
	}
	c.last = v
	return v
}

// reanchorLocked pins the current virtual time to the current wall time;
// every change calls it first.
func (c *Clock) reanchorLocked() {
	c.anchorVirt = c.nowLocked()
	if c.src != nil {
		c.anchorWall = c.src.Now()
	}
}

// notifyLocked wakes everyone holding a channel from Changed.
func (c *Clock) notifyLocked() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// Changed returns a channel that is closed at the next change of speed,
// pause state or virtual time by Jump.
func (c *Clock) Changed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changed == nil {
		c.changed = make(chan struct{})
	}
	return c.changed
}

// Speed returns the speed factor (1 on a fast clock, where it is unused).
func (c *Clock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// SetSpeed changes the speed factor; f must be positive and finite. Virtual
// time carries on from where it is.
func (c *Clock) SetSpeed(f float64) error {
	if err := CheckSpeed(f); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.src == nil {
		return ErrFast
	}
	if f == c.speed {
		return nil
	}
	c.reanchorLocked()
	c.speed = f
	c.notifyLocked()
	return nil
}

// Pause stops virtual time. Pausing a paused clock does nothing.
func (c *Clock) Pause() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused {
		return
	}
	c.reanchorLocked()
	c.paused = true
	c.notifyLocked()
}

// Resume restarts virtual time from where it was paused. Resuming a running
// clock does nothing.
func (c *Clock) Resume() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.paused {
		return
	}
	c.reanchorLocked() // the wall anchor moves to now; the paused time is not counted
	c.paused = false
	c.notifyLocked()
}

// Paused reports whether the clock is paused.
func (c *Clock) Paused() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused
}

// Fast reports whether this is an as-fast-as-possible clock.
func (c *Clock) Fast() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.src == nil
}

// State returns a consistent snapshot of the clock.
func (c *Clock) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return State{Now: c.nowLocked(), Speed: c.speed, Paused: c.paused, Fast: c.src == nil}
}

// Jump moves virtual time forward to v: a facilitator's skip on a live
// clock, the engine's step on a fast one. It works while paused too. A v
// before the current virtual time is refused with ErrBackwards; v equal to
// it does nothing.
func (c *Clock) Jump(v time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.nowLocked()
	if v < now {
		return fmt.Errorf("%w: jump to %v, now %v", ErrBackwards, v, now)
	}
	if v == now {
		return nil
	}
	c.reanchorLocked()
	c.anchorVirt = v
	c.last = v
	c.notifyLocked()
	return nil
}

// WallUntil returns how much wall time must pass, at the current speed,
// until virtual time reaches v: 0 when it already has, and always 0 on a
// running fast clock. ok is false while the clock is paused, when no amount
// of waiting gets there.
func (c *Clock) WallUntil(v time.Duration) (d time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wallUntilLocked(v)
}

func (c *Clock) wallUntilLocked(v time.Duration) (time.Duration, bool) {
	if c.paused {
		return 0, false
	}
	if c.src == nil {
		return 0, true
	}
	now := c.nowLocked()
	if v <= now {
		return 0, true
	}
	d := durSat(math.Ceil(float64(v-now) / c.speed))
	if d < 1 {
		d = 1 // a target still ahead needs some wait, however fast the clock
	}
	return d, true
}

// durSat converts nanoseconds to a Duration, saturating instead of
// overflowing at extreme speeds.
func durSat(ns float64) time.Duration {
	if ns >= math.MaxInt64 {
		return math.MaxInt64
	}
	if ns <= math.MinInt64 {
		return math.MinInt64
	}
	return time.Duration(ns)
}

func addSat(a, b time.Duration) time.Duration {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
