package store

import (
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
