package clock

import (
	"context"
	"time"
)

// Wait blocks until virtual time reaches v, or ctx is done (it then returns
// ctx.Err()). It re-plans its wall-clock timer whenever the clock changes
// (speed, pause, resume, jump), so a speed-up shortens the wait and a pause
// holds it. On a running fast clock it returns at once: the caller then
// moves the clock with Jump.
//
// To wake a waiting engine for other reasons (a player's action), cancel ctx.
func (c *Clock) Wait(ctx context.Context, v time.Duration) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.mu.Lock()
		d, ok := c.wallUntilLocked(v)
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		changed, src := c.changed, c.src
		c.mu.Unlock()
		if ok && d <= 0 {
			return nil
		}
		// The timer is armed outside the lock; a change in between closes
		// changed, which we already hold, so it is not missed.
		var t Timer
		var fire <-chan time.Time
		if ok {
			t = src.NewTimer(d)
			fire = t.C()
		}
		select {
		case <-ctx.Done():
			stop(t)
			return ctx.Err()
		case <-changed:
			stop(t)
		case <-fire:
			// Rounding can leave virtual time a hair short: loop and check.
		}
	}
}

func stop(t Timer) {
	if t != nil {
		t.Stop()
	}
}
