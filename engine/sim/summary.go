package sim

import (
	"cmp"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
	"github.com/firedrill/firedrill/engine/score"
)

// The batch's statistics come from engine/score, the one home of the
// distributions and their bootstrap intervals (score.Distribute,
// score.SummarizeScores), so simulate and the review's trend give the same
// figures for the same runs. What sim adds is reading them over runs:
// censoring, hit rates and counts of what happened.

// PhaseStats is one phase over the runs it applies to.
type PhaseStats struct {
	Phase score.Phase `json:"phase"`
	score.Distribution
	// MedianLowerBound says the median is not a time the phase took but
	// where a run that never got there stopped: more than half the runs
	// were censored, or the median run was. The true median is at least
	// Median, and the interval is an interval of lower bounds.
	MedianLowerBound bool `json:"median_lower_bound"`
}

// ScoreStats is a score's percent over the runs.
type ScoreStats = score.ScoreDistribution

// DimensionStats is one scoring dimension's percent over the runs.
type DimensionStats struct {
	Dimension scenario.Dimension `json:"dimension"`
	ScoreStats
}

// ExpectationStats counts one expectation's verdicts over the runs.
type ExpectationStats struct {
	Name          string `json:"name"`
	Met           int    `json:"met"`
	NotMet        int    `json:"not_met"`
	NotApplicable int    `json:"not_applicable"`
	NotReached    int    `json:"not_reached"`
	// HitRate is Met ÷ runs; the runs it did not apply to or did not
	// reach are in the denominator and counted beside it.
	HitRate float64 `json:"hit_rate"`
}

// CauseStats counts what became of one root-cause fault over the runs.
type CauseStats struct {
	Fault      string `json:"fault"`
	Fixed      int    `json:"fixed"`
	Healed     int    `json:"healed"`
	Active     int    `json:"active"`
	NotStarted int    `json:"not_started"`
}

// InjectStats counts the runs in which one inject fired.
type InjectStats struct {
	Name  string `json:"name"`
	Fired int    `json:"fired"`
}

// DecisionStats counts how one decision went over the runs.
type DecisionStats struct {
	Name    string `json:"name"`
	Offered int    `json:"offered"`
	// Options has every option of the decision, in scenario order, with
	// the runs that took it; Unanswered counts runs where it was offered
	// and nobody answered.
	Options    []OptionCount `json:"options"`
	Unanswered int           `json:"unanswered"`
}

// OptionCount is how many runs took one option.
type OptionCount struct {
	Option string `json:"option"`
	Runs   int    `json:"runs"`
}

// summarize fills the batch's statistics from its runs, which are in seed
// order; nothing here depends on the order the runs finished in.
func (s *Simulation) summarize(sc *scenario.Scenario) {
	n := len(s.Runs)
	results := make([]score.Result, n)
	rooms := make([]int, n)
	overall := make([]float64, n)
	dims := map[scenario.Dimension][]float64{}
	var dimOrder []scenario.Dimension
	for i, r := range s.Runs {
		results[i] = r.Result
		rooms[i] = r.Result.WarRooms
		overall[i] = r.Overall.Percent
		for _, d := range r.Dimensions {
			if _, ok := dims[d.Dimension]; !ok {
				dimOrder = append(dimOrder, d.Dimension)
			}
			dims[d.Dimension] = append(dims[d.Dimension], d.Percent)
		}
	}
	s.Aggregate = score.Aggregate(results)
	s.WarRooms = summarizeInts(rooms)
	s.Maximum = score.Maximum(sc)
	s.Overall = score.SummarizeScores(overall)
	s.Dimensions = make([]DimensionStats, 0, len(dimOrder))
	for _, d := range dimOrder {
		s.Dimensions = append(s.Dimensions, DimensionStats{Dimension: d, ScoreStats: score.SummarizeScores(dims[d])})
	}
	s.Phases = phaseStats(s.Runs)
	s.Expectations = expectationStats(sc, s.Runs)
	s.Causes = causeStats(sc, s.Runs)
	s.Injects = injectStats(sc, s.Runs)
	s.Decisions = decisionStats(sc, s.Runs)
}

