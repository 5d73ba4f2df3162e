package clock

import (
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

func newLive(t *testing.T, speed float64) (*Clock, *Fake) {
	t.Helper()
	f := NewFake(epoch)
	c, err := New(f, speed)
	if err != nil {
		t.Fatalf("New(fake, %v): %v", speed, err)
	}
	return c, f
}

func TestNewRejectsBadInput(t *testing.T) {
	f := NewFake(epoch)
	for _, tc := range []struct {
		name  string
		src   Source
		speed float64
		want  error
	}{
		{"nil source", nil, 1, ErrNoSource},
		{"zero speed", f, 0, ErrSpeed},
		{"negative speed", f, -2, ErrSpeed},
		{"NaN speed", f, math.NaN(), ErrSpeed},
		{"infinite speed", f, math.Inf(1), ErrSpeed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.src, tc.speed)
			if !errors.Is(err, tc.want) || c != nil {
				t.Errorf("New = %v, %v; want nil, %v", c, err, tc.want)
			}
		})
	}
}

func TestSetSpeedRejectsBadFactor(t *testing.T) {
	c, _ := newLive(t, 1)
	for _, f := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if err := c.SetSpeed(f); !errors.Is(err, ErrSpeed) {
			t.Errorf("SetSpeed(%v) = %v, want ErrSpeed", f, err)
		}
	}
	if c.Speed() != 1 {
		t.Errorf("Speed = %v after refused changes, want 1", c.Speed())
	}
}

// TestControlsNeverMoveTimeBackwards walks a live clock through speed
// changes, pauses and a jump, checking virtual time after each step is
// exactly what the anchoring model says and never less than before.
func TestControlsNeverMoveTimeBackwards(t *testing.T) {
	c, f := newLive(t, 1)
	steps := []struct {
		name string
		do   func()
		want time.Duration
	}{
		{"30s at 1x", func() { f.Advance(30 * time.Second) }, 30 * time.Second},
		{"speed 10x", func() { mustSpeed(t, c, 10) }, 30 * time.Second},
		{"6s at 10x", func() { f.Advance(6 * time.Second) }, 90 * time.Second},
		{"pause", c.Pause, 90 * time.Second},
		{"an hour paused", func() { f.Advance(time.Hour) }, 90 * time.Second},
		{"speed 60x while paused", func() { mustSpeed(t, c, 60) }, 90 * time.Second},
		{"pause again", c.Pause, 90 * time.Second},
		{"resume", c.Resume, 90 * time.Second},
		{"1s at 60x", func() { f.Advance(time.Second) }, 150 * time.Second},
		{"slow to 0.5x", func() { mustSpeed(t, c, 0.5) }, 150 * time.Second},
		{"4s at 0.5x", func() { f.Advance(4 * time.Second) }, 152 * time.Second},
		{"resume while running", c.Resume, 152 * time.Second},
		{"jump to 10m", func() { mustJump(t, c, 10*time.Minute) }, 10 * time.Minute},
		{"2s at 0.5x", func() { f.Advance(2 * time.Second) }, 10*time.Minute + time.Second},
	}
	prev := c.Now()
	for _, s := range steps {
		s.do()
		got := c.Now()
		if got != s.want {
			t.Errorf("after %s: Now = %v, want %v", s.name, got, s.want)
		}
		if got < prev {
			t.Errorf("after %s: Now went backwards from %v to %v", s.name, prev, got)
		}
		prev = got
	}
}

func TestJumpRefusesBackwards(t *testing.T) {
	c, f := newLive(t, 1)
	f.Advance(time.Minute)
	if err := c.Jump(30 * time.Second); !errors.Is(err, ErrBackwards) {
		t.Errorf("Jump back = %v, want ErrBackwards", err)
	}
	if err := c.Jump(time.Minute); err != nil {
		t.Errorf("Jump to now = %v, want nil", err)
	}
	c.Pause()
	mustJump(t, c, 5*time.Minute)
	f.Advance(time.Hour)
	if got := c.Now(); got != 5*time.Minute {
		t.Errorf("Now = %v after a jump while paused, want 5m", got)
	}
}

