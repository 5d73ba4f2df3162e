package store

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
)

// maxGroup bounds how many exercises' ticks one transaction carries.
const maxGroup = 128

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
}

type commitReq struct {
	exerciseID string
	inputs     []Input
	events     []Event
	checkSeq   bool
	done       chan error
}

func startCommitter(s *Store) *committer {
	c := &committer{s: s, reqs: make(chan *commitReq, maxGroup)}
	c.wg.Add(1)
	go c.loop()
	return c
}

// stop finishes what is queued and ends the writer goroutine.
func (c *committer) stop() {
	close(c.reqs)
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

// write commits a batch. The context is the writer's own: a caller that
// gives up does not roll back the others' ticks.
func (c *committer) write(batch []*commitReq) {
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
	for i, r := range batch {
		if err != nil {
			errs[i] = err
		}
		r.done <- errs[i]
	}
}

// submit queues a tick and waits until it is durable or failed.
func (c *committer) submit(ctx context.Context, r *commitReq) error {
	r.done = make(chan error, 1)
	select {
	case c.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the tick will be written; wait for its outcome so an ack
	// is never sent for a tick still in flight.
	return <-r.done
}
