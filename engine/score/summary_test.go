package score

import (
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	m := time.Minute
	tests := []struct {
		name     string
		ds       []time.Duration
		censored []bool
		want     Summary
	}{
		{name: "none", want: Summary{}},
		{
			name: "one",
			ds:   []time.Duration{7 * m},
			want: Summary{N: 1, Median: 7 * m, P75: 7 * m, P90: 7 * m, Min: 7 * m, Max: 7 * m, Mean: 7 * m},
		},
		{
			// Even N: the median is the lower middle value, never 5m.
			name: "two",
			ds:   []time.Duration{6 * m, 4 * m},
			want: Summary{N: 2, Median: 4 * m, P75: 6 * m, P90: 6 * m, Min: 4 * m, Max: 6 * m, Mean: 5 * m},
		},
		{
			// Ranks ⌈0.5·10⌉ = 5, ⌈0.75·10⌉ = 8, ⌈0.9·10⌉ = 9; unsorted input.
			name:     "ten, two censored",
			ds:       []time.Duration{10 * m, 1 * m, 9 * m, 2 * m, 8 * m, 3 * m, 7 * m, 4 * m, 6 * m, 5 * m},
			censored: []bool{true, false, true},
			want:     Summary{N: 10, Median: 5 * m, P75: 8 * m, P90: 9 * m, Min: 1 * m, Max: 10 * m, Mean: 5*m + 30*time.Second, Censored: 2},
		},
		{
			// ⌈0.5·5⌉ = 3, ⌈0.75·5⌉ = 4, ⌈0.9·5⌉ = 5; extra censored flags ignored.
			name:     "five",
			ds:       []time.Duration{3 * m, 1 * m, 4 * m, 1 * m, 5 * m},
			censored: []bool{false, false, false, false, true, true, true},
			want:     Summary{N: 5, Median: 3 * m, P75: 4 * m, P90: 5 * m, Min: 1 * m, Max: 5 * m, Mean: 2*m + 48*time.Second, Censored: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]time.Duration(nil), tt.ds...)
			if got := Summarize(tt.ds, tt.censored); got != tt.want {
				t.Errorf("Summarize = %+v\nwant %+v", got, tt.want)
			}
			for i := range in {
				if in[i] != tt.ds[i] {
					t.Fatal("Summarize sorted its input in place")
				}
			}
		})
	}
}

// Three runs of the egress scenario: the full one, one that never
// validates restoration (restore censored at 85m), one without a fault.
func TestAggregate(t *testing.T) {
	var results []Result
	for _, s := range []story{full(), full().unvalidated()} {
		r, err := Measures(egress(), s.log())
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, r)
	}
	results = append(results, Result{Measures: []Measure{{Phase: PhaseRestore, Censored: true, NotApplicable: true}}})
	agg := Aggregate(results)
	if len(agg) != len(Phases()) {
		t.Fatalf("aggregate has %d phases, want %d", len(agg), len(Phases()))
	}
	want := map[Phase]Summary{
		PhaseDetect:  {N: 2, Median: mins(4), P75: mins(4), P90: mins(4), Min: mins(4), Max: mins(4), Mean: mins(4)},
		PhaseRestore: {N: 2, Median: mins(55), P75: mins(85), P90: mins(85), Min: mins(55), Max: mins(85), Mean: mins(70), Censored: 1},
	}
	for p, w := range want {
		if agg[p] != w {
			t.Errorf("%s = %+v\nwant %+v", p, agg[p], w)
		}
	}
	if got := Aggregate(nil)[PhaseFix]; got != (Summary{}) {
		t.Errorf("no runs: %+v, want the zero Summary", got)
	}
}
