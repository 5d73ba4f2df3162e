package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/engine/exercise"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/session"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// shutdownReason is what clients hear when the server stops; they are closed
// with 1001 (going away) rather than 1008, and may come back and resume.
const shutdownReason = "the server is shutting down"

// lostWriteReason is what clients hear when the store failed one of the
// exercise's commits: like a shutdown, it is not their doing, and they may
// reconnect and resume.
const lostWriteReason = "the exercise's store failed a write; reconnect to resume from what it holds"

// idleWake is how often a paused or ended exercise's loop wakes to look
// again; nothing is due then, so it does no work.
const idleWake = time.Minute

// maxBatch bounds how many queued requests one commit takes, so a flood
// cannot hold the others' acks back for long.
const maxBatch = 256

// request is work for an exercise's loop.
type request struct {
	client *client
	id     string
	// in is an input for the exercise's one door: an action, a chat line,
	// a facilitator's control. Its log entry is stored with the events it
	// caused; replaying the log rebuilds the exercise exactly (ARCHITECTURE.md
	// invariant 1), which is how a restarted server resumes.
	in     *engine.Input
	join   *joinRequest    // a connection joining
	leave  bool            // the client leaves
	reject *protocol.Error // an error frame for a frame refused before the loop
	kick   string          // drop the client (after reject, if any), for this reason
	// kickCode is the close code to drop it with; 1008 when zero.
	kickCode int
	refill   bool           // the client's write pump took its last backlog page
	view     func()         // a read of the exercise, run in the loop
	settle   bool           // run view once everything recorded is durable
	done     chan<- outcome // for HTTP callers; nil for websocket clients
	// received is when the read pump took the frame, for the ack latency.
	received time.Time
}

type joinRequest struct{ resumeAfter uint64 }

type outcome struct {
	seq uint64
	err error
}

// host runs one exercise: it owns the session, the pacer and the connected
// clients, in one goroutine (loop), so nothing needs a lock. Everything
// reaches it through reqs.
type host struct {
	id      string
	sc      *scenario.Scenario
	sess    *session.Session
	clk     *clock.Clock
	src     clock.Source
	st      *store.Store
	commit  func(ctx context.Context, exerciseID string, inputs []store.Input, events []store.Event) error
	log     *slog.Logger
	metrics *metrics
	onTick  func(exercise string, virtual time.Duration, began time.Time)
	reqs    chan request
	clients map[*client]struct{}
	seats   map[string]engine.Seat // every seat of the scenario, by name
	// limits are the exercise's text budgets (text.go).
	limits engine.Limits
	// persisted is the last event sequence number committed, published the
	// last sent to clients, inputSeq the last input's.
	persisted uint64
	published uint64
	inputSeq  uint64
	done      chan struct{}

	// The commit pipeline (pipeline.go).
	pending    commitJob      // recorded, waiting for the next commit
	flight     *commitJob     // the commit in flight, if any
	committed  chan error     // its outcome
	held       []engine.Event // recorded, not yet published
	openInputs int            // inputs recorded and not yet durable
	durableAt  time.Duration  // latest virtual time in the durable log
	commitDue  time.Time      // wall time a waiting commit is due; zero if none waits
	endedAt    time.Time      // wall time the store had the exercise as ended; zero before
	endDurable bool           // the exercise's end is in the durable log
	broken     error          // a commit failed: the exercise takes no more work
	lostWrite  bool           // broken by the store failing a commit, not by the exercise

	// unload asks the server to take this ended exercise off it (Server.
	// unloadIfIdle); users and idleSince are the server's, under its mu.
	unload    func(h *host) bool
	evict     func(h *host) bool
	users     int
	idleSince time.Time
	unclaimed chan struct{} // closed once the loop has ended and the claim is given up
}

func (h *host) exercise() *exercise.Exercise { return h.sess.Exercise() }

// endStored reports whether the store has the exercise as ended.
func (h *host) endStored() bool { return !h.endedAt.IsZero() }

