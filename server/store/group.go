package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
)

// maxGroup bounds how many exercises' ticks one transaction carries.
const maxGroup = 128

// maxCachedHeads bounds the log heads the writer keeps: a server that hosts
// game days for months must not remember every exercise it ever wrote.
// Past it, heads not used by the batch just written are forgotten, and read
// again from the file if their exercise commits again.
const maxCachedHeads = 4096

// committer is group commit for SQLite's single writer: ticks of many
// exercises waiting at once go into one transaction and one fsync, each
// behind a savepoint so one tick's failure rolls back only that tick. With
// a hundred exercises ticking ten times a second, one transaction per tick
// kept the writer busy with fsyncs and held every ack back (the load runs'
// ACTION-INGEST and FANOUT-PACED rows).
type committer struct {
	s    *Store
	reqs chan *commitReq
	wg   sync.WaitGroup
	// mu guards closed: submit holds it shared while it queues, stop
	// exclusively while it closes reqs, so a commit racing Close gets
	// ErrClosed instead of a send on a closed channel.
	mu     sync.RWMutex
	closed bool
	// heads caches where each exercise's logs end, after the first read;
	// the writer goroutine's alone. It holds at most maxHeads
	// (maxCachedHeads; tests lower it) beyond the last batch's.
	heads    map[string]heads
	maxHeads int
}

type commitReq struct {
	exerciseID string
	inputs     []Input
	events     []Event
	checkSeq   bool
	done       chan error
}

func startCommitter(s *Store) *committer {
	c := &committer{s: s, reqs: make(chan *commitReq, maxGroup), heads: map[string]heads{}, maxHeads: maxCachedHeads}
	c.wg.Add(1)
	go c.loop()
	return c
}

// stop finishes what is queued and ends the writer goroutine; later
// submits get ErrClosed. It may be called more than once.
func (c *committer) stop() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.reqs)
	}
	c.mu.Unlock()
	c.wg.Wait()
}

