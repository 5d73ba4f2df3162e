package score

import (
	"slices"
	"time"
)

// Summary is the distribution of one measure over runs. Following the
// critique of MTTx (incident-lifecycle.md, 5.3), reports show it as a
// distribution with its N, never as a bare mean.
type Summary struct {
	N int `json:"n"`
	// Median, P75 and P90 are nearest-rank percentiles: the value at rank
	// ⌈p/100 × N⌉ of the sorted durations. Nearest rank never interpolates,
	// so every figure is a duration some run actually had; the median of an
	// even N is the lower of the two middle values.
	Median time.Duration `json:"median"`
	P75    time.Duration `json:"p75"`
	P90    time.Duration `json:"p90"`
	Min    time.Duration `json:"min"`
	Max    time.Duration `json:"max"`
	// Mean is the MTTx figure, for beside the distribution.
	Mean time.Duration `json:"mean"`
	// Censored counts the runs in which the phase never ended. Their
	// durations (up to the end of the exercise) are included as they are,
	// so with Censored > 0 every figure is a lower bound.
	Censored int `json:"censored"`
}

// Summarize summarises durations; censored[i] says ds[i] was censored. A
// censored slice shorter than ds leaves the rest uncensored; extra entries
// are ignored. No durations give the zero Summary.
func Summarize(ds []time.Duration, censored []bool) Summary {
	s := Summary{N: len(ds)}
	if s.N == 0 {
		return s
	}
	for i := range ds {
		if i < len(censored) && censored[i] {
			s.Censored++
		}
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	var sum time.Duration
	for _, d := range sorted {
		sum += d
	}
	s.Min, s.Max = sorted[0], sorted[s.N-1]
	s.Median, s.P75, s.P90 = rank(sorted, 50), rank(sorted, 75), rank(sorted, 90)
	s.Mean = sum / time.Duration(s.N)
	return s
}

// rank is the nearest-rank p-th percentile of sorted (non-empty), in
// integers so no rounding can move it.
func rank(sorted []time.Duration, p int) time.Duration {
	r := (p*len(sorted) + 99) / 100 // ⌈p × N / 100⌉
	return sorted[max(r, 1)-1]
}

// Aggregate summarises each phase over runs of a scenario. Every phase has
// an entry; measures that are NotApplicable (a run without a root-cause
// fault) are left out rather than counted as censored, since there was
// nothing to detect.
func Aggregate(results []Result) map[Phase]Summary {
	ds, cs := phaseDurations(results)
	out := make(map[Phase]Summary, len(Phases()))
	for _, p := range Phases() {
		out[p] = Summarize(ds[p], cs[p])
	}
	return out
}

// phaseDurations collects each phase's durations over runs, with whether
// each was censored; measures that do not apply are left out.
func phaseDurations(results []Result) (map[Phase][]time.Duration, map[Phase][]bool) {
	ds := map[Phase][]time.Duration{}
	cs := map[Phase][]bool{}
	for _, r := range results {
		for _, m := range r.Measures {
			if m.NotApplicable {
				continue
			}
			ds[m.Phase] = append(ds[m.Phase], m.Duration)
			cs[m.Phase] = append(cs[m.Phase], m.Censored)
		}
	}
	return ds, cs
}
