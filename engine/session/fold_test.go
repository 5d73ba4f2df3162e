package session

import (
	"flag"
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/records"
)

// foldRuns is how many bot-driven runs TestFoldEqualsState plays across
// every built-in scenario and skill. The race detector makes a run ten
// times dearer, so `make test` plays a sample and CI plays the thousand
// without it (.ci/run).
var foldRuns = flag.Int("fold-runs", 1000, "runs of TestFoldEqualsState (a sample under the race detector)")

// TestFoldEqualsState: the log holds every change (ARCHITECTURE.md invariant 1).
// At every commit point of every run, folding the log so far gives exactly
// the records the exercise holds: every incident, incident alert, war
// room, task, problem, change, page and monitoring alert.
func TestFoldEqualsState(t *testing.T) {
	runs := *foldRuns
	if raceEnabled && runs > 75 {
		runs = 75
	}
	scs := library(t)
	skills := bot.Skills()
	combos := len(scs) * len(skills)
	played := 0
	for i := range runs {
		sc, skill := scs[i%len(scs)], skills[(i/len(scs))%len(skills)]
		seed := uint64(1 + i/combos)
		t.Run(fmt.Sprintf("%s/%s/%d", sc.Name, skill, seed), func(t *testing.T) {
			s, err := New(sc, Options{Seed: seed, Skill: skill, EndOnRestore: i%2 == 0})
			if err != nil {
				t.Fatal(err)
			}
			s.Start()
			fold := &records.State{}
			folded := 0
			check := func() {
				for _, e := range s.Log()[folded:] {
					fold.Apply(e)
				}
				folded = len(s.Log())
				if got := s.Exercise().Records(); !reflect.DeepEqual(got, fold) {
					diff := cmp.Diff(got, fold, cmpopts.EquateEmpty())
					t.Fatalf("at %v (event %d) the fold of the log differs from the exercise (-exercise +fold):\n%s", s.Now(), folded, diff)
				}
			}
			check()
			for !s.Exercise().Ended() {
				at, ok := s.NextAt()
				if !ok {
					break
				}
				s.step(at)
				check()
			}
			if len(fold.Incidents) == 0 && !sc.Discussion {
				t.Error("no incident was ever recorded: the check compared nothing")
			}
		})
		played++
	}
	t.Logf("%d runs over %d scenarios and %d skills", played, len(scs), len(skills))
}
