package incident

import (
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

func stateWords(s engine.State) string { return strings.ReplaceAll(string(s), "_", " ") }

// from lists the states in which op may move an incident on.
func from(op engine.Op) []engine.State {
	switch op {
	case engine.OpAssign:
		return []engine.State{engine.StateNew, engine.StateAssigned, engine.StateInProgress, engine.StateMitigated}
	case engine.OpAcknowledge:
		return []engine.State{engine.StateAssigned}
	case engine.OpDeclareWorkaround:
		return []engine.State{engine.StateInProgress}
	case engine.OpDeclareRestored:
		return []engine.State{engine.StateInProgress, engine.StateMitigated}
	case engine.OpValidateRestoration, engine.OpClose:
		return []engine.State{engine.StateRestored}
	case opReopen:
		return []engine.State{engine.StateRestored}
	case engine.OpDecline:
		return []engine.State{engine.StateNew, engine.StateAssigned, engine.StateInProgress}
	}
	return []engine.State{engine.StateNew, engine.StateAssigned, engine.StateInProgress, engine.StateMitigated, engine.StateRestored}
}

// opReopen is reported as update_incident; it has its own row in from and
// advice only.
const opReopen engine.Op = "reopen"

// advice says what to do when op finds the incident in state s.
func advice(op engine.Op, s engine.State) string {
	switch op {
	case engine.OpAssign:
		return "reopen it before reassigning"
	case engine.OpAcknowledge:
		if s == engine.StateNew {
			return "assign it before acknowledging"
		}
		return "it is already acknowledged"
	case engine.OpDeclareWorkaround:
		switch s {
		case engine.StateNew:
			return "assign and acknowledge it before declaring a workaround"
		case engine.StateAssigned:
			return "acknowledge it before declaring a workaround"
		case engine.StateMitigated:
			return "a workaround is already in place; declare it restored when service is back"
		}
		return "it is already restored; reopen it if the impact came back"
	case engine.OpDeclareRestored:
		switch s {
		case engine.StateNew:
			return "assign and acknowledge it before declaring it restored"
		case engine.StateAssigned:
			return "acknowledge it before declaring it restored"
		}
		return "it is already restored"
	case engine.OpValidateRestoration:
		return "restoration can be validated only after it is declared restored"
	case engine.OpClose:
		return "only restored incidents close; declare it restored first"
	case opReopen:
		return "only a restored incident can be reopened"
	case engine.OpDecline:
		return "work on it has already mitigated or restored service, so it is an incident; close it instead"
	}
	return "it cannot do that now"
}

// canMove refuses op unless inc is in one of op's from-states.
func canMove(op engine.Op, inc *engine.Incident) error {
	if err := alive(op, inc); err != nil {
		return err
	}
	if slices.Contains(from(op), inc.State) {
		return nil
	}
	shown := op
	if op == opReopen {
		shown = engine.OpUpdateIncident
	}
	return refuse(engine.Conflict, shown, inc.Number, "%s is %s; %s", inc.Number, stateWords(inc.State), advice(op, inc.State))
}

// alive refuses any op on a record that has left the workflow.
func alive(op engine.Op, inc *engine.Incident) error {
	if op == opReopen {
		op = engine.OpUpdateIncident
	}
	switch inc.State {
	case engine.StateClosed:
		return refuse(engine.Conflict, op, inc.Number, "%s is closed; create a new incident if the issue is back", inc.Number)
	case engine.StateDeclined:
		return refuse(engine.Conflict, op, inc.Number, "%s was declined as not an incident; create a new incident if it is one", inc.Number)
	case engine.StateMerged:
		return refuse(engine.Conflict, op, inc.Number, "%s was merged into %s; work on %s instead", inc.Number, inc.MergedInto, inc.MergedInto)
	}
	return nil
}
