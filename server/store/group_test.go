package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestGroupCommit: many exercises commit at once, so the SQLite writer
// groups their ticks; one tick with a repeated seq fails alone, and the
// others are all stored.
func TestGroupCommit(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		const n = 40
		for i := range n {
			newExercise(t, s, fmt.Sprintf("g%02d", i))
		}
		// g00 already has events 1..3, and will be sent 3..5 again.
		ins, evs := tick(1, 1, 1, 3, 100)
		if err := s.Commit(ctx, "g00", ins, evs); err != nil {
			t.Fatal(err)
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in, ev := uint64(1), uint64(1)
				if i == 0 {
					in, ev = 2, 3
				}
				ins, evs := tick(in, 1, ev, 20, 300)
				errs[i] = s.Commit(ctx, fmt.Sprintf("g%02d", i), ins, evs)
			}()
		}
		wg.Wait()
		if !errors.Is(errs[0], ErrConflict) {
			t.Fatalf("the repeated seq: %v, want ErrConflict", errs[0])
		}
		for i := 1; i < n; i++ {
			if errs[i] != nil {
				t.Fatalf("g%02d: %v", i, errs[i])
			}
			if last, err := s.LastSeq(ctx, fmt.Sprintf("g%02d", i)); err != nil || last != 20 {
				t.Fatalf("g%02d: last seq %d, %v; want 20", i, last, err)
			}
		}
		if last, _ := s.LastSeq(ctx, "g00"); last != 3 {
			t.Fatalf("the failed tick left events: last seq %d, want 3", last)
		}
		if got, _ := s.Inputs(ctx, "g00"); len(got) != 1 {
			t.Fatalf("the failed tick left inputs: %d, want 1", len(got))
		}
	})
}

// TestGroupCommitStaleHeads: the writer keeps where each log ends in
// memory; when another process has written to the file meanwhile, the
// database's key still refuses the repeated seq with ErrConflict, and the
// writer reads the heads afresh for the next tick.
func TestGroupCommitStaleHeads(t *testing.T) {
	ctx := context.Background()
	dsn := sqliteDSN(t)
	a := openStore(t, dsn)
	newExercise(t, a, "ex1")
	if err := a.Commit(ctx, "ex1", nil, mkEvs(1, 2, 3)); err != nil {
		t.Fatal(err)
	}
	b := openStore(t, dsn)
	if err := b.Commit(ctx, "ex1", nil, mkEvs(4, 5)); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(ctx, "ex1", mkIns(1), mkEvs(4)); !errors.Is(err, ErrConflict) {
		t.Fatalf("a tick behind another writer's: %v, want ErrConflict", err)
	}
	if err := a.Commit(ctx, "ex1", mkIns(1), mkEvs(6)); err != nil {
		t.Fatalf("the next tick after the heads were read again: %v", err)
	}
	assertLog(t, a, "ex1", 1, 6)

	// A tick that continues the file's log, though a's cached heads say it
	// leaves a gap, is judged by the file.
	if err := b.Commit(ctx, "ex1", nil, mkEvs(7, 8)); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(ctx, "ex1", mkIns(2), mkEvs(9)); err != nil {
		t.Fatalf("a tick after another writer's, behind a's cached heads: %v", err)
	}
	assertLog(t, a, "ex1", 2, 9)
	// A real gap is still refused.
	if err := a.Commit(ctx, "ex1", nil, mkEvs(11)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a tick leaving a gap: %v, want ErrInvalid", err)
	}
}

// TestCloseDuringCommits: commits racing Close end with their outcome or
// ErrClosed, never a panic, and what was acknowledged is stored.
func TestCloseDuringCommits(t *testing.T) {
	dsn := sqliteDSN(t)
	s, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	for i := range n {
		newExercise(t, s, fmt.Sprintf("c%d", i))
	}
	acked := make([]uint64, n)
	var wg sync.WaitGroup
	started := make(chan struct{}, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := uint64(1); ; seq++ {
				err := s.Commit(context.Background(), fmt.Sprintf("c%d", i), nil, mkEvs(seq))
				if seq == 1 {
					started <- struct{}{}
				}
				if err != nil {
					if !errors.Is(err, ErrClosed) {
						t.Errorf("c%d seq %d: %v; want ErrClosed once the store closes", i, seq, err)
					}
					return
				}
				acked[i] = seq
			}
		}()
	}
	for range n {
		<-started
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	r := openStore(t, dsn)
	for i := range n {
		last, err := r.LastSeq(t.Context(), fmt.Sprintf("c%d", i))
		if err != nil || last < acked[i] {
			t.Errorf("c%d: stored up to %d (%v), but %d was acknowledged", i, last, err, acked[i])
		}
	}
}

// TestGroupCommitFallsBackTickByTick: when one tick of a batch trips the
// database's unique key (past the checks in memory), the batch is written
// again tick by tick behind savepoints: the others are stored, only that
// tick fails.
func TestGroupCommitFallsBackTickByTick(t *testing.T) {
	s := openStore(t, sqliteDSN(t))
	ctx := t.Context()
	for _, id := range []string{"a", "b", "c"} {
		newExercise(t, s, id)
	}
	if err := s.Commit(ctx, "b", nil, mkEvs(1, 2)); err != nil {
		t.Fatal(err)
	}
	batch := []*commitReq{
		{exerciseID: "a", events: mkEvs(1, 2), checkSeq: true},
		{exerciseID: "b", events: mkEvs(2, 3), checkSeq: false}, // 2 is stored already
		{exerciseID: "c", inputs: mkIns(1), events: mkEvs(1), checkSeq: true},
	}
	errs := make([]error, len(batch))
	for _, r := range batch {
		r.done = make(chan error, 1)
	}
	s.group.write(batch)
	for i, r := range batch {
		errs[i] = <-r.done
	}
	if errs[0] != nil || errs[2] != nil {
		t.Fatalf("the good ticks failed with the bad one: %v, %v", errs[0], errs[2])
	}
	if !errors.Is(mapError(errs[1]), ErrConflict) { // Commit maps the writer's errors
		t.Fatalf("the tick repeating a stored seq: %v, want ErrConflict", errs[1])
	}
	assertLog(t, s, "a", 0, 2)
	assertLog(t, s, "b", 0, 2)
	assertLog(t, s, "c", 1, 1)
}

// TestHeadsCacheBounded: the writer remembers the log heads of at most
// maxHeads exercises beyond the last batch's, and one it forgot commits as
// well as ever, its heads read again from the file.
func TestHeadsCacheBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t, sqliteDSN(t))
	s.group.maxHeads = 3
	const n = 10
	for i := range n {
		id := fmt.Sprintf("h%02d", i)
		newExercise(t, s, id)
		if err := s.Commit(ctx, id, mkIns(1), mkEvs(1, 2)); err != nil {
			t.Fatal(err)
		}
		// Commit returned after the writer's batch: it reads the cache
		// no more until the next commit.
		if got := len(s.group.heads); got > s.group.maxHeads {
			t.Fatalf("after %d exercises the writer caches %d heads, want at most %d", i+1, got, s.group.maxHeads)
		}
	}
	for i := range n {
		id := fmt.Sprintf("h%02d", i)
		if err := s.Commit(ctx, id, mkIns(2), mkEvs(3)); err != nil {
			t.Fatalf("%s, its heads forgotten: %v", id, err)
		}
		if err := s.Commit(ctx, id, nil, mkEvs(3)); !errors.Is(err, ErrConflict) {
			t.Fatalf("%s: a repeated seq: %v, want ErrConflict", id, err)
		}
		assertLog(t, s, id, 2, 3)
	}
}
