package world

import "time"

// Kind tags a Change.
type Kind string

// Change kinds, and the Change fields each sets besides At and Kind.
const (
	KindFaultStarted     Kind = "fault_started"     // Fault, Service; Remedy if a harmful remedy triggered it
	KindFaultFull        Kind = "fault_full"        // Fault, Service: reached full strength
	KindFaultHealed      Kind = "fault_healed"      // Fault, Service: ended by itself (HealsAfter)
	KindFaultRecovered   Kind = "fault_recovered"   // Fault, Service: its effect fell to 0 over RecoversOver (none without it)
	KindRemedyCompleted  Kind = "remedy_completed"  // Remedy, Service (the remedy's), Outcome; Fault if mitigated/fixed/reduced; Value = spike if harm, the share left if reduced
	KindAlertFired       Kind = "alert_fired"       // Alert, Service, Value = metric value
	KindAlertResolved    Kind = "alert_resolved"    // Alert, Service, Value = metric value
	KindServiceUnhealthy Kind = "service_unhealthy" // Service
	KindServiceHealthy   Kind = "service_healthy"   // Service: healthy again
)

// Outcome says what a completed remedy did. A remedy with several effects
// yields one KindRemedyCompleted change per effect, at the same time:
// mitigated, fixed and reduced faults in scenario order, then harm.
type Outcome string

const (
	OutcomeNone      Outcome = "none"      // matched no active fault and did no harm
	OutcomeMitigated Outcome = "mitigated" // Fault's impact stopped; its cause remains
	OutcomeFixed     Outcome = "fixed"     // Fault ended
	OutcomeReduced   Outcome = "reduced"   // Fault weakened, still active: Value is the share of its strength left
	OutcomeHarm      Outcome = "harm"      // a harmful remedy: Value is the error spike
)

// Change is one thing that happened in the world, at virtual time At.
type Change struct {
	At      time.Duration
	Kind    Kind
	Service string
	Fault   string
	Remedy  string
	Alert   string
	Outcome Outcome
	Value   float64
}
