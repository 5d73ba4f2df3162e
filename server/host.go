package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/clock"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/server/protocol"
	"github.com/firedrill/firedrill/server/store"
)

// idleWake is how often a paused or ended exercise's loop wakes to look
// again; nothing is due then, so it does no work.
const idleWake = time.Minute

// maxBatch bounds how many queued requests one commit takes, so a flood
// cannot hold the others' acks back for long.
const maxBatch = 256

// input is one entry of an exercise's input log: everything from outside
// that changed it. Replaying the inputs at their virtual times rebuilds the
// exercise exactly (DESIGN.md invariant 1), which is how a restarted server
// resumes.
type input struct {
	Kind   string        `json:"kind"` // "action", "fire" or "end"
	Actor  engine.Actor  `json:"actor,omitzero"`
	Action engine.Action `json:"action,omitzero"`
	Inject string        `json:"inject,omitempty"`
}

// request is work for an exercise's loop.
type request struct {
	client *client
	id     string
	in     *input          // an input to apply
	speed  float64         // a speed change, when > 0
	pause  *bool           // pause (true) or resume (false)
	join   *joinRequest    // a connection joining
	leave  bool            // the client leaves
	reject *protocol.Error // an error frame for a frame refused before the loop
	kick   string          // drop the client after reject, for this reason
	view   func()          // a read of the exercise, run in the loop
	done   chan<- outcome  // for HTTP callers; nil for websocket clients
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
	sess    *bot.Session
	clk     *clock.Clock
	src     clock.Source
	st      *store.Store
	log     *slog.Logger
	reqs    chan request
	clients map[*client]struct{}
	seats   map[string]Seat // every seat of the scenario, by name
	// persisted is the last event sequence number committed; inputSeq the
	// last input's.
	persisted uint64
	inputSeq  uint64
	done      chan struct{}
}

func (h *host) exercise() *engine.Exercise { return h.sess.Exercise() }

