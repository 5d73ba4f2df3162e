package world

import (
	"math"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// Metric indices into a service's series, in scenario.Metrics order.
const (
	mErr = iota
	mLat
	mRPS
	mSat
	numMetrics
)

func metricIndex(m scenario.Metric) (int, bool) {
	switch m {
	case scenario.MetricErrorRate:
		return mErr, true
	case scenario.MetricLatencyMS:
		return mLat, true
	case scenario.MetricRPS:
		return mRPS, true
	case scenario.MetricSaturation:
		return mSat, true
	}
	return 0, false
}

type service struct {
	sc     *scenario.Service
	name   string
	base   [numMetrics]float64
	deps   []dep // only edges that respect the topological order
	allDep []dep // every resolvable edge, for the traffic view
	faults []int // faults on this service, in scenario order

	at        time.Duration
	cur       [numMetrics]float64
	excessErr float64 // above baseline, noise excluded: what dependents inherit
	excessLat float64
	spike     float64 // error spike of harmful remedies this tick
	impacted  bool
	healthy   bool

	series        [numMetrics][]float64 // sample i is at i·Tick
	total, failed float64
	downTicks     int
}

type dep struct {
	idx    int
	weight float64
}

func (w *World) buildServices() {
	prealloc := 0
	if d := w.sc.Duration; d > 0 {
		prealloc = min(int(d/Tick)+1, maxPrealloc)
	}
	for _, s := range w.sc.Services {
		if s == nil {
			continue
		}
		if _, dup := w.serviceIdx[s.Name]; dup {
			continue
		}
		sv := &service{sc: s, name: s.Name, healthy: true}
		sv.base[mErr] = clamp01(s.ErrorRate)
		sv.base[mLat] = nonNeg(s.LatencyMS)
		sv.base[mRPS] = nonNeg(s.RPS)
		sv.base[mSat] = BaselineSaturation
		sv.cur = sv.base
		for m := range sv.series {
			sv.series[m] = make([]float64, 0, prealloc)
		}
		w.serviceIdx[s.Name] = len(w.services)
		w.services = append(w.services, sv)
	}
	for _, sv := range w.services {
		for _, d := range sv.sc.DependsOn {
			if i, ok := w.serviceIdx[d.Service.Name]; ok {
				sv.allDep = append(sv.allDep, dep{idx: i, weight: clamp01(d.Weight)})
			}
		}
	}
	w.order = topoOrder(w.services)
	rank := make([]int, len(w.services))
	for r, i := range w.order {
		rank[i] = r
	}
	for i, sv := range w.services {
		for _, d := range sv.allDep {
			// An edge to a service not computed earlier closes a cycle;
			// following it would feed a service its own output.
			if rank[d.idx] < rank[i] {
				sv.deps = append(sv.deps, d)
			}
		}
	}
}

// topoOrder orders services so that each comes after its dependencies
// (Kahn's algorithm; deterministic). Services on a cycle, which
// validation should have refused, follow in scenario order.
func topoOrder(svcs []*service) []int {
	n := len(svcs)
	indeg := make([]int, n)
	dependents := make([][]int, n)
	for i, sv := range svcs {
		for _, d := range sv.allDep {
			indeg[i]++
			dependents[d.idx] = append(dependents[d.idx], i)
		}
	}
	order := make([]int, 0, n)
	for i := range n {
		if indeg[i] == 0 {
			order = append(order, i)
		}
	}
	for head := 0; head < len(order); head++ {
		for _, j := range dependents[order[head]] {
			indeg[j]--
			if indeg[j] == 0 {
				order = append(order, j)
			}
		}
	}
	if len(order) < n {
		placed := make([]bool, n)
		for _, i := range order {
			placed[i] = true
		}
		for i := range n {
			if !placed[i] {
				order = append(order, i)
			}
		}
	}
	return order
}

// unhealthy applies the package's health rule to a sample.
func (sv *service) unhealthy(errRate, latency float64) bool {
	return errRate > max(5*sv.base[mErr], 0.01) || latency > 3*sv.base[mLat]
}

func clamp01(x float64) float64 {
	if !(x > 0) { // also NaN
		return 0
	}
	return min(x, 1)
}

// nonNeg maps negative, NaN and infinite inputs to 0: a bad number in a
// scenario must not poison every sample after it.
func nonNeg(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		return 0
	}
	return x
}
