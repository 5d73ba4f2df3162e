package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestTwoNodesOneLog: two servers sharing a database commit the next tick
// of one exercise at the same instant, round after round. Each round one
// of them stores its whole tick and the other hears ErrConflict; the log
// ends with no gap, and no tick is a mix of both.
func TestTwoNodesOneLog(t *testing.T) {
	t.Parallel()
	eachDSN(t, func(t *testing.T, _, dsn string) {
		ctx := t.Context()
		nodes := []*Store{openStore(t, dsn), openStore(t, dsn)}
		newExercise(t, nodes[0], "ex1")
		const rounds, perTick = 30, 3
		var winners []int
		for round := range rounds {
			in := uint64(round + 1)
			ev := uint64(round*perTick + 1)
			errs := make([]error, len(nodes))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, n := range nodes {
				ins, evs := tick(in, 1, ev, perTick, 80)
				ins[0].Action = fmt.Appendf(nil, `{"node":%d}`, i)
				for j := range evs {
					evs[j].Body = fmt.Appendf(nil, `{"node":%d,"seq":%d}`, i, evs[j].Seq)
				}
				wg.Go(func() {
					<-start
					errs[i] = n.Commit(ctx, "ex1", ins, evs)
				})
			}
			close(start)
			wg.Wait()
			won := -1
			for i, err := range errs {
				switch {
				case err == nil && won >= 0:
					t.Fatalf("round %d: both nodes stored seq %d", round, ev)
				case err == nil:
					won = i
				case !errors.Is(err, ErrConflict):
					t.Fatalf("round %d: node %d: %v, want success or ErrConflict", round, i, err)
				}
			}
			if won < 0 {
				t.Fatalf("round %d: neither node stored its tick: %v", round, errs)
			}
			winners = append(winners, won)
		}

		// Either node reads the same log: whole ticks, each from its
		// round's winner, inputs and events alike.
		for _, n := range nodes {
			assertLog(t, n, "ex1", rounds, rounds*perTick)
			evs, err := n.Events(ctx, "ex1", 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range evs {
				want := fmt.Sprintf(`{"node":%d,"seq":%d}`, winners[i/perTick], e.Seq)
				if string(e.Body) != want {
					t.Fatalf("event %d is %s, want %s (round %d's winner)", e.Seq, e.Body, want, i/perTick)
				}
			}
			ins, err := n.Inputs(ctx, "ex1")
			if err != nil {
				t.Fatal(err)
			}
			for i, in := range ins {
				if want := fmt.Sprintf(`{"node":%d}`, winners[i]); string(in.Action) != want {
					t.Fatalf("input %d is %s, want %s", in.Seq, in.Action, want)
				}
			}
		}
	})
}

// TestClaims: one store at a time holds an exercise's claim; giving it up,
// or closing the store, lets another take it. On PostgreSQL the claim is
// the database's: it holds across stores and goes with the session.
func TestClaims(t *testing.T) {
	t.Parallel()
	eachDSN(t, func(t *testing.T, backend, dsn string) {
		ctx := t.Context()
		a, other := openStore(t, dsn), openStore(t, dsn)
		claim := func(s *Store, id string, want bool) {
			t.Helper()
			got, err := s.Claim(ctx, id)
			if err != nil || got != want {
				t.Fatalf("Claim(%s) = %v, %v; want %v", id, got, err, want)
			}
		}
		claim(a, "ex1", true)
		claim(a, "ex1", false) // held already, by this very store
		claim(a, "ex2", true)
		if backend == DriverPostgres {
			claim(other, "ex1", false)
		}
		if err := a.Unclaim(ctx, "ex1"); err != nil {
			t.Fatal(err)
		}
		if err := a.Unclaim(ctx, "ex1"); err != nil {
			t.Fatalf("a second Unclaim: %v", err)
		}
		claim(other, "ex1", true)
		if backend != DriverPostgres {
			return // SQLite's claims are each store's own
		}
		claim(a, "ex1", false)

		// A store that closes, or whose session dies, frees its claims.
		third, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		claim(third, "ex3", true)
		claim(a, "ex3", false)
		if err := third.Close(); err != nil {
			t.Fatal(err)
		}
		claim(a, "ex3", true)
		var pid int
		if err := a.claims.conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
			t.Fatal(err)
		}
		// With a timeout, pg_terminate_backend waits for the session to end.
		if _, err := other.w.ExecContext(ctx, "SELECT pg_terminate_backend($1, 5000)", pid); err != nil {
			t.Fatal(err)
		}
		claim(other, "ex2", true) // a's session died with its locks
		if err := a.CheckClaims(ctx); err != nil {
			t.Fatalf("CheckClaims after the session died: %v", err)
		}
		claim(other, "ex3", false) // retaken by the check, before anyone else
		// a's next claim opens a new session, takes back what nobody
		// took meanwhile, and gives up what another store did.
		claim(a, "ex4", true)
		claim(other, "ex3", false)
		claim(a, "ex2", false)
		if a.claims.held["ex2"] {
			t.Fatal("a still counts ex2 as its own after another store took it")
		}
	})
}
