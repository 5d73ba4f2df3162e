package server

import "sync"

// outgoing is one queued frame: a marshalled engine.Event (event true),
// kept raw so the write pump can coalesce several into one "events" frame,
// or a whole frame.
type outgoing struct {
	b     []byte
	event bool
}

// slotBytes is what a queued frame costs beyond its bytes: the slot.
const slotBytes = 32

// outbox is a connection's send queue: the exercise's loop puts frames in,
// the write pump takes everything waiting at once. It holds no memory while
// empty, where a channel of 512 slots held 16 KB for every idle connection
// (CONN-MEM), and it is bounded in bytes rather than frames, so a burst of
// many small events at one instant does not count as a slow reader while a
// stalled one is still caught. Everything counts against the bound, a
// joining client's backlog too: the loop pages the backlog in as the pump
// takes it (hub.go), so what one connection holds stays bounded however
// long the log is.
type outbox struct {
	mu     sync.Mutex
	frames []outgoing
	bytes  int
	limit  int
	closed bool
	ping   bool // the write pump is to send a ping
	// more says the loop has more of a backlog for this connection: the
	// pump asks for the next page when it takes what waits.
	more bool
	// wake holds a token while there is something for the write pump.
	wake chan struct{}
}

func newOutbox(limit int) *outbox {
	return &outbox{limit: limit, wake: make(chan struct{}, 1)}
}

// put queues a frame; false means the reader is too slow and nothing was
// queued.
func (o *outbox) put(f outgoing) bool {
	cost := len(f.b) + slotBytes
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return true
	}
	if o.bytes+cost > o.limit {
		o.mu.Unlock()
		return false
	}
	o.frames = append(o.frames, f)
	o.bytes += cost
	o.mu.Unlock()
	o.nudge()
	return true
}

// wantMore asks the write pump to ask for the next page of a backlog once
// it takes what waits now.
func (o *outbox) wantMore() {
	o.mu.Lock()
	o.more = true
	o.mu.Unlock()
	o.nudge()
}

// askPing asks the write pump to send a ping.
func (o *outbox) askPing() {
	o.mu.Lock()
	o.ping = true
	o.mu.Unlock()
	o.nudge()
}

// nudge wakes the write pump, unless a wake is already waiting for it.
func (o *outbox) nudge() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// close ends the queue; frames already in it are still taken.
func (o *outbox) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	o.nudge()
}

// take swaps out everything waiting for into (emptied), and reports
// whether a ping was asked for, whether the queue was closed and whether
// the next page of a backlog is wanted.
func (o *outbox) take(into []outgoing) (frames []outgoing, ping, closed, more bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	frames, ping, more = o.frames, o.ping, o.more && !o.closed
	o.frames, o.ping, o.more = into[:0], false, false
	o.bytes = 0
	return frames, ping, o.closed, more
}
