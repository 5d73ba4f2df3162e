package store

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkCommit measures one tick as the server writes it: one input and
// the twenty ~300-byte events it caused, durable on return.
func BenchmarkCommit(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			s := openStore(b, be.dsn(b))
			newExercise(b, s, "ex1")
			const events = 20
			// Build the ticks up front so the loop times the store only.
			type tk struct {
				ins []Input
				evs []Event
			}
			ticks := make([]tk, b.N)
			for i := range ticks {
				ins, evs := tick(uint64(i)+1, 1, uint64(i)*events+1, events, 300)
				ticks[i] = tk{ins, evs}
			}
			ctx := b.Context()
			b.SetBytes(events * 300)
			b.ResetTimer()
			for i := range b.N {
				if err := s.Commit(ctx, "ex1", ticks[i].ins, ticks[i].evs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCommitMany is the load of a busy server: 100 exercises, each
// committing ticks of one 300-byte event, all at once; group commit is what
// keeps up. ns/op is per tick.
func BenchmarkCommitMany(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			s := openStore(b, be.dsn(b))
			const exercises = 100
			for x := range exercises {
				newExercise(b, s, fmt.Sprintf("ex%d", x))
			}
			ctx := b.Context()
			var next atomic.Int64
			b.SetBytes(300)
			b.ResetTimer()
			var wg sync.WaitGroup
			for x := range exercises {
				wg.Go(func() {
					id := fmt.Sprintf("ex%d", x)
					for seq := uint64(1); next.Add(1) <= int64(b.N); seq++ {
						_, evs := tick(0, 0, seq, 1, 300)
						if err := s.Commit(ctx, id, nil, evs); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
		})
	}
}
