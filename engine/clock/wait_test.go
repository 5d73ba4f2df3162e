package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

// startWait runs c.Wait(ctx, v) in a goroutine and returns its result
// channel. The goroutine is waited for at cleanup so none leaks.
func startWait(t *testing.T, ctx context.Context, c *Clock, v time.Duration) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		done <- c.Wait(ctx, v)
	}()
	t.Cleanup(func() { <-finished })
	return done
}

func assertPending(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("Wait returned early (%v)", err)
	default:
	}
}

func TestWaitReturnsAtTarget(t *testing.T) {
	c, f := newLive(t, 1)
	done := startWait(t, t.Context(), c, time.Minute)
	f.BlockUntil(1)
	f.Advance(59 * time.Second)
	assertPending(t, done)
	if f.Waiters() != 1 {
		t.Fatalf("Waiters = %d, want the wait's timer still armed", f.Waiters())
	}
	f.Advance(time.Second)
	if err := <-done; err != nil {
		t.Fatalf("Wait = %v", err)
	}
	if c.Now() != time.Minute {
		t.Errorf("Now = %v when Wait returned, want 1m", c.Now())
	}
}

func TestWaitPastTargetReturnsAtOnce(t *testing.T) {
	c, f := newLive(t, 1)
	f.Advance(time.Hour)
	if err := c.Wait(t.Context(), time.Minute); err != nil {
		t.Fatalf("Wait = %v", err)
	}
	if f.Waiters() != 0 {
		t.Errorf("Waiters = %d; a reached target needs no timer", f.Waiters())
	}
}

func TestWaitFollowsSpeedUp(t *testing.T) {
	c, f := newLive(t, 1)
	done := startWait(t, t.Context(), c, time.Minute)
	f.BlockUntil(1)
	f.Advance(30 * time.Second)
	mustSpeed(t, c, 10) // 30 virtual seconds left: 3 wall seconds at 10x
	f.Advance(2 * time.Second)
	assertPending(t, done)
	f.Advance(time.Second)
	if err := <-done; err != nil {
		t.Fatalf("Wait = %v", err)
	}
	if c.Now() != time.Minute {
		t.Errorf("Now = %v, want 1m", c.Now())
	}
}

func TestWaitHoldsWhilePaused(t *testing.T) {
	c, f := newLive(t, 1)
	done := startWait(t, t.Context(), c, time.Minute)
	f.BlockUntil(1)
	f.Advance(20 * time.Second)
	c.Pause()
	// The original timer either was stopped or fires now and finds the
	// clock paused; either way no timer can be armed while paused.
	f.Advance(time.Hour)
	assertPending(t, done)
	if c.Now() != 20*time.Second {
		t.Fatalf("Now = %v while paused, want 20s", c.Now())
	}
	c.Resume()
	f.BlockUntil(1) // re-armed for the 40s left
	f.Advance(39 * time.Second)
	assertPending(t, done)
	f.Advance(time.Second)
	if err := <-done; err != nil {
		t.Fatalf("Wait = %v", err)
	}
}

func TestWaitWakesOnJump(t *testing.T) {
	c, f := newLive(t, 1)
	done := startWait(t, t.Context(), c, time.Hour)
	f.BlockUntil(1)
	mustJump(t, c, 2*time.Hour)
	if err := <-done; err != nil {
		t.Fatalf("Wait = %v", err)
	}
}

func TestWaitCancelled(t *testing.T) {
	c, f := newLive(t, 1)
	ctx, cancel := context.WithCancel(t.Context())
	done := startWait(t, ctx, c, time.Hour)
	f.BlockUntil(1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
}

func TestWaitOnFastClock(t *testing.T) {
	c := NewFast()
	if err := c.Wait(t.Context(), 90*time.Minute); err != nil {
		t.Fatalf("Wait on fast clock = %v", err)
	}
	c.Pause()
	done := startWait(t, t.Context(), c, time.Minute)
	assertPending(t, done)
	c.Resume()
	if err := <-done; err != nil {
		t.Fatalf("Wait after resume = %v", err)
	}
}
