package score

import (
	"reflect"
	"testing"

	"github.com/firedrill/firedrill/engine/scenario"
)

func TestTally(t *testing.T) {
	dims := func(ds ...DimensionScore) map[scenario.Dimension]DimensionScore {
		out := map[scenario.Dimension]DimensionScore{}
		for _, d := range ds {
			out[d.Dimension] = d
		}
		return out
	}
	tests := []struct {
		name    string
		ex      []Expectation
		ds      []Decision
		cs      []Check
		ps      []Penalty
		want    map[scenario.Dimension]DimensionScore // dimensions not named are all zero
		extra   []scenario.Dimension                  // after the standard ones, in order
		overall Total
	}{
		{name: "nothing"},
		{
			name: "expectations: earned against points, met or not",
			ex: []Expectation{
				{Dimension: scenario.DimTriage, Points: 20, Earned: 10},
				{Dimension: scenario.DimTriage, Points: 15},
				{Dimension: scenario.DimDetection, Points: 10, Earned: 10},
			},
			want: dims(
				DimensionScore{Dimension: scenario.DimTriage, Earned: 10, Total: Total{10, 35, 100 * 10.0 / 35}},
				DimensionScore{Dimension: scenario.DimDetection, Earned: 10, Total: Total{10, 10, 100}},
			),
			overall: Total{20, 45, 100 * 20.0 / 45},
		},
		{
			// A bad option takes points away; the floor is zero.
			name: "decisions and the floor",
			ex:   []Expectation{{Dimension: scenario.DimCoordination, Points: 10, Earned: 10}},
			ds: []Decision{
				{Dimension: scenario.DimCoordination, Earned: -15, Max: 10},
				{Dimension: scenario.DimCoordination, Earned: 10, Max: 10},
				{Dimension: scenario.DimCoordination}, // never offered
			},
			ps:      []Penalty{{Dimension: scenario.DimCoordination, Points: 10}},
			want:    dims(DimensionScore{Dimension: scenario.DimCoordination, Earned: 5, Penalties: 10, Total: Total{0, 30, 0}}),
			overall: Total{0, 30, 0},
		},
		{
			name: "checks in process, penalties off their own dimension only",
			cs: []Check{
				{Status: Passed, Points: 5, Max: 5}, {Status: Failed, Max: 5}, {Status: NotApplicable},
			},
			ps: []Penalty{{Dimension: scenario.DimProcess, Points: 2}, {Dimension: scenario.DimRecovery, Points: 10}},
			want: dims(
				DimensionScore{Dimension: scenario.DimProcess, Earned: 5, Penalties: 2, Total: Total{3, 10, 30}},
				DimensionScore{Dimension: scenario.DimRecovery, Penalties: 10},
			),
			overall: Total{3, 10, 30},
		},
		{
			name:    "a dimension of the scenario's own",
			ex:      []Expectation{{Dimension: "security", Points: 10, Earned: 4}, {Dimension: "", Points: 5, Earned: 5}},
			want:    dims(DimensionScore{Dimension: "security", Earned: 4, Total: Total{4, 10, 40}}, DimensionScore{Dimension: "", Earned: 5, Total: Total{5, 5, 100}}),
			extra:   []scenario.Dimension{"", "security"},
			overall: Total{9, 15, 60},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, overall := tally(tt.ex, tt.ds, tt.cs, tt.ps)
			order := append(append([]scenario.Dimension{}, scenario.Dimensions()...), tt.extra...)
			var want []DimensionScore
			for _, d := range order {
				w, ok := tt.want[d]
				if !ok {
					w = DimensionScore{Dimension: d}
				}
				want = append(want, w)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("dimensions:\n got %+v\nwant %+v", got, want)
			}
			if overall != tt.overall {
				t.Errorf("overall = %+v, want %+v", overall, tt.overall)
			}
		})
	}
}
