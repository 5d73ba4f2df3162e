package engine

import "slices"

// State is the state of an incident record.
//
//	new → assigned → in_progress (acknowledged) → mitigated (workaround) → restored → closed
//	                                                  restored → in_progress (reopen)
//	new, assigned, in_progress → declined (not an incident)
//	any live state → merged (duplicate of another record)
//
// Closed, declined and merged are terminal.
type State string

const (
	StateNew        State = "new"
	StateAssigned   State = "assigned"
	StateInProgress State = "in_progress"
	StateMitigated  State = "mitigated"
	StateRestored   State = "restored"
	StateClosed     State = "closed"
	StateDeclined   State = "declined"
	StateMerged     State = "merged"
)

// States lists every State in workflow order.
func States() []State {
	return []State{
		StateNew, StateAssigned, StateInProgress, StateMitigated, StateRestored,
		StateClosed, StateDeclined, StateMerged,
	}
}

// Valid reports whether s is one of States.
func (s State) Valid() bool { return slices.Contains(States(), s) }

// Terminal reports whether s ends the workflow.
func (s State) Terminal() bool {
	return s == StateClosed || s == StateDeclined || s == StateMerged
}
