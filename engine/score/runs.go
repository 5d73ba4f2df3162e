package score

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"time"
)

// Bootstrap settings. The resampling is seeded and fixed, so the same
// durations always give the same interval, in any order.
const (
	// BootstrapResamples is how many resamples estimate an interval.
	BootstrapResamples = 2000
	// BootstrapLevel is the confidence level of the intervals: the
	// 2.5th and 97.5th percentiles (nearest rank) of the resampled
	// medians.
	BootstrapLevel = 0.95
	// MinRunsToCompare is the fewest runs on each side for Compare to
	// give a verdict: with fewer, the interval is little more than the
	// runs themselves.
	MinRunsToCompare = 3
)

// bootstrapSeed seeds the resampling (PCG's two words).
const bootstrapSeed1, bootstrapSeed2 = 0xf12ed1, 0x5c0e

// Interval is a confidence interval.
type Interval struct {
	Lo time.Duration `json:"lo"`
	Hi time.Duration `json:"hi"`
}

// Distribution is a Summary with a bootstrap confidence interval for its
// median (incident-lifecycle.md, 5.4: show n, median, p75, p90, the range
// and intervals, and say "no detectable change" when intervals overlap).
type Distribution struct {
	Summary
	// MedianCI is the BootstrapLevel interval of the median: the zero
	// Interval without durations.
	MedianCI Interval `json:"median_ci"`
}

// Distribute summarises durations (see Summarize) and adds the bootstrap
// interval of the median.
func Distribute(ds []time.Duration, censored []bool) Distribution {
	return Distribution{Summary: Summarize(ds, censored), MedianCI: MedianCI(ds)}
}

// MedianCI is the bootstrap interval of the median of ds: BootstrapResamples
// resamples with replacement, each one's nearest-rank median (as Summary's),
// and the percentiles of those medians at BootstrapLevel. It does not
// depend on the order of ds.
func MedianCI(ds []time.Duration) Interval {
	lo, hi := bootstrapMedian(ds)
	return Interval{Lo: lo, Hi: hi}
}

