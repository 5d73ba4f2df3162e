package score

import (
	"maps"
	"slices"

	"github.com/firedrill/firedrill/engine/scenario"
)

// Scoring says in a sentence or three how points are counted, for the
// review to print beside the scores: the one wording of the rules below.
const Scoring = "The maximum is the scenario's, the same for every run, so scores compare across runs. " +
	"An expectation, decision or process check the run gave no occasion for (its condition never applied, the decision was never offered, the contact never came) earns its full points; " +
	"an expectation whose window the exercise ended before earns what meeting it at the end would have, so finishing early never costs points. " +
	"Verdicts are decided once, from the whole log, after the exercise ended."

// Total is points out of a maximum.
type Total struct {
	Points float64 `json:"points"`
	Max    float64 `json:"max"`
	// Percent is 100 × Points ÷ Max, 0 when Max is 0. Max is the
	// scenario's, the same for every run, so runs compare by Points and by
	// Percent alike.
	Percent float64 `json:"percent"`
}

func total(points, maximum float64) Total {
	t := Total{Points: points, Max: maximum}
	if maximum > 0 {
		t.Percent = 100 * points / maximum
	}
	return t
}

// DimensionScore is one scoring dimension. What counts where:
//
//   - expectations: their Earned in their own dimension; their Points
//     (when positive) in its maximum, met or not;
//   - decisions: their Earned in DecisionDimension (coordination), which
//     a bad option makes negative; their Max (the best option's score,
//     offered or not) in its maximum;
//   - compliance checks: CheckPoints each in process when passed or not
//     applicable; every planned check (Planned) adds CheckPoints to the
//     process maximum;
//   - penalties: their Points off their dimension (see PenaltyKind).
//
// Points = max(0, Earned − Penalties): a dimension never goes below zero,
// so one dimension's mistakes do not eat another's credit.
type DimensionScore struct {
	Dimension scenario.Dimension `json:"dimension"`
	// Earned is expectations, decisions and checks together, before
	// penalties.
	Earned    float64 `json:"earned"`
	Penalties float64 `json:"penalties"`
	Total
}

// tally works out the dimension scores and the overall score. Every
// dimension of scenario.Dimensions is present, in that order; a dimension
// the scenario made up follows, by name.
func tally(ex []Expectation, ds []Decision, cs []Check, ps []Penalty) ([]DimensionScore, Total) {
	type acc struct{ earned, penalty, max float64 }
	by := map[scenario.Dimension]*acc{}
	get := func(d scenario.Dimension) *acc {
		if by[d] == nil {
			by[d] = &acc{}
		}
		return by[d]
	}
	for _, d := range scenario.Dimensions() {
		get(d)
	}
	for _, e := range ex {
		a := get(e.Dimension)
		a.earned += e.Earned
		a.max += max(e.Points, 0)
	}
	for _, d := range ds {
		a := get(d.Dimension)
		a.earned += d.Earned
		a.max += d.Max
	}
	for _, c := range cs {
		a := get(scenario.DimProcess)
		a.earned += c.Points
		a.max += c.Max
	}
	for _, p := range ps {
		get(p.Dimension).penalty += p.Points
	}
	order := slices.Clone(scenario.Dimensions())
	for _, d := range slices.Sorted(maps.Keys(by)) {
		if !slices.Contains(order, d) {
			order = append(order, d)
		}
	}
	out := make([]DimensionScore, 0, len(order))
	var points, maximum float64
	for _, d := range order {
		a := by[d]
		ds := DimensionScore{Dimension: d, Earned: a.earned, Penalties: a.penalty,
			Total: total(max(0, a.earned-a.penalty), a.max)}
		points += ds.Points
		maximum += ds.Max
		out = append(out, ds)
	}
	return out, total(points, maximum)
}

// Maximum is the most a run of the scenario can score, overall: a
// property of the scenario, the same for every run (see DimensionScore).
func Maximum(sc *scenario.Scenario) float64 {
	var m float64
	for _, x := range sc.Expects {
		if x != nil {
			m += max(x.Points, 0)
		}
	}
	for _, d := range sc.Decisions {
		if d != nil {
			_, best := bestOption(d)
			m += max(best, 0)
		}
	}
	return m + float64(len(Planned(sc)))*CheckPoints
}