// loop is the exercise's one goroutine. It advances the session when the
// pacer says the next happening is due, takes requests in batches, commits
// what they produced in one transaction, and only then publishes the events
// and acknowledges the actions.
func (h *host) loop(ctx context.Context) {
	defer close(h.done)
	defer h.dropAll("the server is shutting down")
	for {
		// The loop always holds one timer: the next happening's, or an idle
		// one while paused or ended. One armed timer per running loop is
		// also what tests synchronise on with a fake clock.
		wait := idleWake
		if next, ok := h.sess.NextAt(); ok && !h.exercise().Ended() {
			if d, ok := h.clk.WallUntil(next); ok {
				wait = d
			}
		}
		timer := h.src.NewTimer(wait)
		due := timer.C()
		select {
		case <-ctx.Done():
			timer.Stop()
			h.drain()
			return
		case <-h.clk.Changed():
		case <-due:
			if !h.exercise().Ended() {
				h.commitAndPublish(nil, h.sess.Advance(h.clk.Now()), nil)
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
	}
}

// drain answers what was already queued when the server began to shut
// down, so nothing taken is left hanging.
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
	for _, r := range batch {
		switch {
		case r.join != nil:
			h.join(r.client, r.join.resumeAfter)
			continue
		case r.leave:
			r.client.drop("")
			continue
		case r.view != nil:
			r.view()
			r.done <- outcome{}
			continue
		case r.reject != nil:
			r.client.sendFrame(*r.reject)
			if r.kick != "" {
				r.client.drop(r.kick)
			}
			continue
		case r.speed > 0:
			replies = append(replies, reply{r, h.setSpeed(r.speed)})
			continue
		case r.pause != nil:
			replies = append(replies, reply{r, h.setPaused(*r.pause)})
			continue
		}
		events = append(events, h.sess.Advance(h.clk.Now())...)
		evs, err := h.apply(*r.in)
		events = append(events, evs...)
		var ie *incident.Error
		if err == nil || errors.As(err, &ie) {
			// Refusals are inputs too: they are in the log, so replay must
			// see them to rebuild the same log.
			h.inputSeq++
			inputs = append(inputs, h.stored(*r.in))
		}
		replies = append(replies, reply{r, err})
	}
	h.commitAndPublish(inputs, events, replies)
}

type reply struct {
	r   request
	err error
}

func (h *host) apply(in input) ([]engine.Event, error) {
	switch in.Kind {
	case "action":
		return h.sess.Apply(in.Actor, in.Action)
	case "fire":
		return h.sess.FireInject(in.Inject)
	case "end":
		return h.sess.End("facilitator"), nil
	}
	return nil, fmt.Errorf("server: unknown input kind %q", in.Kind)
}

func (h *host) stored(in input) store.Input {
	actor, _ := json.Marshal(in.Actor)
	body, _ := json.Marshal(in)
	return store.Input{Seq: h.inputSeq, At: int64(h.exercise().Now()), Actor: actor, Action: body}
}

// commitAndPublish makes inputs and events durable, then sends the events
// to the clients that may see them, then acknowledges: an ack means the
// action survives a crash (DESIGN.md invariant 3).
func (h *host) commitAndPublish(inputs []store.Input, events []engine.Event, replies []reply) {
	if len(inputs) > 0 || len(events) > 0 {
		rows := make([]store.Event, len(events))
		for i, e := range events {
			body, err := json.Marshal(e)
			if err != nil {
				h.fail(replies, fmt.Errorf("server: encode event %d: %w", e.Seq, err))
				return
			}
			rows[i] = store.Event{Seq: e.Seq, At: int64(e.At), Kind: string(e.Kind), Body: body}
		}
		if err := h.st.Commit(context.Background(), h.id, inputs, rows); err != nil {
			h.log.Error("commit failed; exercise stopped", "exercise", h.id, "err", err)
			h.fail(replies, err)
			return
		}
		if n := len(events); n > 0 {
			h.persisted = events[n-1].Seq
		}
		h.indexLessons(events)
		if h.exercise().Ended() {
			_ = h.st.SetExerciseState(context.Background(), h.id, store.StateEnded)
		}
	}
	h.publish(events)
	for _, rp := range replies {
		h.answer(rp.r, rp.err)
	}
}

// fail answers every request of a batch whose commit failed with an
// internal error: nothing is acknowledged that is not durable.
func (h *host) fail(replies []reply, err error) {
	for _, rp := range replies {
		h.answer(rp.r, fmt.Errorf("commit: %w", err))
	}
}

func (h *host) answer(r request, err error) {
	if r.done != nil {
		r.done <- outcome{seq: h.persisted, err: err}
		return
	}
	if r.client == nil || r.id == "" {
		return
	}
	if err != nil {
		r.client.sendFrame(protocol.ErrorFrom(r.id, err))
		return
	}
	r.client.sendFrame(protocol.Ack{Type: protocol.TypeAck, ID: r.id, Seq: h.persisted})
}

func (h *host) setSpeed(f float64) error {
	if err := h.clk.SetSpeed(f); err != nil {
		return &incident.Error{Code: incident.BadRequest, Reason: fmt.Sprintf("speed must be above zero, such as 1, 10 or 60; got %g", f)}
	}
	return h.st.SetSpeed(context.Background(), h.id, f)
}

func (h *host) setPaused(p bool) error {
	state := store.StateRunning
	if p {
		h.clk.Pause()
		state = store.StatePaused
	} else {
		h.clk.Resume()
	}
	return h.st.SetExerciseState(context.Background(), h.id, state)
}

// indexLessons copies lessons learned into the store's lessons table, where
// the review and `report --all` read them across exercises. The event log
// stays the record: a crash between the two loses only the index row.
func (h *host) indexLessons(events []engine.Event) {
	for _, e := range events {
		d, ok := e.Data.(engine.ActionData)
		if !ok || d.Action.Op != incident.OpLessonsLearned {
			continue
		}
		l := store.Lesson{ExerciseID: h.id, Author: e.Actor, At: int64(e.At), Text: d.Action.Text}
		if err := h.st.AddLesson(context.Background(), l); err != nil {
			h.log.Warn("lesson not indexed", "err", err)
		}
	}
}
