package score

import (
	"maps"
	"slices"
)

// ServiceImpact is what one service's customers went through over the
// whole exercise, from the start to the end, read from telemetry. (Result
// gives the same figures from t0 to restoration.)
type ServiceImpact struct {
	Service  string `json:"service"`
	Critical bool   `json:"critical"`
	// Requests are the service's requests, failed requests and raw error
	// rate (failed ÷ all, no SLO normalisation).
	Requests ErrorRate `json:"requests"`
	// DowntimeMinutes is how long the service was beyond its error
	// threshold (unhealthy), whether critical or not.
	DowntimeMinutes float64 `json:"downtime_minutes"`
	// SLO is the service's availability objective; 0 when it has none.
	SLO float64 `json:"slo,omitempty"`
	// ErrorBudgetBurned is the share of the error budget the exercise
	// spent: failed ÷ (total × (1 − SLO)). Above 1 the budget for this
	// many requests is exhausted. 0 without an SLO (or requests).
	ErrorBudgetBurned float64 `json:"error_budget_burned"`
}

func (s *scorer) impact() []ServiceImpact {
	rates, _ := errorRates(s.v.ticks, -1, s.v.end)
	all := map[string]bool{}
	for svc := range rates {
		all[svc] = true
	}
	_, down := downtime(s.v.ticks, all, 0, s.v.end, s.v.end)
	var order []string
	for _, x := range s.sc.Services {
		if x != nil {
			order = append(order, x.Name)
		}
	}
	for _, svc := range slices.Sorted(maps.Keys(rates)) {
		if !slices.Contains(order, svc) {
			order = append(order, svc)
		}
	}
	out := make([]ServiceImpact, 0, len(order))
	for _, svc := range order {
		im := ServiceImpact{Service: svc, Requests: rates[svc], DowntimeMinutes: down[svc]}
		if x := s.services[svc]; x != nil {
			im.Critical = x.Critical
			if x.SLO > 0 && x.SLO < 1 {
				im.SLO = x.SLO
				if im.Requests.Total > 0 {
					im.ErrorBudgetBurned = im.Requests.Failed / (im.Requests.Total * (1 - x.SLO))
				}
			}
		}
		out = append(out, im)
	}
	return out
}
