package server

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/exercise"
	"github.com/firedrill/firedrill/server/store"
)

// The commit pipeline. A loop keeps at most one commit in flight and goes
// on taking ticks and requests meanwhile; what they produce waits in the
// next commit. Waiting for each commit in the loop put the store's latency
// (the writer's queue and an fsync) in front of every tick of every
// exercise, and under load that was most of the fan-out time (FANOUT-PACED).
//
// What may go out before it is durable:
//
//   - Acks and errors for inputs, and the events inputs caused, never: an
//     ack means durable (ARCHITECTURE.md invariant 3), and an event seen by a
//     player must survive a crash.
//   - Events of the clock alone (injects, faults, bots, telemetry) may,
//     when every input before them is durable and they are at most
//     publishAhead past the durable log. Replay rebuilds them exactly: they
//     follow from the durable inputs, and a recovered exercise resumes
//     publishAhead after its durable log (recover.go), so no new input can
//     slip in before one of them and renumber the log a player has seen.

// publishAhead is how far in virtual time the events a loop publishes may
// run ahead of its durable log, and so how far at most a running exercise
// jumps on recovery. The engine logs telemetry every 30 virtual seconds,
// so with this a quiet exercise's ticks go out early too; half a minute
// skipped is little to a team rejoining after a crash.
const publishAhead = exercise.TelemetryEvery

// clockCommitEvery is how often the clock's events alone are committed, on
// wall-clock multiples of it that every exercise shares, so the store's
// group commit writes them in one transaction with one fsync. Nothing waits
// on such a commit, and a crash loses none of it that matters: recovery
// rebuilds the clock's events from the durable inputs (recover.go).
// Committing a second after each exercise's own first tick made a storm of
// small commits every second (exercises started together stay in step), and
// each fsync held one of the server's processors in the kernel for
// milliseconds: most of FANOUT-PACED's tail at 100 × 50. An input, a pause,
// a read of the durable log, the end, or publication coming close to
// publishAhead past the durable log start a commit at once.
const clockCommitEvery = 5 * time.Second

// commitSlack is the wall time a commit is given to land when publication
// is coming close to publishAhead past the durable log.
const commitSlack = time.Second

// commitJob is one commit: everything recorded since the previous began.
type commitJob struct {
	inputs  []store.Input
	rows    []store.Event
	events  []engine.Event
	replies []reply
	// held is how many of host.held this commit makes publishable.
	held int
	// lastAt is the latest virtual time among the inputs and events.
	lastAt time.Duration
	// ended: the exercise had ended when the commit began.
	ended bool
}

func (j *commitJob) empty() bool {
	return len(j.inputs) == 0 && len(j.rows) == 0 && len(j.replies) == 0
}

// record takes what a tick or a batch of requests produced into the next
// commit, publishes the events that may go out now (above), holds the
// rest, and starts a commit when none is in flight.
func (h *host) record(inputs []store.Input, events []engine.Event, replies []reply) {
	if h.broken != nil {
		h.fail(replies, h.broken)
		return
	}
	j := &h.pending
	for _, e := range events {
		body, err := json.Marshal(e)
		if err != nil {
			// The engine has numbered it: without it the log has a gap.
			h.stop(fmt.Errorf("server: encode event %d: %w", e.Seq, err))
			h.fail(replies, h.broken)
			if h.flight == nil {
				// No commit will land to answer what waits for the next.
				h.fail(h.pending.replies, h.broken)
				h.pending = commitJob{}
			}
			return
		}
		j.rows = append(j.rows, store.Event{Seq: e.Seq, At: int64(e.At), Kind: string(e.Kind), Body: body})
		j.lastAt = max(j.lastAt, e.At)
	}
	for _, in := range inputs {
		j.lastAt = max(j.lastAt, time.Duration(in.At))
	}
	j.inputs = append(j.inputs, inputs...)
	j.events = append(j.events, events...)
	j.replies = append(j.replies, replies...)
	h.openInputs += len(inputs)
	if len(events) > 0 {
		early := h.openInputs == 0 && len(h.held) == 0 && events[len(events)-1].At <= h.durableAt+publishAhead
		if early {
			h.publish(events)
		} else {
			h.held = append(h.held, events...)
		}
	}
	h.flush(false)
}

// flush starts a commit of what is pending, unless one is in flight or,
// without force, the pending commit may wait for more (clockCommitEvery).
func (h *host) flush(force bool) {
	if h.flight != nil || h.pending.empty() {
		return
	}
	if !force && h.mayWait() {
		return
	}
	h.commitDue = time.Time{}
	job := h.pending
	h.pending = commitJob{}
	job.held = len(h.held)
	job.ended = h.exercise().Ended()
	h.flight = &job
	if len(job.inputs) == 0 && len(job.rows) == 0 {
		h.committed <- nil // only replies: nothing to write
		return
	}
	go func() {
		began := time.Now() // the real wall clock: this is the store's latency
		err := h.commit(context.Background(), h.id, job.inputs, job.rows)
		h.metrics.commit.Observe(time.Since(began).Seconds())
		h.committed <- err
	}()
}

