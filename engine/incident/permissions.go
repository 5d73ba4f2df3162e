package incident

import "strings"

// permission is one row of the table: who may perform op, and what to tell
// someone who may not.
type permission struct {
	op    Op
	doing string // "acknowledge incidents", completes "a caller cannot …"
	who   string // who does it instead
	roles []Role // facilitator is implied; observer never appears
}

// inFiction is every role inside the story: they all talk, reflect and
// answer what is asked of them.
var inFiction = []Role{
	RoleCaller, RoleServiceDesk, RoleIncidentManager, RoleTechnician,
	RoleCommandCenter, RoleGroupOwner, RoleServiceOwner,
}

// responders work incidents: everyone in the fiction but the caller and the
// service owner.
var responders = []Role{
	RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter, RoleGroupOwner,
}

// resolvers are the assignment group: they investigate and repair.
var resolvers = []Role{RoleTechnician, RoleGroupOwner}

// permissions follows the default process in DESIGN.md and the role notes
// in shared/incident-process-notes.txt.
var permissions = []permission{
	{OpCreateIncident, "create incident records", "the service desk records what callers report, and technicians, the incident manager and the command center record what they find",
		[]Role{RoleCaller, RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter}},
	{OpUpdateIncident, "update incident records", "tell the service desk or the assigned group, who keep the record up to date", responders},
	{OpClassify, "classify records", "the service desk, the incident manager or the command center does that",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleCommandCenter}},
	{OpAssign, "assign incidents", "the service desk assigns, the incident manager and the group owner reassign, and the command center engages groups for P1/P2",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleCommandCenter, RoleGroupOwner}},
	{OpAcknowledge, "acknowledge incidents", "the technician of the assigned group does that", resolvers},
	{OpPrioritise, "set priorities", "the service desk sets it, the incident manager reviews it and the command center validates it",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleCommandCenter}},
	{OpLinkParent, "link incidents to a parent", "the service desk links to the parent it found; the incident manager, the command center or a technician can too",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter}},
	{OpMakeParent, "create parent incidents", "the incident manager does that (a technician may for P3/P4)",
		[]Role{RoleIncidentManager, RoleCommandCenter, RoleTechnician}},
	{OpMerge, "merge duplicate incidents", "ask the service desk, the incident manager or the command center",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleCommandCenter}},
	{OpDecline, "decline records as not an incident", "ask the service desk, the incident manager or the command center",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleCommandCenter}},
	{OpOpenWarRoom, "open war rooms", "the command center runs the war room; resolver groups and the incident manager may open one",
		[]Role{RoleIncidentManager, RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpJoinWarRoom, "join war rooms", "the command center invites the people it needs",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter, RoleGroupOwner, RoleServiceOwner}},
	{OpPage, "page workgroups", "the incident manager pages workgroup to workgroup; the command center and resolver groups engage others",
		[]Role{RoleIncidentManager, RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpChat, "chat", "everyone in the exercise may chat", inFiction},
	{OpRunRunbookStep, "run runbook steps", "the technicians of the owning group do that", resolvers},
	{OpApplyRemedy, "apply remedies", "the technicians of the owning group do that", resolvers},
	{OpContactVendor, "contact vendors", "the resolver group or the command center does that",
		[]Role{RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpQueryTelemetry, "query telemetry", "resolvers, the command center and service owners watch the dashboards",
		[]Role{RoleTechnician, RoleCommandCenter, RoleGroupOwner, RoleServiceOwner}},
	{OpQueryLogs, "query logs", "the technicians of the owning group do that", resolvers},
	{OpQueryTraffic, "query traffic", "the technicians of the owning group do that", resolvers},
	{OpQueryVendorChanges, "read vendor change logs", "the resolver group or the command center does that",
		[]Role{RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpSearchKnowledge, "search knowledge", "ask the service desk or the resolver group", responders},
	{OpSearchParents, "search parent incidents", "the service desk searches before creating a record",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter}},
	{OpIdentifyRootCause, "record a root cause", "the resolver group does that", resolvers},
	{OpDeclareWorkaround, "declare a workaround", "the assigned technician, the service desk or the command center does that",
		[]Role{RoleServiceDesk, RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpDeclareRestored, "declare service restored", "the assigned technician, the service desk or the command center does that",
		[]Role{RoleServiceDesk, RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpValidateRestoration, "validate restoration", "the service owner validates that the service is restored", []Role{RoleServiceOwner}},
	{OpBusinessImpact, "enter business-impact statements", "the service owner enters it", []Role{RoleServiceOwner}},
	{OpOpenProblem, "open problem records", "the command center opens them for P1/P2; a technician may when root-cause analysis is needed",
		[]Role{RoleTechnician, RoleCommandCenter}},
	{OpOpenChange, "open change records", "the resolver group or the command center does that",
		[]Role{RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpApproveChange, "approve changes", "the group owner approves, or the command center for emergency changes",
		[]Role{RoleCommandCenter, RoleGroupOwner}},
	{OpStatusUpdate, "send status updates", "the command center and the incident manager inform stakeholders; resolvers report on their work",
		[]Role{RoleIncidentManager, RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpClose, "close records", "the service desk or the assigned group closes P3/P4; the command center closes P1/P2",
		[]Role{RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpAnswerDecision, "answer decisions", "everyone in the exercise answers the decisions put to them", inFiction},
	{OpLessonsLearned, "record lessons learned", "everyone in the exercise may", inFiction},
	{OpRateConfidence, "rate confidence", "everyone in the exercise may", inFiction},
	{OpOpenTask, "open incident tasks", "the group owner opens tasks; the command center, the incident manager and technicians may",
		[]Role{RoleIncidentManager, RoleTechnician, RoleCommandCenter, RoleGroupOwner}},
	{OpCompleteTask, "complete incident tasks", "the group the task is assigned to does that", resolvers},
	{OpAcknowledgePage, "acknowledge pages", "the paged on-call technician does that", resolvers},
	{OpSilencePage, "silence pages", "the paged group or the command center does that",
		[]Role{RoleTechnician, RoleGroupOwner, RoleCommandCenter}},
	{OpAttachPage, "attach pages to incidents", "the people working the incident do that", responders},
	{OpRaiseIncidentAlert, "raise incident alerts", "the command center raises them for P1/P2", []Role{RoleCommandCenter}},
	{OpStateTime, "state times for the record", "everyone in the exercise may", inFiction},
}

func lookupOp(op Op) (permission, bool) {
	for _, p := range permissions {
		if p.op == op {
			return p, true
		}
	}
	return permission{}, false
}

// Permitted reports whether role may perform op. The facilitator may do
// anything; the observer only watches; an unknown op or role may do nothing.
func Permitted(op Op, role Role) bool {
	return Permit(op, role) == nil
}

// Permit is Permitted with the reason: a Forbidden *Error that says who does
// op instead, or BadRequest for an unknown op or role.
func Permit(op Op, role Role) error {
	p, ok := lookupOp(op)
	if !ok {
		return refuse(BadRequest, op, "", "%q is not an operation of the exercise", op)
	}
	if !role.Valid() {
		return refuse(BadRequest, op, "", "%q is not a role of the exercise", role)
	}
	if role == RoleFacilitator {
		return nil
	}
	if role == RoleObserver {
		return refuse(Forbidden, op, "", "an observer only watches; ask the facilitator for a role to take part")
	}
	for _, r := range p.roles {
		if r == role {
			return nil
		}
	}
	return refuse(Forbidden, op, "", "%s cannot %s; %s", role.article(), p.doing, p.who)
}

// PermittedRoles lists the roles that may perform op, facilitator included,
// in the order of Roles.
func PermittedRoles(op Op) []Role {
	var out []Role
	for _, r := range Roles {
		if Permitted(op, r) {
			out = append(out, r)
		}
	}
	return out
}

// Title is the role as a person reads it: "service desk analyst".
func (r Role) Title() string {
	switch r {
	case RoleServiceDesk:
		return "service desk analyst"
	case RoleCommandCenter:
		return "command center"
	case RoleGroupOwner:
		return "assignment-group owner"
	}
	return strings.ReplaceAll(string(r), "_", " ")
}

func (r Role) article() string {
	t := r.Title()
	switch {
	case r == RoleCommandCenter:
		return "the " + t
	case t != "" && strings.IndexAny(t[:1], "aeiou") == 0:
		return "an " + t
	}
	return "a " + t
}
