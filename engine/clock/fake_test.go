package clock

import (
	"testing"
	"time"
)

var epoch = time.Date(2025, 3, 4, 14, 0, 0, 0, time.UTC)

func TestFakeFiresInDeadlineOrder(t *testing.T) {
	f := NewFake(epoch)
	late := f.NewTimer(30 * time.Second)
	early := f.NewTimer(10 * time.Second)
	tie := f.NewTimer(10 * time.Second)
	never := f.NewTimer(time.Hour)
	if got := f.Waiters(); got != 4 {
		t.Fatalf("Waiters = %d, want 4", got)
	}

	f.Advance(9 * time.Second)
	assertNotFired(t, early, late, tie, never)

	f.Advance(25 * time.Second)
	for _, tc := range []struct {
		name  string
		timer Timer
		want  time.Time
	}{
		{"early", early, epoch.Add(10 * time.Second)},
		{"tie", tie, epoch.Add(10 * time.Second)},
		{"late", late, epoch.Add(30 * time.Second)},
	} {
		if got := <-tc.timer.C(); !got.Equal(tc.want) {
			t.Errorf("%s fired with %v, want its deadline %v", tc.name, got, tc.want)
		}
	}
	assertNotFired(t, never)
	if got := f.Now(); !got.Equal(epoch.Add(34 * time.Second)) {
		t.Errorf("Now = %v, want epoch+34s", got)
	}
	if got := f.Waiters(); got != 1 {
		t.Errorf("Waiters = %d, want 1", got)
	}
}

func TestFakeNowDuringFiringIsTheDeadline(t *testing.T) {
	// Advance fires each timer with Now at its deadline, so a goroutine
	// reacting to an early timer sees the time it fired, not the target.
	f := NewFake(epoch)
	tm := f.NewTimer(time.Second)
	f.Advance(time.Minute)
	if got := <-tm.C(); !got.Equal(epoch.Add(time.Second)) {
		t.Errorf("fired with %v, want epoch+1s", got)
	}
}

func TestFakeStop(t *testing.T) {
	f := NewFake(epoch)
	tm := f.NewTimer(time.Second)
	if !tm.Stop() {
		t.Fatal("Stop on an armed timer = false, want true")
	}
	if tm.Stop() {
		t.Error("second Stop = true, want false")
	}
	f.Advance(time.Hour)
	assertNotFired(t, tm)

	fired := f.NewTimer(time.Second)
	f.Advance(time.Second)
	if fired.Stop() {
		t.Error("Stop after firing = true, want false")
	}
	if f.Waiters() != 0 {
		t.Errorf("Waiters = %d, want 0", f.Waiters())
	}
}

func TestFakeNonPositiveTimerFiresAtOnce(t *testing.T) {
	f := NewFake(epoch)
	for _, d := range []time.Duration{0, -time.Second} {
		tm := f.NewTimer(d)
		if got := <-tm.C(); !got.Equal(epoch) {
			t.Errorf("NewTimer(%v) fired with %v, want %v", d, got, epoch)
		}
	}
	if f.Waiters() != 0 {
		t.Errorf("Waiters = %d, want 0", f.Waiters())
	}
}

func TestFakeNeverGoesBackwards(t *testing.T) {
	f := NewFake(epoch)
	f.Advance(-time.Hour)
	if !f.Now().Equal(epoch) {
		t.Errorf("Now = %v after a negative Advance, want %v", f.Now(), epoch)
	}
}

func TestFakeBlockUntil(t *testing.T) {
	f := NewFake(epoch)
	armed := make(chan Timer)
	go func() { armed <- f.NewTimer(time.Minute) }()
	f.BlockUntil(1) // returns only once the goroutine armed its timer
	if f.Waiters() != 1 {
		t.Fatalf("Waiters = %d after BlockUntil(1)", f.Waiters())
	}
	tm := <-armed
	f.Advance(time.Minute)
	<-tm.C()
}

func assertNotFired(t *testing.T, timers ...Timer) {
	t.Helper()
	for i, tm := range timers {
		select {
		case at := <-tm.C():
			t.Errorf("timer %d fired at %v, too early", i, at)
		default:
		}
	}
}
