package engine

// Op is the kind of an operation a participant performs in the simulation.
// The engine's actions use these values as their kind, so they are part of
// the wire protocol and the event log: never rename one.
type Op string

// Records and their workflow.
const (
	OpCreateIncident      Op = "create_incident"
	OpUpdateIncident      Op = "update_incident" // edit fields, work notes, reopen
	OpClassify            Op = "classify"        // incident or service request
	OpAssign              Op = "assign"
	OpAcknowledge         Op = "acknowledge"
	OpPrioritise          Op = "prioritise"
	OpLinkParent          Op = "link_parent"
	OpMakeParent          Op = "make_parent"
	OpMerge               Op = "merge"
	OpDecline             Op = "decline"
	OpDeclareWorkaround   Op = "declare_workaround"
	OpDeclareRestored     Op = "declare_restored"
	OpValidateRestoration Op = "validate_restoration"
	OpBusinessImpact      Op = "business_impact"
	OpClose               Op = "close"
	OpStateTime           Op = "state_time" // "impact started at 14:02"
	OpIdentifyRootCause   Op = "identify_root_cause"
)

// Coordination records.
const (
	OpRaiseIncidentAlert Op = "raise_incident_alert"
	OpOpenWarRoom        Op = "open_war_room"
	OpJoinWarRoom        Op = "join_war_room"
	OpOpenTask           Op = "open_task"
	OpCompleteTask       Op = "complete_task"
	OpOpenProblem        Op = "open_problem"
	OpOpenChange         Op = "open_change"
	OpApproveChange      Op = "approve_change"
)

// Paging, investigation and repair: the engine carries these out against the
// simulated world; the Book only checks who may do them.
const (
	OpPage               Op = "page"
	OpAcknowledgePage    Op = "acknowledge_page"
	OpSilencePage        Op = "silence_page" // stop escalation for a while without taking it
	OpAttachPage         Op = "attach_page"  // attach a page (and its alert) to an incident
	OpRunRunbookStep     Op = "run_runbook_step"
	OpApplyRemedy        Op = "apply_remedy"
	OpContactVendor      Op = "contact_vendor"
	OpQueryTelemetry     Op = "query_telemetry"
	OpQueryLogs          Op = "query_logs"
	OpQueryTraffic       Op = "query_traffic"
	OpQueryVendorChanges Op = "query_vendor_changes"
	OpSearchKnowledge    Op = "search_knowledge"
	OpSearchParents      Op = "search_parents"
)

// Communication and reflection.
const (
	OpChat           Op = "chat"
	OpStatusUpdate   Op = "status_update"
	OpAnswerDecision Op = "answer_decision"
	OpLessonsLearned Op = "lessons_learned"
	OpRateConfidence Op = "rate_confidence"
)

// Facilitation: the facilitator's controls of the exercise. They are inputs
// like any other, so the log records them and replay repeats them.
const (
	OpPause      Op = "pause"
	OpResume     Op = "resume"
	OpSetSpeed   Op = "set_speed"
	OpFireInject Op = "fire_inject"
	OpEnd        Op = "end"
)

// Ops lists every Op in the order of the policy table.
func Ops() []Op {
	perms := Permissions()
	ops := make([]Op, len(perms))
	for i, p := range perms {
		ops[i] = p.Op
	}
	return ops
}

// Valid reports whether o is one of Ops.
func (o Op) Valid() bool {
	_, ok := row(o)
	return ok
}
