package clock

import (
	"sync"
	"time"
)

// Fake is a Source for tests: time moves only when Advance is called, and
// timers fire synchronously inside Advance, in deadline order. BlockUntil
// lets a test wait for a goroutine to arm a timer without sleeping or
// polling. Safe for concurrent use.
type Fake struct {
	mu     sync.Mutex
	armed  *sync.Cond // broadcast whenever the set of armed timers changes
	now    time.Time
	seq    uint64
	timers []*fakeTimer // armed timers, unordered
}

// NewFake returns a Fake source whose time starts at start.
func NewFake(start time.Time) *Fake {
	f := &Fake{now: start}
	f.armed = sync.NewCond(&f.mu)
	return f
}

// Now returns the fake wall time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// NewTimer arms a timer that fires once the fake time has advanced by d.
// A timer with d <= 0 fires at once, as time.NewTimer does.
func (f *Fake) NewTimer(d time.Duration) Timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	t := &fakeTimer{f: f, c: make(chan time.Time, 1), at: f.now.Add(d), seq: f.seq}
	if d <= 0 {
		t.c <- f.now
		return t
	}
	t.armed = true
	f.timers = append(f.timers, t)
	f.armed.Broadcast()
	return t
}

// Advance moves the fake time forward by d, firing every timer that falls
// due, earliest deadline first (ties in the order they were armed); while a
// timer fires, Now reads its deadline. A negative d does nothing: the fake
// never goes backwards.
func (f *Fake) Advance(d time.Duration) {
	if d < 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	target := f.now.Add(d)
	fired := false
	for {
		i := f.earliestDueLocked(target)
		if i < 0 {
			break
		}
		t := f.timers[i]
		f.removeLocked(i)
		if t.at.After(f.now) {
			f.now = t.at
		}
		t.c <- t.at // buffered and fires once: never blocks
		fired = true
	}
	f.now = target
	if fired {
		f.armed.Broadcast()
	}
}

// Waiters returns how many timers are armed.
func (f *Fake) Waiters() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.timers)
}

// BlockUntil blocks until at least n timers are armed.
func (f *Fake) BlockUntil(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.timers) < n {
		f.armed.Wait()
	}
}

func (f *Fake) earliestDueLocked(target time.Time) int {
	best := -1
	for i, t := range f.timers {
		if t.at.After(target) {
			continue
		}
		if best < 0 || t.at.Before(f.timers[best].at) ||
			(t.at.Equal(f.timers[best].at) && t.seq < f.timers[best].seq) {
			best = i
		}
	}
	return best
}

func (f *Fake) removeLocked(i int) {
	f.timers[i].armed = false
	last := len(f.timers) - 1
	f.timers[i] = f.timers[last]
	f.timers[last] = nil
	f.timers = f.timers[:last]
}

type fakeTimer struct {
	f     *Fake
	c     chan time.Time
	at    time.Time
	seq   uint64
	armed bool // guarded by f.mu
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	if !t.armed {
		return false
	}
	for i, o := range t.f.timers {
		if o == t {
			t.f.removeLocked(i)
			break
		}
	}
	t.f.armed.Broadcast()
	return true
}
