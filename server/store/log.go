package store

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Input is one entry of an exercise's input log: an action a participant
// took, as the engine took it. Replaying the inputs in order against the
// same scenario and seed rebuilds the exercise after a crash.
type Input struct {
	Seq    uint64 `db:"seq"` // 1, 2, … per exercise
	At     int64  `db:"at"`  // virtual time, nanoseconds since the start
	Actor  []byte `db:"actor"`
	Action []byte `db:"action"`
}

// Event is one entry of an exercise's event log, stored as the bytes given.
type Event struct {
	Seq  uint64 `db:"seq"` // 1, 2, … per exercise
	At   int64  `db:"at"`  // virtual time, nanoseconds since the start
	Kind string `db:"kind"`
	Body []byte `db:"body"` // the whole event, JSON
}

// batchRows bounds the rows of one multi-row INSERT, well under both
// backends' bind-parameter limits (SQLite 32766, PostgreSQL 65535).
const batchRows = 200

// Commit is the one write of a tick: the inputs the engine took and the
// events they and the clock produced, in one transaction. It returns after
// the transaction is durable, so the caller may acknowledge the inputs once
// it returns nil – and must not before (ARCHITECTURE.md invariant 3). Either list
// may be empty.
//
// Each list must continue its log: its first Seq is one more than the last
// one stored, and each next Seq one more than the one before. A Seq at or
// below the last stored one is ErrConflict (another writer got there first,
// or the tick is being committed twice); a gap or disorder is ErrInvalid.
// On any error nothing of the tick is stored.
func (s *Store) Commit(ctx context.Context, exerciseID string, inputs []Input, events []Event) error {
	return s.commit(ctx, exerciseID, inputs, events, true)
}

// commit is Commit; checkSeq false skips the comparison with the stored
// logs so tests can drive a duplicate into the database's unique index and
// see the transaction roll back.
func (s *Store) commit(ctx context.Context, exerciseID string, inputs []Input, events []Event, checkSeq bool) error {
	if exerciseID == "" {
		return wrap(invalid("empty exercise id"), "commit")
	}
	inSeqs := make([]uint64, len(inputs))
	for i, in := range inputs {
		inSeqs[i] = in.Seq
	}
	evSeqs := make([]uint64, len(events))
	for i, ev := range events {
		evSeqs[i] = ev.Seq
	}
	if checkSeq {
		if err := consecutive("input", inSeqs); err != nil {
			return wrap(err, "commit %s", exerciseID)
		}
		if err := consecutive("event", evSeqs); err != nil {
			return wrap(err, "commit %s", exerciseID)
		}
	}
	for _, ev := range events {
		if err := checkText("an event's kind", ev.Kind); err != nil {
			return wrap(err, "commit %s, event %d", exerciseID, ev.Seq)
		}
	}
	var err error
	if s.group != nil {
		err = s.group.submit(ctx, &commitReq{exerciseID: exerciseID, inputs: inputs, events: events, checkSeq: checkSeq})
	} else {
		err = s.tx(ctx, func(tx *sqlx.Tx) error {
			return s.commitIn(ctx, tx, exerciseID, inputs, events, checkSeq)
		})
	}
	return wrap(err, "commit %s", exerciseID)
}

// consecutive checks that seqs run n, n+1, n+2, … with n > 0 and fit the
// signed 64-bit columns.
func consecutive(what string, seqs []uint64) error {
	for i, seq := range seqs {
		switch {
		case seq == 0:
			return invalid("%s seq 0: sequence numbers start at 1", what)
		case seq > math.MaxInt64:
			return invalid("%s seq %d is too large", what, seq)
		case i > 0 && seq != seqs[i-1]+1:
			return invalid("%s seq %d follows %d in the same commit", what, seq, seqs[i-1])
		}
	}
	return nil
}

// follows checks that a list whose first seq is first continues a log
// whose last stored seq is last.
func follows(what string, first, last uint64) error {
	switch {
	case first == last+1:
		return nil
	case first <= last:
		return fmt.Errorf("%w: %s seq %d is already stored (last is %d)", ErrConflict, what, first, last)
	default:
		return invalid("%s seq %d leaves a gap after %d", what, first, last)
	}
}

// followsHeads checks that a tick's inputs and events continue logs that
// end at h.
func followsHeads(inputs []Input, events []Event, h heads) error {
	if len(inputs) > 0 {
		if err := follows("input", inputs[0].Seq, h.inputs); err != nil {
			return err
		}
	}
	if len(events) > 0 {
		return follows("event", events[0].Seq, h.events)
	}
	return nil
}

