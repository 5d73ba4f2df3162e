package score

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// spread is n durations around centre, from a fixed source.
func spread(n int, centre, width time.Duration, seed uint64) []time.Duration {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = centre - width/2 + time.Duration(r.Int64N(int64(width)))
	}
	return out
}

func TestMedianCI(t *testing.T) {
	m := time.Minute
	tests := []struct {
		name string
		ds   []time.Duration
		want Interval
	}{
		{"none", nil, Interval{}},
		{"one", []time.Duration{7 * m}, Interval{7 * m, 7 * m}},
		{"all equal", []time.Duration{3 * m, 3 * m, 3 * m, 3 * m}, Interval{3 * m, 3 * m}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MedianCI(tt.ds); got != tt.want {
				t.Errorf("MedianCI = %+v, want %+v", got, tt.want)
			}
		})
	}
	t.Run("properties", func(t *testing.T) {
		ds := spread(40, 30*m, 20*m, 7)
		ci := MedianCI(ds)
		med := Summarize(ds, nil).Median
		sorted := slices.Sorted(slices.Values(ds))
		// Inside the data, around the median, and narrower than the range.
		if !(sorted[0] <= ci.Lo && ci.Lo <= med && med <= ci.Hi && ci.Hi <= sorted[len(sorted)-1]) || ci.Hi-ci.Lo >= sorted[len(sorted)-1]-sorted[0] {
			t.Errorf("interval %v–%v for median %v of %v–%v", ci.Lo, ci.Hi, med, sorted[0], sorted[len(sorted)-1])
		}
		// Both ends are durations a run had (nearest rank).
		if !slices.Contains(ds, ci.Lo) || !slices.Contains(ds, ci.Hi) {
			t.Errorf("interval %+v is not made of observed durations", ci)
		}
		// Seeded: the same set in any order gives the same interval.
		shuffled := slices.Clone(ds)
		rand.New(rand.NewPCG(9, 9)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if again := MedianCI(shuffled); again != ci {
			t.Errorf("shuffled: %+v, then %+v", ci, again)
		}
		if !slices.Equal(ds, spread(40, 30*m, 20*m, 7)) {
			t.Error("MedianCI changed its input")
		}
	})
}

func TestCompare(t *testing.T) {
	m := time.Minute
	slow := spread(30, 40*m, 10*m, 1)
	fast := spread(30, 20*m, 10*m, 2)
	alsoSlow := spread(30, 41*m, 10*m, 3)
	tests := []struct {
		name    string
		a, b    []time.Duration
		verdict Verdict
		overlap bool
	}{
		{"faster", slow, fast, Shorter, false},
		{"slower", fast, slow, Longer, false},
		{"the same within noise", slow, alsoSlow, NoDetectableChange, true},
		{"too few runs", slow[:2], fast[:2], TooFewRuns, false},
		{"nothing", nil, fast, TooFewRuns, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.a, tt.b)
			if c.Verdict != tt.verdict || c.Overlap != tt.overlap {
				t.Errorf("verdict %q overlap %v (a %+v, b %+v); want %q %v", c.Verdict, c.Overlap, c.A.MedianCI, c.B.MedianCI, tt.verdict, tt.overlap)
			}
			if c.A.N != len(tt.a) || c.B.N != len(tt.b) || c.Delta != c.B.Median-c.A.Median {
				t.Errorf("n %d/%d, delta %v", c.A.N, c.B.N, c.Delta)
			}
			if c.A.Summary != Summarize(tt.a, nil) || c.A.MedianCI != MedianCI(tt.a) {
				t.Errorf("A = %+v, not the summary and interval of a", c.A)
			}
		})
	}
	// Hand-checkable: no overlap between 1–5m and 11–15m; the verdict is
	// the same every time.
	a := []time.Duration{1 * m, 2 * m, 3 * m, 4 * m, 5 * m}
	b := []time.Duration{11 * m, 12 * m, 13 * m, 14 * m, 15 * m}
	c := Compare(a, b)
	if c.Verdict != Longer || c.Delta != 10*m || c.A.MedianCI.Hi > 5*m || c.B.MedianCI.Lo < 11*m {
		t.Errorf("1–5m vs 11–15m: %+v", c)
	}
	if again := Compare(a, b); !reflect.DeepEqual(again, c) {
		t.Error("Compare is not deterministic")
	}
	if _, err := json.Marshal(c); err != nil {
		t.Error(err)
	}
}

