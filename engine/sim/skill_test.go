package sim

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/session"
)

// TestNovicesAreSlower: over 20 seeds, novices take longer to restore (or,
// in a discussion, to answer the last decision) than experts, and
// practiced bots sit in between.
func TestNovicesAreSlower(t *testing.T) {
	const seeds = 20
	for _, sc := range library(t) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			medians := map[bot.Skill]string{}
			var got []float64
			for _, skill := range []bot.Skill{bot.Expert, bot.Practiced, bot.Novice} {
				var times []time.Duration
				for seed := uint64(1); seed <= seeds; seed++ {
					x := run(t, sc, session.Options{Seed: seed, Skill: skill, EndOnRestore: true})
					times = append(times, finished(t, sc, x))
				}
				m := median(times)
				medians[skill] = m.String()
				got = append(got, m.Minutes())
			}
			t.Logf("median over %d seeds: expert %s, practiced %s, novice %s", seeds, medians[bot.Expert], medians[bot.Practiced], medians[bot.Novice])
			if !(got[0] < got[2]) || (!sc.Discussion && !(got[0] < got[1] && got[1] < got[2])) {
				t.Errorf("medians expert %s, practiced %s, novice %s: want expert < practiced < novice",
					medians[bot.Expert], medians[bot.Practiced], medians[bot.Novice])
			}
		})
	}
}