// insertRows inserts n rows of cols values each with as few statements as
// the bind-parameter limits allow: one round trip per batch matters on
// PostgreSQL, where a tick's twenty events would otherwise be twenty.
func insertRows(ctx context.Context, tx *sqlx.Tx, prefix string, cols, n int, row func(i int) []any) error {
	tuple := "(" + strings.Repeat("?, ", cols-1) + "?)"
	for start := 0; start < n; start += batchRows {
		end := min(start+batchRows, n)
		var q strings.Builder
		q.WriteString(prefix)
		args := make([]any, 0, (end-start)*cols)
		for i := start; i < end; i++ {
			if i > start {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
			args = append(args, row(i)...)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(q.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// notNil maps a nil slice to an empty one: the columns are NOT NULL, and
// an empty actor or body is still a value.
func notNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// Inputs returns an exercise's whole input log in seq order; none for an
// unknown exercise.
func (s *Store) Inputs(ctx context.Context, exerciseID string) ([]Input, error) {
	var ins []Input
	err := s.r.SelectContext(ctx, &ins, s.r.Rebind(
		`SELECT seq, at, actor, action FROM inputs WHERE exercise_id = ? ORDER BY seq`), exerciseID)
	return ins, wrap(err, "inputs of %s", exerciseID)
}

// Events returns the events of an exercise with seq > afterSeq in seq order,
// at most limit of them (limit 0: all). A client that has seen up to seq n
// catches up with Events(id, n, …). None for an unknown exercise.
func (s *Store) Events(ctx context.Context, exerciseID string, afterSeq uint64, limit int) ([]Event, error) {
	if limit < 0 {
		return nil, wrap(invalid("negative limit %d", limit), "events of %s", exerciseID)
	}
	if afterSeq > math.MaxInt64 {
		return nil, nil // no seq is that large
	}
	q := `SELECT seq, at, kind, body FROM events WHERE exercise_id = ? AND seq > ? ORDER BY seq`
	args := []any{exerciseID, int64(afterSeq)}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	var evs []Event
	err := s.r.SelectContext(ctx, &evs, s.r.Rebind(q), args...)
	return evs, wrap(err, "events of %s after %d", exerciseID, afterSeq)
}

// LastSeq returns the seq of an exercise's last event, 0 if it has none, or
// ErrNotFound for an unknown exercise.
func (s *Store) LastSeq(ctx context.Context, exerciseID string) (uint64, error) {
	var last int64
	err := s.r.GetContext(ctx, &last, s.r.Rebind(`SELECT
		(SELECT COALESCE(MAX(seq), 0) FROM events WHERE exercise_id = ?)
		FROM exercises WHERE id = ?`), exerciseID, exerciseID)
	if err != nil {
		return 0, wrap(err, "last seq of %s", exerciseID)
	}
	return uint64(last), nil
}

// commitIn writes one tick inside tx: it reads both log heads (locking the
// exercise row on PostgreSQL, so two nodes committing to one exercise queue
// up rather than interleave), checks the tick continues them, and inserts.
func (s *Store) commitIn(ctx context.Context, tx *sqlx.Tx, exerciseID string, inputs []Input, events []Event, checkSeq bool) error {
	// Read both log heads and lock the exercise row (PostgreSQL), so
	// two nodes committing to one exercise queue up rather than
	// interleave. A missing exercise is ErrNotFound even for an empty
	// tick.
	if lock := forUpdate(tx); lock != "" {
		// The lock comes first, in a statement of its own: PostgreSQL
		// computes a statement's subqueries from the snapshot it began
		// with, so heads read alongside the lock would miss the rows of
		// the transaction it waited for.
		var one int
		if err := tx.GetContext(ctx, &one, tx.Rebind(`SELECT 1 FROM exercises WHERE id = ?`+lock), exerciseID); err != nil {
			return err
		}
	}
	var last struct {
		Inputs int64 `db:"inputs"`
		Events int64 `db:"events"`
	}
	err := tx.GetContext(ctx, &last, tx.Rebind(`SELECT
		(SELECT COALESCE(MAX(seq), 0) FROM inputs WHERE exercise_id = ?) AS inputs,
		(SELECT COALESCE(MAX(seq), 0) FROM events WHERE exercise_id = ?) AS events
		FROM exercises WHERE id = ?`), exerciseID, exerciseID, exerciseID)
	if err != nil {
		return err
	}
	if checkSeq {
		if err := followsHeads(inputs, events, heads{uint64(last.Inputs), uint64(last.Events)}); err != nil {
			return err
		}
	}
	if err := insertRows(ctx, tx, `INSERT INTO inputs (exercise_id, seq, at, actor, action) VALUES `, 5, len(inputs),
		func(i int) []any {
			in := inputs[i]
			return []any{exerciseID, int64(in.Seq), in.At, notNil(in.Actor), notNil(in.Action)}
		}); err != nil {
		return err
	}
	return insertRows(ctx, tx, `INSERT INTO events (exercise_id, seq, at, kind, body) VALUES `, 5, len(events),
		func(i int) []any {
			ev := events[i]
			return []any{exerciseID, int64(ev.Seq), ev.At, ev.Kind, notNil(ev.Body)}
		})
}
