package score

import (
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// Phase names one time measure. Phases are part of the JSON report: never
// rename one.
type Phase string

// The phases, spelt out because "MTTR" and "MTTF" each mean several things
// in the industry (DESIGN.md, "Measures").
const (
	PhaseDetect      Phase = "detect"      // t0 → first alert or incident record about an impacted service
	PhaseAcknowledge Phase = "acknowledge" // detection → first acknowledgement by a person of a page or record about it
	PhaseDeclare     Phase = "declare"     // detection → incident recorded at its final priority
	PhaseIdentify    Phase = "identify"    // t0 → first correct root-cause claim
	PhaseMitigate    Phase = "mitigate"    // t0 → customer impact stops
	PhaseFix         Phase = "fix"         // t0 → the root cause is removed
	PhaseRestore     Phase = "restore"     // t0 → services at baseline and restoration validated
)

// Phases lists every Phase in lifecycle order, the order of Result.Measures.
func Phases() []Phase {
	return []Phase{
		PhaseDetect, PhaseAcknowledge, PhaseDeclare, PhaseIdentify, PhaseMitigate, PhaseFix, PhaseRestore,
	}
}

// Measure is one phase of one run.
type Measure struct {
	Phase Phase `json:"phase"`
	// Duration is from the phase's start (t0, or detection for acknowledge
	// and declare) to At. It is never negative.
	Duration time.Duration `json:"duration"`
	// At is the virtual time the phase ended, or the end of the exercise
	// when Censored.
	At time.Duration `json:"at"`
	// Censored says the phase never ended before the exercise did: Duration
	// is then a lower bound, counted rather than dropped. A phase whose
	// start never happened (acknowledge without detection) is censored with
	// a zero Duration.
	Censored bool `json:"censored"`
	// Par is the scenario's target for the phase; HasPar is false when the
	// scenario sets none.
	Par    time.Duration `json:"par,omitempty"`
	HasPar bool          `json:"has_par"`
	// NotApplicable says the run had no root-cause fault (a discussion
	// scenario), so there was nothing to measure: the measure is also
	// Censored, with a zero Duration, and Aggregate leaves it out.
	NotApplicable bool `json:"not_applicable,omitempty"`
}

// par returns the scenario's target for p.
func par(t scenario.Target, p Phase) time.Duration {
	switch p {
	case PhaseDetect:
		return t.Detect
	case PhaseAcknowledge:
		return t.Acknowledge
	case PhaseDeclare:
		return t.Declare
	case PhaseIdentify:
		return t.Identify
	case PhaseMitigate:
		return t.Mitigate
	case PhaseFix:
		return t.Fix
	case PhaseRestore:
		return t.Restore
	}
	return 0
}
