package world

import "time"

// noise is the largest relative deviation of a sample from its baseline.
const noise = 0.03

// sample computes every service's telemetry at tick t, records it, and
// reports health and alert changes.
func (w *World) sample(t time.Duration, out []Change) []Change {
	w.applySpikes(t)
	for _, i := range w.order {
		w.sampleService(w.services[i], t)
	}
	for _, sv := range w.services {
		for m := range sv.series {
			sv.series[m] = append(sv.series[m], sv.cur[m])
		}
		secs := Tick.Seconds()
		sv.total += sv.cur[mRPS] * secs
		sv.failed += sv.cur[mRPS] * secs * sv.cur[mErr]

		healthy := !sv.unhealthy(sv.cur[mErr], sv.cur[mLat])
		if !healthy {
			sv.downTicks++
		}
		if healthy != sv.healthy {
			sv.healthy = healthy
			k := KindServiceHealthy
			if !healthy {
				k = KindServiceUnhealthy
			}
			out = append(out, Change{At: t, Kind: k, Service: sv.name})
		}
	}
	return w.evalAlerts(t, out)
}

// applySpikes sets each service's spike for tick t and drops spent ones.
func (w *World) applySpikes(t time.Duration) {
	for _, sv := range w.services {
		sv.spike = 0
	}
	kept := w.spikes[:0]
	for _, s := range w.spikes {
		if t >= s.until {
			continue
		}
		kept = append(kept, s)
		if t >= s.from {
			w.services[s.svc].spike += s.rate
		}
	}
	w.spikes = kept
}

// sampleService computes one service's sample; its dependencies have been
// computed for this tick already (topological order).
func (w *World) sampleService(sv *service, t time.Duration) {
	// Four draws per service per tick, always: the noise sequence must not
	// depend on which faults happen to be active.
	var n [numMetrics]float64
	for m := range n {
		n[m] = (w.rng.Float64()*2 - 1) * noise
	}

	own := false
	addErr, addLat := sv.spike, 0.0
	sat := sv.base[mSat] * (1 + n[mSat])
	for _, fi := range sv.faults {
		f := w.faults[fi]
		k := f.impact(t)
		if k <= 0 {
			continue
		}
		own = true
		addErr += k * nonNeg(f.sc.ErrorRate)
		addLat += k * nonNeg(f.sc.LatencyMS)
		if target := f.sc.Saturation; target > sv.base[mSat] {
			sat = max(sat, sv.base[mSat]+k*(target-sv.base[mSat]))
		}
	}
	for _, d := range sv.deps {
		up := w.services[d.idx]
		addErr += d.weight * up.excessErr
		addLat += d.weight * up.excessLat
	}

	sv.at = t
	sv.cur[mRPS] = sv.base[mRPS] * (1 + n[mRPS])
	sv.cur[mErr] = clamp01(sv.base[mErr]*(1+n[mErr]) + addErr)
	sv.cur[mLat] = sv.base[mLat]*(1+n[mLat]) + addLat
	sv.cur[mSat] = clamp01(sat)
	sv.excessErr = min(addErr, 1-sv.base[mErr])
	sv.excessLat = addLat
	sv.impacted = own || sv.spike > 0 || addErr > 0 || addLat > 0
}
