package report

import (
	"github.com/firedrill/firedrill/engine/score"
)

// waterfall lays the phases out from impact to close: impact is t0, and
// each phase is the score's measure, from t0.
func waterfall(rep score.Report) []Bar {
	res := rep.Result
	out := []Bar{{Phase: "impact", Name: "impact starts", From: res.T0, To: res.T0, NotApplicable: !res.HasT0, Source: "score"}}
	for _, p := range score.Phases() {
		m, ok := res.Measure(p)
		if !ok {
			continue
		}
		out = append(out, Bar{
			Phase: string(p), Name: phaseName(p), From: res.T0, To: m.At, Duration: m.Duration,
			Censored: m.Censored, Par: m.Par, HasPar: m.HasPar, OverPar: overPar(m),
			NotApplicable: m.NotApplicable, Source: "score",
		})
	}
	return out
}