// loop is the exercise's one goroutine. It advances the session when the
// pacer says the next happening is due, takes requests in batches and
// records what they produced for the commit pipeline (pipeline.go), which
// acknowledges actions only once they are durable.
func (h *host) loop(ctx context.Context) {
	defer close(h.done)
	defer h.dropAll(shutdownReason)
	for {
		// The loop always holds one timer: the next happening's, or an idle
		// one while paused or ended. One armed timer per running loop is
		// also what tests synchronise on with a fake clock.
		wait := idleWake
		if next, ok := h.sess.NextAt(); ok && !h.exercise().Ended() && h.broken == nil {
			if d, ok := h.clk.WallUntil(next); ok {
				wait = d
			}
		}
		if d, ok := h.untilCommit(); ok {
			wait = min(wait, d)
		}
		timer := h.src.NewTimer(wait)
		due := timer.C()
		select {
		case <-ctx.Done():
			timer.Stop()
			h.drain()
			return
		case err := <-h.committed:
			h.landed(err)
		case <-due:
			switch {
			case h.endStored():
				if h.unload != nil && h.unload(h) {
					timer.Stop()
					h.drain() // whatever slipped in before the server let go
					return
				}
			case !h.exercise().Ended() && h.broken == nil:
				// A waiting commit that is due starts in record's flush.
				h.record(nil, h.advance(), nil)
			}
		case r := <-h.reqs:
			batch := []request{r}
		drain:
			for len(batch) < maxBatch {
				select {
				case r := <-h.reqs:
					batch = append(batch, r)
				default:
					break drain
				}
			}
			h.handle(batch)
		}
		timer.Stop()
		if h.lostWrite && h.evict != nil && h.evict(h) {
			// Everything acknowledged is in the store: leave, and let the
			// players' reconnections load the exercise again from it once
			// the store takes writes again (Server.acquire).
			h.log.Warn("exercise leaves memory after a failed commit; the next request reloads it from the store")
			h.drain()
			h.dropAll(lostWriteReason)
			return
		}
	}
}

// drain answers what was already queued when the server began to shut
// down, and waits for its commits, so nothing taken is left hanging.
func (h *host) drain() {
	var batch []request
	for {
		select {
		case r := <-h.reqs:
			batch = append(batch, r)
		default:
			if len(batch) > 0 {
				h.handle(batch)
			}
			h.settle()
			return
		}
	}
}

// handle applies a batch of requests in arrival order.
func (h *host) handle(batch []request) {
	var (
		inputs  []store.Input
		events  []engine.Event
		replies []reply
	)
	// settleSoFar makes what the batch produced so far durable and
	// published, before a request that must see it so.
	settleSoFar := func() {
		h.record(inputs, events, replies)
		inputs, events, replies = nil, nil, nil
		h.settle()
	}
	for _, r := range batch {
		switch {
		case r.join != nil:
			h.join(r.client, r.join.resumeAfter)
			continue
		case r.leave:
			if !r.client.gone {
				h.log.Info("left", "seat", r.client.you.Name)
			}
			r.client.drop("")
			continue
		case r.refill:
			h.page(r.client)
			continue
		case r.view != nil:
			if r.settle {
				settleSoFar()
			}
			r.view()
			r.done <- outcome{}
			continue
		case r.reject != nil || r.kick != "":
			if r.reject != nil {
				r.client.sendFrame(*r.reject)
			}
			if r.kick != "" {
				r.client.dropWith(r.kick, r.kickCode)
			}
			continue
		case h.broken != nil:
			replies = append(replies, reply{r, h.broken})
			continue
		}
		in := *r.in
		if err := h.overBudget(in); err != nil {
			replies = append(replies, reply{r, err})
			continue
		}
		stopped := false
		if in.Action.Op == engine.OpPause && !h.exercise().Paused() && !h.clk.Paused() {
			// A paused exercise resumes where its log ends (recover.go),
			// so everything before the pause is made durable first: the
			// clock stops, the session catches up to where it stopped, the
			// pause goes in the log there, and that is committed before
			// the store says paused. Catching up after the pause instead
			// sent events ahead of a commit that a crash could lose, and a
			// recovered exercise would then have numbered new inputs over
			// them.
			h.clk.Pause()
			stopped = true
		}
		events = append(events, h.advance()...)
		// What the input produced is what the log gained: an event left out
		// of a commit is a gap the store refuses, and the exercise stops.
		mark := len(h.exercise().Log())
		_, err := h.sess.Apply(in)
		events = append(events, h.exercise().Log()[mark:]...)
		var ie *engine.Error
		if err == nil || errors.As(err, &ie) {
			// Refusals are inputs too: they are in the log, so replay must
			// see them to rebuild the same log.
			h.inputSeq++
			inputs = append(inputs, h.stored(in))
		}
		if err != nil && stopped {
			h.clk.Resume() // the pause was refused
		}
		if err == nil && in.Kind() == engine.InputControl {
			settleSoFar()
			err = h.pace(in.Action)
		}
		replies = append(replies, reply{r, err})
	}
	h.record(inputs, events, replies)
}