func TestAgainstReference(t *testing.T) {
	run, err := Measures(egress(), full().log())
	if err != nil {
		t.Fatal(err)
	}
	// The reference (expert bots) restored at 40m and never acknowledged.
	ref := Result{Measures: []Measure{
		{Phase: PhaseDetect, Duration: mins(2)},
		{Phase: PhaseAcknowledge, Duration: mins(85), Censored: true},
		{Phase: PhaseDeclare, Duration: mins(5)},
		{Phase: PhaseIdentify, Duration: mins(10)},
		{Phase: PhaseMitigate, Duration: mins(20)},
		{Phase: PhaseRestore, Duration: mins(40)},
	}}
	got := AgainstReference(run, ref)
	want := []PhaseDelta{
		{Phase: PhaseDetect, Run: mins(4), Ref: mins(2), Delta: mins(2), Par: mins(5), HasPar: true},
		{Phase: PhaseAcknowledge, Run: mins(15), Ref: mins(85), Delta: -mins(70), RefCensored: true, Par: mins(5), HasPar: true},
		{Phase: PhaseDeclare, Run: mins(9), Ref: mins(5), Delta: mins(4)},
		{Phase: PhaseIdentify, Run: mins(20), Ref: mins(10), Delta: mins(10), Par: mins(20), HasPar: true},
		{Phase: PhaseMitigate, Run: mins(29), Ref: mins(20), Delta: mins(9)},
		// The reference lacks the fix: not compared.
		{Phase: PhaseFix, Run: mins(45), NotApplicable: true},
		{Phase: PhaseRestore, Run: mins(55), Ref: mins(40), Delta: mins(15), Par: mins(45), HasPar: true},
		{Phase: PhaseClose, Run: mins(85), RunCensored: true, NotApplicable: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("against reference:\n got %+v\nwant %+v", got, want)
	}
	// A discussion run has nothing to compare.
	na, err := Measures(egress(), story{end: mins(30), noTicks: true}.log())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range AgainstReference(na, run) {
		if !d.NotApplicable || d.Delta != 0 {
			t.Errorf("%s: %+v, want not applicable", d.Phase, d)
		}
	}
}

func TestAggregateCI(t *testing.T) {
	var results []Result
	for _, s := range []story{full(), full().unvalidated()} {
		r, err := Measures(egress(), s.log())
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, r)
	}
	agg := AggregateCI(results)
	plain := Aggregate(results)
	for _, p := range Phases() {
		if agg[p].Summary != plain[p] {
			t.Errorf("%s: %+v, not Aggregate's %+v", p, agg[p].Summary, plain[p])
		}
	}
	// Restore: 55m and 85m (censored).
	if ci := agg[PhaseRestore].MedianCI; ci.Lo != mins(55) || ci.Hi != mins(85) {
		t.Errorf("restore interval %+v, want 55m–85m", ci)
	}
	if d := AggregateCI(nil)[PhaseFix]; d != (Distribution{}) {
		t.Errorf("no runs: %+v", d)
	}
}

func TestSummarizeScores(t *testing.T) {
	got := SummarizeScores([]float64{90, 50, 70, 60, 80})
	want := ScoreDistribution{N: 5, Median: 70, P75: 80, P90: 90, Min: 50, Max: 90, Mean: 70}
	ci := got.MedianCI
	got.MedianCI = [2]float64{}
	if got != want {
		t.Errorf("SummarizeScores = %+v, want %+v", got, want)
	}
	if ci[0] < 50 || ci[0] > 70 || ci[1] < 70 || ci[1] > 90 {
		t.Errorf("median interval %v", ci)
	}
	if (SummarizeScores(nil) != ScoreDistribution{}) {
		t.Error("no scores: not the zero distribution")
	}
}

func TestAggregateReports(t *testing.T) {
	sc := drill(t)
	a := mustScore(t, sc, drillStory().log())
	b := mustScore(t, sc, proxyOutage().log())
	runs := AggregateReports([]Report{a, b, a})
	if runs.N != 3 || runs.Overall.N != 3 || runs.Overall.Max != a.Overall.Percent || runs.Overall.Min != b.Overall.Percent {
		t.Errorf("overall = %+v (a %v, b %v)", runs.Overall, a.Overall.Percent, b.Overall.Percent)
	}
	if d := runs.Dimensions["process"]; d.N != 3 || d.Median != a.Dimensions[5].Percent {
		t.Errorf("process = %+v", d)
	}
	if runs.Phases[PhaseRestore].N != 3 {
		t.Errorf("restore = %+v", runs.Phases[PhaseRestore])
	}
	if _, err := json.Marshal(runs); err != nil {
		t.Error(err)
	}
}
