package score

import (
	"maps"
	"slices"
	"time"
)

// impact is what telemetry says about the services after t0.
type impact struct {
	services []string       // went unhealthy at or after t0, sorted
	lastBad  map[string]int // log index of each one's last unhealthy sample
	lastAny  int            // log index of the last unhealthy sample of any; -1 if none
}

func impactAfter(ticks []tick, t0 time.Duration) impact {
	im := impact{lastBad: map[string]int{}, lastAny: -1}
	for _, tk := range ticks {
		if tk.at < t0 {
			continue
		}
		for _, s := range tk.samples {
			if !s.Healthy {
				im.lastBad[s.Service] = tk.idx
				im.lastAny = tk.idx
			}
		}
	}
	for s := range im.lastBad {
		im.services = append(im.services, s)
	}
	slices.Sort(im.services)
	return im
}

// errorRates works out the raw error rate over [from, to] from the
// cumulative counters: the last sample at or before each end of the window
// (zero before the first sample, since the counters count from the start).
// Samples come every 30 s, so the window is as exact as the samples allow.
func errorRates(ticks []tick, from, to time.Duration) (map[string]ErrorRate, ErrorRate) {
	type counts struct{ total, failed float64 }
	before, until := map[string]counts{}, map[string]counts{}
	for _, tk := range ticks {
		if tk.at > to {
			break
		}
		for _, s := range tk.samples {
			c := counts{s.Total, s.Failed}
			if tk.at <= from {
				before[s.Service] = c
			}
			until[s.Service] = c
		}
	}
	rates := make(map[string]ErrorRate, len(until))
	var total, failed float64
	// In name order: float sums depend on order, and the same log must
	// give the same Result to the last bit.
	for _, svc := range slices.Sorted(maps.Keys(until)) {
		u, b := until[svc], before[svc]
		r := newErrorRate(u.total-b.total, u.failed-b.failed)
		rates[svc] = r
		total += r.Total
		failed += r.Failed
	}
	return rates, newErrorRate(total, failed)
}

// downtime counts the minutes in [from, to) that critical services were
// unhealthy. A sample's state holds until the next sample (the last one's
// until the end), which is how the world counts downtime in ticks.
func downtime(ticks []tick, critical map[string]bool, from, to, end time.Duration) (float64, map[string]float64) {
	var union time.Duration
	per := map[string]time.Duration{}
	for s := range critical {
		per[s] = 0 // a critical service never down shows as 0, not missing
	}
	for i, tk := range ticks {
		next := end
		if i+1 < len(ticks) {
			next = ticks[i+1].at
		}
		span := min(next, to) - max(tk.at, from)
		if span <= 0 {
			continue
		}
		down := false
		for _, s := range tk.samples {
			if critical[s.Service] && !s.Healthy {
				per[s.Service] += span
				down = true
			}
		}
		if down {
			union += span
		}
	}
	minutes := make(map[string]float64, len(per))
	for s, d := range per {
		minutes[s] = d.Minutes()
	}
	return union.Minutes(), minutes
}