func bootstrapMedian[T cmp.Ordered](xs []T) (lo, hi T) {
	n := len(xs)
	if n == 0 {
		return lo, hi
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	rng := rand.New(rand.NewPCG(bootstrapSeed1, bootstrapSeed2))
	mid := (n + 1) / 2 // the nearest rank of the median, ⌈N/2⌉
	counts := make([]int, n)
	medians := make([]T, BootstrapResamples)
	for r := range medians {
		clear(counts)
		for range n {
			counts[rng.IntN(n)]++
		}
		// Drawing indexes of the sorted values, the median is where the
		// running count reaches its rank.
		seen := 0
		for i, c := range counts {
			seen += c
			if seen >= mid {
				medians[r] = sorted[i]
				break
			}
		}
	}
	slices.Sort(medians)
	return quantile(medians, ciLow), quantile(medians, ciHigh)
}

// The BootstrapLevel interval's ends, in thousandths, so that no float
// rounding moves a rank.
const ciLow, ciHigh = 25, 975

// quantile is the nearest-rank quantile of sorted (non-empty) values at
// perMille thousandths: the value at rank ⌈perMille × N / 1000⌉.
func quantile[T cmp.Ordered](sorted []T, perMille int) T {
	r := (perMille*len(sorted) + 999) / 1000
	return sorted[min(max(r, 1), len(sorted))-1]
}

// AggregateCI is Aggregate with the median's interval for each phase.
func AggregateCI(results []Result) map[Phase]Distribution {
	ds, cs := phaseDurations(results)
	out := make(map[Phase]Distribution, len(Phases()))
	for _, p := range Phases() {
		out[p] = Distribute(ds[p], cs[p])
	}
	return out
}

// Verdict is Compare's plain-language answer.
type Verdict string

const (
	// NoDetectableChange: the medians' intervals overlap.
	NoDetectableChange Verdict = "no detectable change"
	// Shorter and Longer: b's median interval lies wholly below (above)
	// a's; for times, shorter is better.
	Shorter Verdict = "shorter"
	Longer  Verdict = "longer"
	// TooFewRuns: a side has fewer than MinRunsToCompare durations.
	TooFewRuns Verdict = "too few runs"
)

// Comparison sets two sets of durations side by side: a phase over two
// batches of runs, two teams, before and after a change.
type Comparison struct {
	A Distribution `json:"a"`
	B Distribution `json:"b"`
	// Delta is B's median minus A's.
	Delta time.Duration `json:"delta"`
	// Overlap says the medians' intervals overlap.
	Overlap bool    `json:"overlap"`
	Verdict Verdict `json:"verdict"`
}

// Compare compares two sets of durations by their medians' bootstrap
// intervals: overlapping intervals are "no detectable change" (Davidovič,
// Incident Metrics in SRE: real changes are hard to see in incident
// durations, and a difference of medians alone is not evidence).
func Compare(a, b []time.Duration) Comparison {
	c := Comparison{A: Distribute(a, nil), B: Distribute(b, nil)}
	c.Delta = c.B.Median - c.A.Median
	c.Overlap = c.A.MedianCI.Lo <= c.B.MedianCI.Hi && c.B.MedianCI.Lo <= c.A.MedianCI.Hi
	switch {
	case len(a) < MinRunsToCompare || len(b) < MinRunsToCompare:
		c.Verdict = TooFewRuns
	case c.Overlap:
		c.Verdict = NoDetectableChange
	case c.B.MedianCI.Hi < c.A.MedianCI.Lo:
		c.Verdict = Shorter
	default:
		c.Verdict = Longer
	}
	return c
}

// PhaseDelta is one phase of a run beside the scenario's reference run
// (expert bots): a paired, like-with-like comparison.
type PhaseDelta struct {
	Phase Phase         `json:"phase"`
	Run   time.Duration `json:"run"`
	Ref   time.Duration `json:"ref"`
	// Delta is Run − Ref: positive when the run was slower. When the run
	// is censored it is a lower bound; when the reference is, an upper
	// one.
	Delta       time.Duration `json:"delta"`
	RunCensored bool          `json:"run_censored"`
	RefCensored bool          `json:"ref_censored"`
	// NotApplicable: the phase does not apply to one of the runs (no root
	// cause) or one lacks it; the durations are then not compared and
	// Delta is 0.
	NotApplicable bool `json:"not_applicable,omitempty"`
	// Par is the scenario's target for the phase, from the run.
	Par    time.Duration `json:"par,omitempty"`
	HasPar bool          `json:"has_par"`
}

// AgainstReference compares a run with the reference run phase by phase,
// in Phases order.
func AgainstReference(run, ref Result) []PhaseDelta {
	out := make([]PhaseDelta, 0, len(Phases()))
	for _, p := range Phases() {
		d := PhaseDelta{Phase: p}
		m, okRun := run.Measure(p)
		r, okRef := ref.Measure(p)
		if okRun {
			d.Run, d.RunCensored, d.Par, d.HasPar = m.Duration, m.Censored, m.Par, m.HasPar
		}
		if okRef {
			d.Ref, d.RefCensored = r.Duration, r.Censored
		}
		if !okRun || !okRef || m.NotApplicable || r.NotApplicable {
			d.NotApplicable = true
		} else {
			d.Delta = d.Run - d.Ref
		}
		out = append(out, d)
	}
	return out
}

// ScoreDistribution is the distribution of a score (Total.Percent) over
// runs, like Summary for durations: nearest-rank percentiles, the mean, and
// the median's bootstrap interval.
type ScoreDistribution struct {
	N        int        `json:"n"`
	Median   float64    `json:"median"`
	P75      float64    `json:"p75"`
	P90      float64    `json:"p90"`
	Min      float64    `json:"min"`
	Max      float64    `json:"max"`
	Mean     float64    `json:"mean"`
	MedianCI [2]float64 `json:"median_ci"`
}

// SummarizeScores summarises scores over runs.
func SummarizeScores(xs []float64) ScoreDistribution {
	d := ScoreDistribution{N: len(xs)}
	if d.N == 0 {
		return d
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	var sum float64
	for _, x := range sorted {
		sum += x
	}
	d.Min, d.Max, d.Mean = sorted[0], sorted[d.N-1], sum/float64(d.N)
	d.Median, d.P75, d.P90 = quantile(sorted, 500), quantile(sorted, 750), quantile(sorted, 900)
	d.MedianCI[0], d.MedianCI[1] = bootstrapMedian(sorted)
	return d
}

// Runs is a batch of reports of one scenario (or one team) summarised:
// each phase's distribution and the overall and per-dimension scores'.
type Runs struct {
	N          int                          `json:"n"`
	Phases     map[Phase]Distribution       `json:"phases"`
	Overall    ScoreDistribution            `json:"overall"`
	Dimensions map[string]ScoreDistribution `json:"dimensions"`
}

// AggregateReports summarises reports of runs: the phases as AggregateCI,
// the scores by their Percent.
func AggregateReports(reps []Report) Runs {
	out := Runs{N: len(reps), Dimensions: map[string]ScoreDistribution{}}
	results := make([]Result, len(reps))
	var overall []float64
	dims := map[string][]float64{}
	for i, r := range reps {
		results[i] = r.Result
		overall = append(overall, r.Overall.Percent)
		for _, d := range r.Dimensions {
			dims[string(d.Dimension)] = append(dims[string(d.Dimension)], d.Percent)
		}
	}
	out.Phases = AggregateCI(results)
	out.Overall = SummarizeScores(overall)
	for d, xs := range dims {
		out.Dimensions[d] = SummarizeScores(xs)
	}
	return out
}
