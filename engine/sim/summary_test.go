package sim

import (
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine/bot"
	"github.com/firedrill/firedrill/engine/score"
)

// TestSummaryWorkersAndSeed: the whole document — runs, distributions,
// intervals, counts — is the same whatever the number of workers, and
// a batch is the same batch when run again.
func TestSummaryWorkersAndSeed(t *testing.T) {
	sc := flawed(t)
	tests := []struct {
		name     string
		a, b     SimOptions
		wantSame bool
	}{
		{"one worker or four", SimOptions{Runs: 6, Seed: 4, Skill: bot.Novice, Workers: 1}, SimOptions{Runs: 6, Seed: 4, Skill: bot.Novice, Workers: 4}, true},
		{"again", SimOptions{Runs: 6, Seed: 4, Skill: bot.Practiced}, SimOptions{Runs: 6, Seed: 4, Skill: bot.Practiced}, true},
		{"another seed", SimOptions{Runs: 6, Seed: 4, Skill: bot.Novice}, SimOptions{Runs: 6, Seed: 40, Skill: bot.Novice}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustJSON(t, simulate(t, sc, tt.a)), mustJSON(t, simulate(t, sc, tt.b))
			if (a == b) != tt.wantSame {
				t.Fatalf("documents equal: %v, want %v", a == b, tt.wantSame)
			}
		})
	}
}

// TestSummaryCounts: every count adds up to the runs, and the hit rate is
// met ÷ runs with not applicable counted beside it.
func TestSummaryCounts(t *testing.T) {
	sc := flawed(t)
	const runs = 6
	s := simulate(t, sc, SimOptions{Runs: runs, Seed: 1, Skill: bot.Novice})
	for _, e := range s.Expectations {
		if e.Met+e.NotMet+e.NotApplicable+e.NotReached != runs || e.HitRate != float64(e.Met)/runs {
			t.Errorf("expectation %+v: counts do not add up to %d runs", e, runs)
		}
	}
	for _, c := range s.Causes {
		if c.Fixed+c.Healed+c.Active+c.NotStarted != runs {
			t.Errorf("cause %+v: counts do not add up to %d runs", c, runs)
		}
	}
	if got := mustJSON(t, s.Causes); got != mustJSON(t, []CauseStats{
		{Fault: "bad-deploy", Fixed: runs}, {Fault: "sleeper", NotStarted: runs}, {Fault: "flap", Healed: runs},
	}) {
		t.Errorf("causes %s", got)
	}
	if got := mustJSON(t, s.Injects); got != mustJSON(t, []InjectStats{{Name: "call", Fired: runs}, {Name: "never"}}) {
		t.Errorf("injects %s", got)
	}
	for _, d := range s.Decisions {
		taken := d.Unanswered
		for _, o := range d.Options {
			taken += o.Runs
		}
		if taken != d.Offered {
			t.Errorf("decision %+v: options taken and unanswered add to %d, offered %d", d, taken, d.Offered)
		}
	}
	if s.Overall.N != runs || s.Overall.MedianCI[0] > s.Overall.Median || s.Overall.Median > s.Overall.MedianCI[1] {
		t.Errorf("overall %+v: want %d runs and the median inside its interval", s.Overall, runs)
	}
	if len(s.Phases) != len(score.Phases()) {
		t.Fatalf("%d phases, want %d", len(s.Phases), len(score.Phases()))
	}
	for _, p := range s.Phases {
		if p.Summary != s.Aggregate[p.Phase] {
			t.Errorf("%s: phases say %+v, aggregate %+v", p.Phase, p.Summary, s.Aggregate[p.Phase])
		}
		if p.N > 0 && (p.MedianCI.Lo > p.Median || p.Median > p.MedianCI.Hi) {
			t.Errorf("%s: median %s outside its interval %v", p.Phase, p.Median, p.MedianCI)
		}
	}
}

func TestMedianCensored(t *testing.T) {
	m := func(minutes int, censored bool) score.Measure {
		return score.Measure{Duration: time.Duration(minutes) * time.Minute, Censored: censored}
	}
	tests := []struct {
		name string
		ms   []score.Measure
		want bool
	}{
		{"none", nil, false},
		{"all happened", []score.Measure{m(5, false), m(7, false), m(9, false)}, false},
		{"half censored at the end: the median happened", []score.Measure{m(5, false), m(7, false), m(90, true), m(90, true)}, false},
		{"more than half censored", []score.Measure{m(5, false), m(90, true), m(90, true)}, true},
		{"the median run was censored early", []score.Measure{m(5, false), m(20, true), m(60, false)}, true},
		{"a tie with a run that happened is no bound", []score.Measure{m(5, false), m(20, true), m(20, false), m(60, false)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := medianCensored(tt.ms); got != tt.want {
				t.Fatalf("medianCensored = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCensoredPhaseIsLowerBound: with novices, whose runs end at the
// exercise's length before anyone closes every incident, the close median
// is the length of the exercise and must say it is only a lower bound.
func TestCensoredPhaseIsLowerBound(t *testing.T) {
	sc := load(t, "ransomware-file-share")
	s := simulate(t, sc, SimOptions{Runs: 3, Seed: 1, Skill: bot.Novice})
	for _, p := range s.Phases {
		if 2*p.Censored > p.N && !p.MedianLowerBound {
			t.Errorf("%s: %d of %d runs censored, median %s not marked a lower bound", p.Phase, p.Censored, p.N, p.Median)
		}
	}
	if p := s.Phases[len(s.Phases)-1]; p.Phase != score.PhaseClose || !p.MedianLowerBound {
		t.Errorf("close %+v: want a lower bound", p)
	}
}
