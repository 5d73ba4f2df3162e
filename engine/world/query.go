package world

import (
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// ServiceState is a service's latest sample.
type ServiceState struct {
	Name       string
	At         time.Duration // time of the sample
	RPS        float64
	ErrorRate  float64
	LatencyMS  float64
	Saturation float64
	Healthy    bool
	Impacted   bool
	// Degraded is the share of its requests the service fails its users
	// on: its error rate above baseline, or all of them while its latency
	// is beyond the health threshold (three times baseline).
	Degraded float64
}

// Point is one sample of a series.
type Point struct {
	At    time.Duration
	Value float64
}

// Edge is traffic from one service to a dependency as the caller sees it:
// the share of its requests that go there (RPS × weight), and the error
// rate and latency the dependency answers with.
type Edge struct {
	From, To  string
	Weight    float64
	RPS       float64
	ErrorRate float64
	LatencyMS float64
}

// Service returns the latest sample of a service (its baseline before the
// first sample).
func (w *World) Service(name string) (ServiceState, bool) {
	i, ok := w.serviceIdx[name]
	if !ok {
		return ServiceState{}, false
	}
	return w.services[i].state(), true
}

// Services returns the latest sample of every service, in scenario order.
func (w *World) Services() []ServiceState { return w.AppendServices(nil) }

// AppendServices appends the latest sample of every service, in scenario
// order, to dst: a caller that asks every tick keeps one buffer.
func (w *World) AppendServices(dst []ServiceState) []ServiceState {
	for _, sv := range w.services {
		dst = append(dst, sv.state())
	}
	return dst
}

func (sv *service) state() ServiceState {
	return ServiceState{
		Name:       sv.name,
		At:         sv.at,
		RPS:        sv.cur[mRPS],
		ErrorRate:  sv.cur[mErr],
		LatencyMS:  sv.cur[mLat],
		Saturation: sv.cur[mSat],
		Healthy:    sv.healthy,
		Impacted:   sv.impacted,
		Degraded:   sv.degraded(),
	}
}

// degraded is ServiceState.Degraded of the latest sample.
func (sv *service) degraded() float64 {
	if sv.cur[mLat] > 3*sv.base[mLat] {
		return 1
	}
	return clamp01(sv.cur[mErr] - sv.base[mErr])
}

// Series returns the samples of one metric of a service taken between from
// and to, inclusive. Unknown services or metrics give nil.
func (w *World) Series(service string, metric scenario.Metric, from, to time.Duration) []Point {
	i, ok := w.serviceIdx[service]
	m, known := metricIndex(metric)
	if !ok || !known {
		return nil
	}
	s := w.services[i].series[m]
	if to < 0 || from > to || len(s) == 0 {
		return nil
	}
	lo := max(from, 0) / Tick // first sample at or after from
	if from > 0 && from%Tick != 0 {
		lo++
	}
	hi := min(to/Tick, time.Duration(len(s)-1))
	if lo > hi {
		return nil
	}
	out := make([]Point, 0, hi-lo+1)
	for k := lo; k <= hi; k++ {
		out = append(out, Point{At: k * Tick, Value: s[k]})
	}
	return out
}

// Traffic returns the service's outbound edges, one per dependency, as of
// the latest sample: how players find that three apps share one proxy.
func (w *World) Traffic(service string) []Edge {
	i, ok := w.serviceIdx[service]
	if !ok {
		return nil
	}
	sv := w.services[i]
	out := make([]Edge, 0, len(sv.allDep))
	for _, d := range sv.allDep {
		out = append(out, w.edge(sv, d))
	}
	return out
}

// Callers returns the edges into a service from every service that depends
// on it, in scenario order: the same edges as Traffic, seen from the callee.
func (w *World) Callers(service string) []Edge {
	i, ok := w.serviceIdx[service]
	if !ok {
		return nil
	}
	var out []Edge
	for _, sv := range w.services {
		for _, d := range sv.allDep {
			if d.idx == i {
				out = append(out, w.edge(sv, d))
			}
		}
	}
	return out
}

func (w *World) edge(from *service, d dep) Edge {
	to := w.services[d.idx]
	return Edge{
		From:      from.name,
		To:        to.name,
		Weight:    d.weight,
		RPS:       from.cur[mRPS] * d.weight,
		ErrorRate: to.cur[mErr],
		LatencyMS: to.cur[mLat],
	}
}

// Stats returns a service's cumulative requests and failed requests over
// all samples (each sample stands for one Tick of traffic); zeros for an
// unknown service.
func (w *World) Stats(service string) (total, failed float64) {
	i, ok := w.serviceIdx[service]
	if !ok {
		return 0, 0
	}
	return w.services[i].total, w.services[i].failed
}

// Downtime returns how long a service has been unhealthy: unhealthy samples
// times Tick; zero for an unknown service.
func (w *World) Downtime(service string) time.Duration {
	i, ok := w.serviceIdx[service]
	if !ok {
		return 0
	}
	return time.Duration(w.services[i].downTicks) * Tick
}

// VendorChanges returns a vendor's changes made up to the present, in
// scenario order; nil for an unknown vendor.
func (w *World) VendorChanges(vendor string) []scenario.VendorChange {
	v, ok := w.vendors[vendor]
	if !ok {
		return nil
	}
	var out []scenario.VendorChange
	for _, c := range v.Changes {
		if c != nil && c.At <= w.present {
			out = append(out, *c)
		}
	}
	return out
}
