package score

import (
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// Phase names one time measure. Phases are part of the JSON report: never
// rename one.
type Phase string

// The phases, spelt out because "MTTR" and "MTTF" each mean several things
// in the industry (Definition gives each in full, and LANGUAGE.md and the
// review's glossary print it). Every phase is timed from the
// start of the impact (t0), and also from the end of the phase before it.
const (
	PhaseDetect      Phase = "detect"      // the first signal responders could see that the impact caused
	PhaseAcknowledge Phase = "acknowledge" // the first person to take a page or record about it
	PhaseDeclare     Phase = "declare"     // an incident of the outage first at the most severe priority it reached
	PhaseIdentify    Phase = "identify"    // the first claim naming the right cause
	PhaseMitigate    Phase = "mitigate"    // customer impact down to the scenario's share of its peak, for good
	PhaseFix         Phase = "fix"         // every root cause removed (fixed, or healed by itself)
	PhaseRestore     Phase = "restore"     // every impacted service back at baseline in the world, and validated by its owner
	PhaseClose       Phase = "close"       // every incident of the outage closed
)

// Phases lists every Phase in lifecycle order, the order of Result.Measures.
func Phases() []Phase {
	return []Phase{
		PhaseDetect, PhaseAcknowledge, PhaseDeclare, PhaseIdentify, PhaseMitigate, PhaseFix, PhaseRestore, PhaseClose,
	}
}

// Measure is one phase of one run.
type Measure struct {
	Phase Phase `json:"phase"`
	// Duration is from the start of the impact (t0) to At. It is never
	// negative.
	Duration time.Duration `json:"duration"`
	// At is the virtual time the phase ended, or the end of the exercise
	// when Censored.
	At time.Duration `json:"at"`
	// After is the phase before this one in the lifecycle; Interval is the
	// time from its end to this one's, known when both happened, and
	// negative when this one came first (a priority declared before anyone
	// acknowledged a page, say).
	After         Phase         `json:"after,omitempty"`
	Interval      time.Duration `json:"interval"`
	IntervalKnown bool          `json:"interval_known"`
	// Censored says the phase never ended before the exercise did: Duration
	// is then a lower bound, counted rather than dropped.
	Censored bool `json:"censored"`
	// Par is the scenario's target for the phase, from the start of the
	// impact; HasPar is false when the scenario sets none.
	Par    time.Duration `json:"par,omitempty"`
	HasPar bool          `json:"has_par"`
	// NotApplicable says the run had no root-cause fault (a discussion
	// scenario), so there was nothing to measure: the measure is also
	// Censored, with a zero Duration, and Aggregate leaves it out.
	NotApplicable bool `json:"not_applicable,omitempty"`
	// Evidence is the event that ended the phase; absent when censored.
	Evidence *Evidence `json:"evidence,omitempty"`
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
	case PhaseClose:
		return t.Close
	}
	return 0
}

// Name is the phase spelt out: "time to restore".
func (p Phase) Name() string { return "time to " + string(p) }

// Span says in a few words where the phase ends, for a table's header.
func (p Phase) Span() string {
	switch p {
	case PhaseDetect:
		return "impact → first signal of the impact"
	case PhaseAcknowledge:
		return "impact → first acknowledgement"
	case PhaseDeclare:
		return "impact → most severe priority first reached"
	case PhaseIdentify:
		return "impact → right cause named"
	case PhaseMitigate:
		return "impact → customer impact down to its mitigation share"
	case PhaseFix:
		return "impact → every root cause gone"
	case PhaseRestore:
		return "impact → service back in the world and validated"
	case PhaseClose:
		return "impact → every incident closed"
	}
	return "impact → " + string(p)
}

// Definition is the phase's definition in full: the one place it is
// written. The review's glossary prints it, and LANGUAGE.md quotes it
// (TestGlossaryInLanguage checks they agree).
func (p Phase) Definition() string {
	switch p {
	case PhaseDetect:
		return "From the start of the impact to the first signal responders could see that the scenario ties to it: an alert firing on a service the impact reached, a contact the scenario marks as a symptom report, or an incident record about such a service. A service request is no signal, and neither is a record made for a contact that asked for something."
	case PhaseAcknowledge:
		return "From the start of the impact to the first acknowledgement by a person of a page or an incident record about it."
	case PhaseDeclare:
		return "From the start of the impact to the first time an incident of the outage was at the most severe priority any of them reached. Lowering the priority later moves nothing; declaring too high is judged by the priority check."
	case PhaseIdentify:
		return "From the start of the impact to the first root-cause claim that names the right cause. A wrong hypothesis does not count, even on the right service."
	case PhaseMitigate:
		return "From the start of the impact to when customer impact (the requests the business services fail their users on) fell to the scenario's share of its peak, a tenth unless the scenario says otherwise, and stayed there."
	case PhaseFix:
		return "From the start of the impact to when the last root cause went away, fixed by a remedy or healed by itself; the review says which, cause by cause."
	case PhaseRestore:
		return "From the start of the impact to when the world had every impacted service back at baseline with no root cause still at work (each fixed, healed or mitigated: a workaround restores service before the fix), and the service owner had validated an incident about the impact, whichever came later."
	case PhaseClose:
		return "From the start of the impact to when the last incident of the outage was closed."
	}
	return ""
}

// Intervals says how the review times each phase from the one before it.
const Intervals = "Each phase is also timed from the end of the phase before it (acknowledge from detect, declare from acknowledge, and so on); the interval is negative when the later phase came first. A phase that never happened is censored at the end of the exercise: its time is a lower bound, marked as such."
