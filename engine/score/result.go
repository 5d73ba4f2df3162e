package score

import "time"

// Result is the measures of one run, all read from its event log.
type Result struct {
	Scenario string `json:"scenario"`
	// T0 is when the first root-cause fault started. HasT0 is false when
	// no root-cause fault ever started (a discussion scenario without
	// faults): every measure is then NotApplicable.
	T0    time.Duration `json:"t0"`
	HasT0 bool          `json:"has_t0"`
	// End is when the exercise ended, where censored measures stop.
	End time.Duration `json:"end"`

	// Measures has one Measure per phase, in Phases order, always.
	Measures []Measure `json:"measures"`

	// ImpactedServices are the services whose telemetry went unhealthy at
	// or after t0, sorted by name.
	ImpactedServices []string `json:"impacted_services"`
	// Causes says how each root cause that started ended: fixed by a
	// remedy, healed by itself, or still there.
	Causes []CauseOutcome `json:"causes"`
	// SelfHealed says every root cause ended by healing on its own, none
	// by a remedy: the fix measure is when they went away, not something
	// the team did.
	SelfHealed bool `json:"self_healed,omitempty"`

	// RawErrorRate is failed ÷ all requests per service from t0 to
	// restoration (the end of the exercise when restore is censored);
	// RawErrorRateOverall sums every service's requests.
	RawErrorRate        map[string]ErrorRate `json:"raw_error_rate,omitempty"`
	RawErrorRateOverall ErrorRate            `json:"raw_error_rate_overall"`
	// DowntimeMinutes is the minutes between t0 and restoration during
	// which at least one critical service was unhealthy;
	// DowntimeByService gives each critical service's own minutes.
	DowntimeMinutes   float64            `json:"downtime_minutes"`
	DowntimeByService map[string]float64 `json:"downtime_by_service,omitempty"`

	// WarRooms counts the war rooms opened; DuplicateWarRooms those opened
	// for an issue that already had one.
	WarRooms          int `json:"war_rooms"`
	DuplicateWarRooms int `json:"duplicate_war_rooms"`
	// EscalationDepth counts the escalations of pages about this incident
	// between t0 and the acknowledgement (the end when there was none);
	// without a t0, of every page before the first acknowledgement.
	EscalationDepth int `json:"escalation_depth"`
}

// Measure returns the measure of phase p.
func (r Result) Measure(p Phase) (Measure, bool) {
	for _, m := range r.Measures {
		if m.Phase == p {
			return m, true
		}
	}
	return Measure{}, false
}

// ErrorRate is request counts over a window and their raw error rate: no
// SLO normalisation, no weighting.
type ErrorRate struct {
	Total  float64 `json:"total"`
	Failed float64 `json:"failed"`
	// Rate is Failed ÷ Total, and 0 when there were no requests (never
	// NaN, which JSON cannot carry).
	Rate float64 `json:"rate"`
}

func newErrorRate(total, failed float64) ErrorRate {
	r := ErrorRate{Total: total, Failed: failed}
	if total > 0 {
		r.Rate = failed / total
	}
	return r
}