func TestWallUntil(t *testing.T) {
	c, f := newLive(t, 60)
	for _, tc := range []struct {
		name   string
		v      time.Duration
		want   time.Duration
		wantOK bool
	}{
		{"an hour at 60x", time.Hour, time.Minute, true},
		{"now", 0, 0, true},
		{"past", -time.Minute, 0, true},
		{"a nanosecond ahead still waits", 1, 1, true},
	} {
		d, ok := c.WallUntil(tc.v)
		if d != tc.want || ok != tc.wantOK {
			t.Errorf("%s: WallUntil(%v) = %v, %v; want %v, %v", tc.name, tc.v, d, ok, tc.want, tc.wantOK)
		}
	}
	c.Pause()
	if d, ok := c.WallUntil(time.Hour); ok || d != 0 {
		t.Errorf("WallUntil while paused = %v, %v; want 0, false", d, ok)
	}
	c.Resume()
	f.Advance(30 * time.Second)
	if d, ok := c.WallUntil(time.Hour); d != 30*time.Second || !ok {
		t.Errorf("WallUntil after 30s = %v, %v; want 30s, true", d, ok)
	}
}

// TestWallUntilReachesTargetAtOddSpeeds checks the rounding: waiting exactly
// what WallUntil says must reach the target, never fall a nanosecond short.
func TestWallUntilReachesTargetAtOddSpeeds(t *testing.T) {
	for _, speed := range []float64{0.3, 1.5, 7, 13.7, 60, 1000} {
		c, f := newLive(t, speed)
		for _, v := range []time.Duration{time.Second, 7*time.Minute + 3, 90 * time.Minute} {
			d, ok := c.WallUntil(v)
			if !ok {
				t.Fatalf("speed %v: WallUntil(%v) not ok", speed, v)
			}
			f.Advance(d)
			if got := c.Now(); got < v {
				t.Errorf("speed %v: after waiting %v, Now = %v, short of %v", speed, d, got, v)
			}
		}
	}
}

func TestFastClock(t *testing.T) {
	c := NewFast()
	if !c.Fast() || c.Now() != 0 {
		t.Fatalf("NewFast: Fast=%v Now=%v", c.Fast(), c.Now())
	}
	if d, ok := c.WallUntil(90 * time.Minute); d != 0 || !ok {
		t.Errorf("WallUntil = %v, %v; want 0, true", d, ok)
	}
	mustJump(t, c, 5*time.Minute)
	if c.Now() != 5*time.Minute {
		t.Errorf("Now = %v after Jump(5m)", c.Now())
	}
	if err := c.SetSpeed(10); !errors.Is(err, ErrFast) {
		t.Errorf("SetSpeed on fast = %v, want ErrFast", err)
	}
	c.Pause()
	if _, ok := c.WallUntil(time.Hour); ok {
		t.Error("WallUntil on a paused fast clock: ok, want not ok")
	}
	if s := c.State(); s != (State{Now: 5 * time.Minute, Speed: 1, Paused: true, Fast: true}) {
		t.Errorf("State = %+v", s)
	}
}

func TestChangedClosesOnRealChangesOnly(t *testing.T) {
	c, _ := newLive(t, 1)
	for _, tc := range []struct {
		name string
		do   func()
		want bool
	}{
		{"same speed", func() { mustSpeed(t, c, 1) }, false},
		{"resume running", c.Resume, false},
		{"jump to now", func() { mustJump(t, c, 0) }, false},
		{"new speed", func() { mustSpeed(t, c, 2) }, true},
		{"pause", c.Pause, true},
		{"pause paused", c.Pause, false},
		{"resume", c.Resume, true},
		{"jump", func() { mustJump(t, c, time.Hour) }, true},
	} {
		ch := c.Changed()
		tc.do()
		select {
		case <-ch:
			if !tc.want {
				t.Errorf("%s: Changed closed, want open", tc.name)
			}
		default:
			if tc.want {
				t.Errorf("%s: Changed open, want closed", tc.name)
			}
		}
	}
}

// TestConcurrentControls lets several goroutines steer the clock while
// another moves wall time; each reader must see virtual time only rise.
// Run under -race.
func TestConcurrentControls(t *testing.T) {
	c, f := newLive(t, 1)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prev := time.Duration(0)
			for i := range 200 {
				switch (g + i) % 4 {
				case 0:
					c.Pause()
				case 1:
					c.Resume()
				case 2:
					_ = c.SetSpeed(float64(1 + i%60))
				case 3:
					_, _ = c.WallUntil(time.Hour)
				}
				now := c.Now()
				if now < prev {
					t.Errorf("goroutine %d: Now went from %v to %v", g, prev, now)
					return
				}
				prev = now
			}
		}()
	}
	for range 200 {
		f.Advance(time.Second)
	}
	wg.Wait()
}

func mustSpeed(t *testing.T, c *Clock, f float64) {
	t.Helper()
	if err := c.SetSpeed(f); err != nil {
		t.Fatalf("SetSpeed(%v): %v", f, err)
	}
}

func mustJump(t *testing.T, c *Clock, v time.Duration) {
	t.Helper()
	if err := c.Jump(v); err != nil {
		t.Fatalf("Jump(%v): %v", v, err)
	}
}