func (c *committer) loop() {
	defer c.wg.Done()
	for r := range c.reqs {
		batch := []*commitReq{r}
	drain:
		for len(batch) < maxGroup {
			select {
			case r, ok := <-c.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		c.write(batch)
	}
}

// write commits a batch: all its ticks in as few statements as possible,
// or, when a statement fails, each behind its own savepoint so that only
// the failing tick fails.
func (c *committer) write(batch []*commitReq) {
	errs, err := c.writeTogether(batch)
	if err != nil {
		// A tick carried a duplicate past the checks, or another process
		// wrote to the file: forget what the heads were and find the
		// guilty tick.
		clear(c.heads)
		errs = c.writeEach(batch)
	}
	for i, r := range batch {
		r.done <- errs[i]
	}
}

// heads is where an exercise's two logs end.
type heads struct{ inputs, events uint64 }

// writeTogether checks every tick against the log heads in memory (read
// once per exercise, then kept: this writer is the only one) and writes
// all the ticks that continue their logs with one INSERT per table. Ticks
// that do not continue their logs get their error and are left out; err
// is a failed statement, after which nothing of the batch is stored.
func (c *committer) writeTogether(batch []*commitReq) (errs []error, err error) {
	errs = make([]error, len(batch))
	next := map[string]heads{}
	err = c.s.tx(context.Background(), func(tx *sqlx.Tx) error {
		var unknown []string
		// cached: heads taken from memory and not yet used by this batch;
		// touched: exercises with a tick accepted in this batch.
		cached, touched := map[string]bool{}, map[string]bool{}
		for _, r := range batch {
			if _, ok := next[r.exerciseID]; ok {
				continue
			}
			if h, ok := c.heads[r.exerciseID]; ok {
				next[r.exerciseID] = h
				cached[r.exerciseID] = true
			} else if !slices.Contains(unknown, r.exerciseID) {
				unknown = append(unknown, r.exerciseID)
			}
		}
		if err := readHeads(tx, unknown, next); err != nil {
			return err
		}
		type inputRow struct {
			exerciseID string
			Input
		}
		type eventRow struct {
			exerciseID string
			Event
		}
		var ins []inputRow
		var evs []eventRow
		for i, r := range batch {
			h, ok := next[r.exerciseID]
			if !ok {
				errs[i] = fmt.Errorf("%w: exercise %s", ErrNotFound, r.exerciseID)
				continue
			}
			if r.checkSeq {
				errs[i] = followsHeads(r.inputs, r.events, h)
				if errs[i] != nil && cached[r.exerciseID] && !touched[r.exerciseID] {
					// Another process may have written to the file since
					// the heads were cached: judge the tick by the file.
					cached[r.exerciseID] = false
					fresh, found, err := headsOf(tx, r.exerciseID)
					if err != nil {
						return err
					}
					if !found {
						delete(next, r.exerciseID)
						errs[i] = fmt.Errorf("%w: exercise %s", ErrNotFound, r.exerciseID)
						continue
					}
					h = fresh
					next[r.exerciseID] = h
					errs[i] = followsHeads(r.inputs, r.events, h)
				}
				if errs[i] != nil {
					continue
				}
			}
			touched[r.exerciseID] = true
			for _, in := range r.inputs {
				ins = append(ins, inputRow{r.exerciseID, in})
				h.inputs = in.Seq
			}
			for _, ev := range r.events {
				evs = append(evs, eventRow{r.exerciseID, ev})
				h.events = ev.Seq
			}
			next[r.exerciseID] = h
		}
		if err := insertRows(context.Background(), tx, `INSERT INTO inputs (exercise_id, seq, at, actor, action) VALUES `, 5, len(ins),
			func(i int) []any {
				in := ins[i]
				return []any{in.exerciseID, int64(in.Seq), in.At, notNil(in.Actor), notNil(in.Action)}
			}); err != nil {
			return err
		}
		return insertRows(context.Background(), tx, `INSERT INTO events (exercise_id, seq, at, kind, body) VALUES `, 5, len(evs),
			func(i int) []any {
				ev := evs[i]
				return []any{ev.exerciseID, int64(ev.Seq), ev.At, ev.Kind, notNil(ev.Body)}
			})
	})
	if err != nil {
		return nil, err
	}
	maps.Copy(c.heads, next)
	c.trimHeads(next)
	return errs, nil
}

// trimHeads forgets cached heads beyond maxHeads, keeping those of the
// batch just written (keep): they are the likeliest to commit next.
func (c *committer) trimHeads(keep map[string]heads) {
	for id := range c.heads {
		if len(c.heads) <= c.maxHeads {
			return
		}
		if _, ok := keep[id]; !ok {
			delete(c.heads, id)
		}
	}
}

// headsOf reads where one exercise's logs end; ok is false when it does
// not exist.
func headsOf(tx *sqlx.Tx, id string) (h heads, ok bool, err error) {
	into := map[string]heads{}
	if err := readHeads(tx, []string{id}, into); err != nil {
		return heads{}, false, err
	}
	h, ok = into[id]
	return h, ok, nil
}

// readHeads reads where the logs of the exercises ids end into into; an
// exercise that does not exist is left out.
func readHeads(tx *sqlx.Tx, ids []string, into map[string]heads) error {
	for len(ids) > 0 {
		n := min(len(ids), batchRows)
		var rows []struct {
			ID     string `db:"id"`
			Inputs int64  `db:"inputs"`
			Events int64  `db:"events"`
		}
		q := `SELECT id,
			(SELECT COALESCE(MAX(seq), 0) FROM inputs WHERE exercise_id = exercises.id) AS inputs,
			(SELECT COALESCE(MAX(seq), 0) FROM events WHERE exercise_id = exercises.id) AS events
			FROM exercises WHERE id IN (?` + strings.Repeat(", ?", n-1) + `)`
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		if err := tx.Select(&rows, tx.Rebind(q), args...); err != nil {
			return err
		}
		for _, r := range rows {
			into[r.ID] = heads{uint64(r.Inputs), uint64(r.Events)}
		}
		ids = ids[n:]
	}
	return nil
}

// writeEach commits the batch with each tick behind a savepoint, reading
// its heads from the database, so one tick's failure rolls back only that
// tick.
func (c *committer) writeEach(batch []*commitReq) []error {
	errs := make([]error, len(batch))
	err := c.s.tx(context.Background(), func(tx *sqlx.Tx) error {
		for i, r := range batch {
			if _, err := tx.Exec("SAVEPOINT tick"); err != nil {
				return err
			}
			errs[i] = c.s.commitIn(context.Background(), tx, r.exerciseID, r.inputs, r.events, r.checkSeq)
			if errs[i] != nil {
				if _, err := tx.Exec("ROLLBACK TO tick"); err != nil {
					return err
				}
			}
			if _, err := tx.Exec("RELEASE tick"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
	}
	return errs
}

// submit queues a tick and waits until it is durable or failed. A context
// already done, or done while the queue is full, fails it unwritten.
func (c *committer) submit(ctx context.Context, r *commitReq) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.done = make(chan error, 1)
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return ErrClosed
	}
	select {
	case c.reqs <- r:
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	c.mu.RUnlock()
	// Once queued the tick will be written; wait for its outcome so an ack
	// is never sent for a tick still in flight.
	return <-r.done
}