type reply struct {
	r   request
	err error
}

// advance brings the session up to the pacer's now.
func (h *host) advance() []engine.Event {
	if h.onTick == nil {
		return h.sess.Advance(h.clk.Now())
	}
	began := h.src.Now() // read only for the observer: the loop is the hot path
	now := h.clk.Now()
	evs := h.sess.Advance(now)
	if len(evs) > 0 {
		h.onTick(h.id, now, began)
	}
	return evs
}

func (h *host) stored(in engine.Input) store.Input {
	actor, _ := json.Marshal(in.Actor)
	body, _ := json.Marshal(in)
	return store.Input{Seq: h.inputSeq, At: int64(h.exercise().Now()), Actor: actor, Action: body}
}

func (h *host) answer(r request, err error) {
	if r.done != nil {
		r.done <- outcome{seq: h.persisted, err: err}
		return
	}
	if r.client == nil || r.id == "" {
		return
	}
	if !r.received.IsZero() {
		h.metrics.ackSeconds.Observe(time.Since(r.received).Seconds())
	}
	if err != nil {
		e := protocol.ErrorFrom(r.id, err)
		h.metrics.refused.WithLabelValues(e.Code).Inc()
		r.client.sendAnswer(e)
		return
	}
	r.client.sendAnswer(protocol.Ack{Type: protocol.TypeAck, ID: r.id, Seq: h.persisted})
}

// pace moves the pacer after the exercise took a facilitator's control,
// and tells the store, once what came before it is durable: a restart then
// resumes at the pace the facilitator set.
func (h *host) pace(a engine.Action) error {
	var err error
	switch a.Op {
	case engine.OpPause:
		h.clk.Pause()
		err = h.st.SetExerciseState(context.Background(), h.id, store.StatePaused)
	case engine.OpResume:
		h.clk.Resume()
		err = h.st.SetExerciseState(context.Background(), h.id, store.StateRunning)
	case engine.OpSetSpeed:
		if err = h.clk.SetSpeed(a.Speed); err == nil {
			err = h.st.SetSpeed(context.Background(), h.id, a.Speed)
		}
	}
	if err == nil {
		h.announceClock()
	}
	return err
}

// announceClock tells every client the pacer's state after a change.
func (h *host) announceClock() {
	f := protocol.Clock{Type: protocol.TypeClock, Now: h.clk.Now(), Speed: h.clk.Speed(), Paused: h.clk.Paused()}
	for c := range h.clients {
		c.sendFrame(f)
	}
}

// indexLessons copies lessons learned into the store's lessons table, where
// the review and `report --all` read them across exercises. The event log
// stays the record: a crash between the two loses only the index row.
func (h *host) indexLessons(events []engine.Event) {
	for _, e := range events {
		d, ok := e.Data.(engine.ActionData)
		if !ok || d.Action.Op != engine.OpLessonsLearned {
			continue
		}
		l := store.Lesson{ExerciseID: h.id, Author: e.Actor, At: int64(e.At), Text: d.Action.Text}
		if err := h.st.AddLesson(context.Background(), l); err != nil {
			h.log.Warn("lesson not indexed", "err", err)
		}
	}
}
