package incident

import (
	"slices"
	"strings"
)

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
var States = []State{
	StateNew, StateAssigned, StateInProgress, StateMitigated, StateRestored,
	StateClosed, StateDeclined, StateMerged,
}

// Valid reports whether s is one of States.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Terminal reports whether s ends the workflow.
func (s State) Terminal() bool {
	return s == StateClosed || s == StateDeclined || s == StateMerged
}

func (s State) words() string { return strings.ReplaceAll(string(s), "_", " ") }

// from lists the states in which op may move an incident on.
func from(op Op) []State {
	switch op {
	case OpAssign:
		return []State{StateNew, StateAssigned, StateInProgress, StateMitigated}
	case OpAcknowledge:
		return []State{StateAssigned}
	case OpDeclareWorkaround:
		return []State{StateInProgress}
	case OpDeclareRestored:
		return []State{StateInProgress, StateMitigated}
	case OpValidateRestoration, OpClose:
		return []State{StateRestored}
	case opReopen:
		return []State{StateRestored}
	case OpDecline:
		return []State{StateNew, StateAssigned, StateInProgress}
	}
	return []State{StateNew, StateAssigned, StateInProgress, StateMitigated, StateRestored}
}

// opReopen is reported as update_incident; it has its own row in from and
// advice only.
const opReopen Op = "reopen"

// advice says what to do when op finds the incident in state s.
func advice(op Op, s State) string {
	switch op {
	case OpAssign:
		return "reopen it before reassigning"
	case OpAcknowledge:
		if s == StateNew {
			return "assign it before acknowledging"
		}
		return "it is already acknowledged"
	case OpDeclareWorkaround:
		switch s {
		case StateNew:
			return "assign and acknowledge it before declaring a workaround"
		case StateAssigned:
			return "acknowledge it before declaring a workaround"
		case StateMitigated:
			return "a workaround is already in place; declare it restored when service is back"
		}
		return "it is already restored; reopen it if the impact came back"
	case OpDeclareRestored:
		switch s {
		case StateNew:
			return "assign and acknowledge it before declaring it restored"
		case StateAssigned:
			return "acknowledge it before declaring it restored"
		}
		return "it is already restored"
	case OpValidateRestoration:
		return "restoration can be validated only after it is declared restored"
	case OpClose:
		return "only restored incidents close; declare it restored first"
	case opReopen:
		return "only a restored incident can be reopened"
	case OpDecline:
		return "work on it has already mitigated or restored service, so it is an incident; close it instead"
	}
	return "it cannot do that now"
}

// canMove refuses op unless inc is in one of op's from-states.
func canMove(op Op, inc *Incident) error {
	if err := alive(op, inc); err != nil {
		return err
	}
	if slices.Contains(from(op), inc.State) {
		return nil
	}
	shown := op
	if op == opReopen {
		shown = OpUpdateIncident
	}
	return refuse(Conflict, shown, inc.Number, "%s is %s; %s", inc.Number, inc.State.words(), advice(op, inc.State))
}

// alive refuses any op on a record that has left the workflow.
func alive(op Op, inc *Incident) error {
	if op == opReopen {
		op = OpUpdateIncident
	}
	switch inc.State {
	case StateClosed:
		return refuse(Conflict, op, inc.Number, "%s is closed; create a new incident if the issue is back", inc.Number)
	case StateDeclined:
		return refuse(Conflict, op, inc.Number, "%s was declined as not an incident; create a new incident if it is one", inc.Number)
	case StateMerged:
		return refuse(Conflict, op, inc.Number, "%s was merged into %s; work on %s instead", inc.Number, inc.MergedInto, inc.MergedInto)
	}
	return nil
}