// mayWait reports whether the pending commit may wait, and sets when it is
// due at the latest: only the clock's events are pending, none of them is
// held back for it, and the clock cannot reach publishAhead past the
// durable log before the commit is due and has landed. An exercise that was
// quiet for a while has an old durable log but room to wait: commits
// forced by its age alone put every exercise started together into one
// storm of commits on their first ticks.
func (h *host) mayWait() bool {
	j := &h.pending
	if len(j.inputs) > 0 || len(j.replies) > 0 || len(h.held) > 0 || h.exercise().Ended() {
		return false
	}
	now := h.src.Now()
	if h.commitDue.IsZero() {
		// Added to now, the wait keeps now's monotonic reading: a wall
		// clock set back does not stretch it.
		h.commitDue = now.Add(untilCommitBoundary(now))
	}
	if !now.Before(h.commitDue) {
		return false
	}
	if j.lastAt-h.durableAt < publishAhead/2 {
		return true
	}
	left, running := h.clk.WallUntil(h.durableAt + publishAhead)
	return !running || left >= h.commitDue.Sub(now)+commitSlack
}

// untilCommitBoundary is the wall time from now to the next multiple of
// clockCommitEvery, the boundary every exercise's clock commits share.
func untilCommitBoundary(now time.Time) time.Duration {
	return clockCommitEvery - now.Sub(now.Truncate(clockCommitEvery))
}

// untilCommit is the wall time until a waiting commit is due, if one waits.
func (h *host) untilCommit() (time.Duration, bool) {
	if h.commitDue.IsZero() {
		return 0, false
	}
	return h.commitDue.Sub(h.src.Now()), true
}

// landed finishes the commit in flight: on success it publishes what the
// commit held back, indexes lessons, answers the requests and starts the
// next commit; on failure the exercise stops taking work.
func (h *host) landed(err error) {
	job := h.flight
	h.flight = nil
	h.openInputs -= len(job.inputs)
	if err == nil && h.broken != nil {
		// The exercise stopped while this commit was in flight (an event
		// that would not encode): what it held will never be published.
		err = h.broken
	}
	if err != nil {
		// A write the store refused or lost (not an exercise already
		// stopped): the durable log is still whole, so the exercise can
		// come back from it (host.loop).
		h.lostWrite = h.broken == nil
		if h.lostWrite {
			h.metrics.storeErrors.WithLabelValues(storeOpCommit).Inc()
		}
		h.stop(err)
		h.fail(job.replies, h.broken)
		h.fail(h.pending.replies, h.broken)
		h.pending = commitJob{}
		return
	}
	if n := len(job.events); n > 0 {
		h.persisted = job.events[n-1].Seq
	}
	h.durableAt = max(h.durableAt, job.lastAt)
	h.endDurable = h.endDurable || job.ended
	h.publish(h.held[:job.held])
	h.held = h.held[job.held:]
	h.indexLessons(job.events)
	if job.ended && !h.endStored() {
		// Until the store says ended, the exercise stays loaded: a restart
		// would resume it as running, and nobody could load it back.
		if err := h.st.SetExerciseState(context.Background(), h.id, store.StateEnded); err != nil {
			h.metrics.storeErrors.WithLabelValues(storeOpState).Inc()
			h.log.Warn("ended exercise not marked ended", "err", err)
		} else {
			h.endedAt = h.src.Now()
			h.log.Info("exercise ended", "last_seq", h.persisted)
		}
	}
	for _, rp := range job.replies {
		h.answer(rp.r, rp.err)
	}
	h.flush(false)
}

// settle waits until everything recorded is durable and published.
func (h *host) settle() {
	for {
		h.flush(true)
		if h.flight == nil {
			return
		}
		h.landed(<-h.committed)
	}
}

// stop marks the exercise broken after a failed commit: its log can no
// longer continue, so every later request gets the error and nothing more
// is published.
func (h *host) stop(err error) {
	if h.broken != nil {
		return
	}
	h.log.Error("commit failed; exercise stopped", "err", err)
	h.broken = fmt.Errorf("commit: %w", err)
	h.held = nil
	h.commitDue = time.Time{} // no commit waits: the loop's timer must not fire at once for ever
}

// fail answers requests whose commit failed: nothing is acknowledged that
// is not durable.
func (h *host) fail(replies []reply, err error) {
	for _, rp := range replies {
		h.answer(rp.r, err)
	}
}
