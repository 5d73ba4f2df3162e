package report

import (
	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/score"
)

// waterfall lays the phases out from impact to close: impact is t0, each
// phase is the score's measure (from t0, or from detection for acknowledge
// and declare), and close is picked from the log, since engine/score has no
// close measure.
func waterfall(log []engine.Event, rep score.Report) []Bar {
	res := rep.Result
	out := []Bar{{Phase: "impact", Name: "impact starts", From: res.T0, To: res.T0, NotApplicable: !res.HasT0, Source: "score"}}
	var detectAt = res.T0
	if m, ok := res.Measure(score.PhaseDetect); ok {
		detectAt = m.At
	}
	for _, p := range score.Phases() {
		m, ok := res.Measure(p)
		if !ok {
			continue
		}
		from := res.T0
		if p == score.PhaseAcknowledge || p == score.PhaseDeclare {
			from = detectAt
		}
		out = append(out, Bar{
			Phase: string(p), Name: phaseName(p), From: from, To: m.At, Duration: m.Duration,
			Censored: m.Censored, Par: m.Par, HasPar: m.HasPar, OverPar: overPar(m),
			NotApplicable: m.NotApplicable, Source: "score",
		})
	}
	if b, ok := closeBar(log, res); ok {
		out = append(out, b)
	}
	return out
}

// closeBar is when the last incident record left the workflow: censored at
// the end when one was still open, absent when there was none.
func closeBar(log []engine.Event, res score.Result) (Bar, bool) {
	last := map[string]engine.Incident{}
	var order []string
	var closed = res.T0
	for _, e := range log {
		a, ok := data[engine.ActionData](e)
		if !ok || e.Kind != engine.KindAction {
			continue
		}
		for _, rc := range a.Records {
			inc := rc.Incident
			if inc == nil || inc.Class == engine.ClassServiceRequest {
				continue
			}
			if _, seen := last[inc.Number]; !seen {
				order = append(order, inc.Number)
			}
			last[inc.Number] = *inc
			if inc.State.Terminal() && e.At > closed {
				closed = e.At
			}
		}
	}
	if len(order) == 0 {
		return Bar{}, false
	}
	b := Bar{Phase: "close", Name: "time to close", From: res.T0, To: closed, Source: "log", NotApplicable: !res.HasT0}
	for _, n := range order {
		if last[n].Live() {
			b.To, b.Censored = res.End, true
			break
		}
	}
	b.Duration = max(0, b.To-b.From)
	return b, true
}