// phaseStats summarises every phase, leaving out the runs it does not
// apply to, as score.Aggregate does.
func phaseStats(runs []RunResult) []PhaseStats {
	out := make([]PhaseStats, 0, len(score.Phases()))
	for _, p := range score.Phases() {
		var ms []score.Measure
		for _, r := range runs {
			if m, ok := r.Result.Measure(p); ok && !m.NotApplicable {
				ms = append(ms, m)
			}
		}
		ds := make([]time.Duration, len(ms))
		cs := make([]bool, len(ms))
		for i, m := range ms {
			ds[i], cs[i] = m.Duration, m.Censored
		}
		st := PhaseStats{Phase: p, Distribution: score.Distribute(ds, cs)}
		st.MedianLowerBound = medianCensored(ms)
		out = append(out, st)
	}
	return out
}

// medianCensored says whether the nearest-rank median of ms (score's
// rank) is a censored run's time, or more than half the runs are
// censored. Ties put the runs where the phase happened first: a time some
// run really took is no lower bound.
func medianCensored(ms []score.Measure) bool {
	if len(ms) == 0 {
		return false
	}
	censored := 0
	for _, m := range ms {
		if m.Censored {
			censored++
		}
	}
	sorted := slices.Clone(ms)
	slices.SortStableFunc(sorted, func(a, b score.Measure) int {
		if c := cmp.Compare(a.Duration, b.Duration); c != 0 {
			return c
		}
		switch {
		case a.Censored == b.Censored:
			return 0
		case b.Censored:
			return -1
		}
		return 1
	})
	mid := (len(sorted) + 1) / 2 // ⌈N/2⌉, as score.Summarize ranks
	return 2*censored > len(ms) || sorted[mid-1].Censored
}

func expectationStats(sc *scenario.Scenario, runs []RunResult) []ExpectationStats {
	out := []ExpectationStats{}
	for i, x := range liveExpects(sc) {
		st := ExpectationStats{Name: x.Name}
		for _, r := range runs {
			switch r.Expectations[i].Verdict {
			case Met:
				st.Met++
			case NotMet:
				st.NotMet++
			case NotApplicable:
				st.NotApplicable++
			case NotReached:
				st.NotReached++
			}
		}
		if len(runs) > 0 {
			st.HitRate = float64(st.Met) / float64(len(runs))
		}
		out = append(out, st)
	}
	return out
}

func causeStats(sc *scenario.Scenario, runs []RunResult) []CauseStats {
	out := []CauseStats{}
	for i, f := range rootCauses(sc) {
		st := CauseStats{Fault: f.Name}
		for _, r := range runs {
			switch r.Causes[i].Outcome {
			case score.CauseFixed:
				st.Fixed++
			case score.CauseHealed:
				st.Healed++
			case score.CauseActive:
				st.Active++
			default:
				st.NotStarted++
			}
		}
		out = append(out, st)
	}
	return out
}

func injectStats(sc *scenario.Scenario, runs []RunResult) []InjectStats {
	out := []InjectStats{}
	for i, in := range liveInjects(sc) {
		st := InjectStats{Name: in.Name}
		for _, r := range runs {
			if r.Injects[i].Fired {
				st.Fired++
			}
		}
		out = append(out, st)
	}
	return out
}

func decisionStats(sc *scenario.Scenario, runs []RunResult) []DecisionStats {
	out := []DecisionStats{}
	for i, d := range liveDecisions(sc) {
		st := DecisionStats{Name: d.Name, Options: []OptionCount{}}
		index := map[string]int{}
		for _, o := range d.Options {
			if o != nil {
				index[o.Name] = len(st.Options)
				st.Options = append(st.Options, OptionCount{Option: o.Name})
			}
		}
		for _, r := range runs {
			t := r.Decisions[i]
			if !t.Offered {
				continue
			}
			st.Offered++
			if j, ok := index[t.Option]; ok {
				st.Options[j].Runs++
			} else {
				st.Unanswered++
			}
		}
		out = append(out, st)
	}
	return out
}
