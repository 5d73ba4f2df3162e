package world

import (
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

type alertRule struct {
	sc     *scenario.Alert
	svc    int // -1: unknown service, never holds
	metric int
	known  bool // metric is one the world emits

	holding   bool
	holdSince time.Duration
	firing    bool
	fired     bool
	since     time.Duration
	value     float64
}

// AlertState is the state of one alert rule.
type AlertState struct {
	Name    string
	Service string
	Metric  scenario.Metric
	Firing  bool
	Fired   bool          // has fired at least once
	Since   time.Duration // when it last fired (firing) or resolved (not firing, Fired)
	Value   float64       // the metric at the latest sample
}

func (w *World) buildAlerts() {
	for _, a := range w.sc.Alerts {
		if a == nil {
			continue
		}
		r := &alertRule{sc: a, svc: -1}
		if i, ok := w.serviceIdx[a.Service.Name]; ok {
			r.svc = i
		}
		r.metric, r.known = metricIndex(a.Metric)
		w.alerts = append(w.alerts, r)
	}
}

// evalAlerts checks every rule against the sample at t. A rule fires at the
// first sample at which its condition has held, sample after sample, for at
// least For, and resolves at the first sample where it no longer holds. A
// firing rule does not fire again.
func (w *World) evalAlerts(t time.Duration, out []Change) []Change {
	for _, r := range w.alerts {
		holds := false
		if r.svc >= 0 && r.known {
			r.value = w.services[r.svc].cur[r.metric]
			holds = r.sc.Op.Holds(r.value, r.sc.Threshold)
		}
		if !holds {
			r.holding = false
			if r.firing {
				r.firing, r.since = false, t
				out = append(out, w.alertChange(r, t, KindAlertResolved))
			}
			continue
		}
		if !r.holding {
			r.holding, r.holdSince = true, t
		}
		if !r.firing && t-r.holdSince >= r.sc.For {
			r.firing, r.fired, r.since = true, true, t
			out = append(out, w.alertChange(r, t, KindAlertFired))
		}
	}
	return out
}

func (w *World) alertChange(r *alertRule, t time.Duration, k Kind) Change {
	return Change{At: t, Kind: k, Service: w.serviceName(r.svc), Alert: r.sc.Name, Value: r.value}
}

// Alerts returns the state of every alert rule, in scenario order.
func (w *World) Alerts() []AlertState {
	out := make([]AlertState, len(w.alerts))
	for i, r := range w.alerts {
		out[i] = AlertState{
			Name:    r.sc.Name,
			Service: r.sc.Service.Name,
			Metric:  r.sc.Metric,
			Firing:  r.firing,
			Fired:   r.fired,
			Since:   r.since,
			Value:   r.value,
		}
	}
	return out
}
