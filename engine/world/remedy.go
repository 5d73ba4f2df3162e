package world

import (
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

type remedy struct {
	sc       *scenario.Remedy
	svc      int   // -1: none or unknown
	triggers []int // faults a harmful remedy starts
}

// spike is the extra error rate a harmful remedy puts on a service.
type spike struct {
	svc         int
	from, until time.Duration
	rate        float64
}

func (w *World) buildRemedies() {
	for _, r := range w.sc.Remedies {
		if r == nil {
			continue
		}
		if _, dup := w.remedyIdx[r.Name]; dup {
			continue
		}
		rm := &remedy{sc: r, svc: -1}
		if i, ok := w.serviceIdx[r.Service.Name]; ok {
			rm.svc = i
		}
		for _, t := range r.Triggers {
			if i, ok := w.faultIdx[t.Name]; ok {
				rm.triggers = append(rm.triggers, i)
			}
		}
		w.remedyIdx[r.Name] = len(w.remedies)
		w.remedies = append(w.remedies, rm)
	}
	for _, f := range w.faults {
		f.mitigates = w.remedyIndices(f.sc.MitigatedBy)
		f.fixes = w.remedyIndices(f.sc.FixedBy)
		for _, r := range f.sc.ReducedBy {
			// A share validation would refuse must not amplify a fault or
			// poison its samples: none (NaN, 0 or less) is ignored, more
			// than all is all.
			if i, ok := w.remedyIdx[r.Remedy.Name]; ok && r.By > 0 {
				r.By = min(r.By, 1)
				f.reducers = append(f.reducers, reducer{idx: i, Reduction: r})
			}
		}
	}
}

func (w *World) remedyIndices(refs []scenario.Ref) []int {
	var out []int
	for _, r := range refs {
		if i, ok := w.remedyIdx[r.Name]; ok {
			out = append(out, i)
		}
	}
	return out
}

// ApplyRemedy starts applying a remedy at virtual time at. It completes
// after the remedy's Takes, at completesAt; then it fixes each active fault
// whose FixedBy lists it, mitigates each active fault whose MitigatedBy
// lists it, reduces each active, unmitigated fault whose ReducedBy lists it
// (once per remedy and fault; a reduction that takes all of a fault's
// strength away mitigates it), and, if harmful, puts its Spike on its
// service for SpikeFor and starts its Triggers faults. A remedy that
// matches nothing still completes (OutcomeNone). Remedies act on faults
// active when they complete; faults yet to start are not prevented.
// Applying a remedy again applies it again.
func (w *World) ApplyRemedy(at time.Duration, name string) (completesAt time.Duration, err error) {
	i, ok := w.remedyIdx[name]
	if !ok {
		return 0, fmt.Errorf("world: apply remedy %q: %w", name, ErrUnknown)
	}
	completesAt = w.clampAt(at) + max(w.remedies[i].sc.Takes, 0)
	w.schedule(event{at: completesAt, kind: evRemedyDone, idx: i})
	return completesAt, nil
}

func (w *World) completeRemedy(e event, out []Change) []Change {
	rm := w.remedies[e.idx]
	done := Change{At: e.at, Kind: KindRemedyCompleted, Service: w.serviceName(rm.svc), Remedy: rm.sc.Name}
	did := false
	for fi, f := range w.faults {
		if !f.active() {
			continue
		}
		c := done
		c.Fault = f.sc.Name
		switch {
		case contains(f.fixes, e.idx):
			f.ended, f.endAt, f.fixed = true, e.at, true
			w.fade(f, fi, e.at)
			c.Outcome = OutcomeFixed
		case contains(f.mitigates, e.idx) && !f.mitigated:
			f.mitigated = true
			w.fade(f, fi, e.at)
			c.Outcome = OutcomeMitigated
		case !f.mitigated && !contains(f.reduced, e.idx) && f.reducer(e.idx) != nil:
			f.reduced = append(f.reduced, e.idx)
			if r := f.reducer(e.idx); r.Removes() {
				f.mitigated = true
				w.fade(f, fi, e.at)
				c.Outcome = OutcomeMitigated
			} else {
				f.reduction *= 1 - r.By
				c.Outcome, c.Value = OutcomeReduced, f.reduction
			}
		default:
			continue
		}
		out = append(out, c)
		did = true
	}
	if rm.sc.Harmful != "" {
		if rm.svc >= 0 && rm.sc.Spike > 0 {
			// A spike with no duration would never be sampled: it lasts a Tick.
			dur := rm.sc.SpikeFor
			if dur <= 0 {
				dur = Tick
			}
			w.spikes = append(w.spikes, spike{svc: rm.svc, from: e.at, until: e.at + dur, rate: rm.sc.Spike})
		}
		c := done
		c.Outcome, c.Value = OutcomeHarm, rm.sc.Spike
		out = append(out, c)
		did = true
		for _, fi := range rm.triggers {
			w.schedule(event{at: e.at, kind: evFaultStart, idx: fi, cause: rm.sc.Name})
		}
	}
	if !did {
		done.Outcome = OutcomeNone
		out = append(out, done)
	}
	return out
}

// reducer is remedy's reduction of f, or nil when it does not reduce f.
func (f *fault) reducer(remedy int) *reducer {
	for i := range f.reducers {
		if f.reducers[i].idx == remedy {
			return &f.reducers[i]
		}
	}
	return nil
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
