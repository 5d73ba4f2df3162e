package engine

import (
	"slices"
	"strings"
)

// Scope narrows a role's permission to what the actor is part of. A scope
// is a set: every flag in it must hold.
type Scope uint8

const (
	// Anywhere: the role alone decides.
	Anywhere Scope = 0
	// OwnGroup: the actor is in a group the target belongs to: the group an
	// incident or task is assigned to, the group that owns a service,
	// runbook, remedy or vendor, the group a page went to.
	OwnGroup Scope = 1 << iota
	// MinorOnly: the target incident is not major (Policy.Major); major
	// incidents are the command center's.
	MinorOnly
	// ServiceOwner: the actor is the service-level owner of the target's
	// service.
	ServiceOwner
	// Holder: the actor holds the target page.
	Holder
	// Addressed: the target decision was put to the actor.
	Addressed
)

// Grant is one role's permission for an op, within a scope.
type Grant struct {
	Role  Role
	Scope Scope
}

// Permission is one row of the policy table: who may perform an op, within
// which scope, and what to tell someone who may not. The facilitator may
// do anything; the observer nothing.
type Permission struct {
	Op     Op
	Doing  string // "acknowledge incidents", completes "a caller cannot …"
	Who    string // who does it instead
	Grants []Grant
}

// Target is what an input acts on, as far as permission goes: the door
// resolves it from the exercise's state before any handler runs.
type Target struct {
	// Known is false when the input names nothing that exists yet, or
	// nothing at all; the scope is not checked then, and the handler
	// refuses a missing record as not found.
	Known bool
	// What names the target for a sentence: "INC0003", "runbook
	// egress-proxy-health".
	What string
	// Groups are the groups the target belongs to (OwnGroup). A target of
	// no group (an incident nobody is assigned yet) excludes nobody.
	Groups []string
	// Major: the target incident is major (MinorOnly).
	Major bool
	// Owners are the service-level owners of the target's services
	// (ServiceOwner), none for a target of no service; Holder is the
	// person holding the target page (Holder).
	Owners []string
	Holder string
	// To is who the target decision was put to (Addressed).
	To *Audience
}

// Check is the one permission check: may actor, in the groups given, do op
// to target? The refusal says why and who does it instead.
func Check(op Op, actor Actor, groups []string, t Target) error {
	p, why := decide(op, actor, groups, t)
	switch why {
	case allowed:
		return nil
	case unknownOp:
		return Refuse(BadRequest, op, "", "%q is not an operation of the exercise; see /help", op)
	case noActor:
		return Refuse(BadRequest, op, "", "an input needs an actor with a name and a known role")
	case observer:
		return Refuse(Forbidden, op, "", "an observer only watches; ask the facilitator for a role to take part")
	case wrongRole:
		return Refuse(Forbidden, op, "", "%s cannot %s; %s", actor.Role.article(), p.Doing, p.Who)
	case otherGroup:
		return Refuse(Forbidden, op, t.What, "%s belongs to %s; %s of that group may %s, or ask them in their channel",
			t.What, orNobody(t.Groups), actor.Role.article(), p.Doing)
	case major:
		return Refuse(Forbidden, op, t.What, "%s is a major incident; the command center may %s, so ask them", t.What, p.Doing)
	case notOwner:
		return Refuse(Forbidden, op, t.What, "the service owner of %s (%s) does that", t.What, orNobody(t.Owners))
	case notHolder:
		return Refuse(Forbidden, op, t.What, "%s is with %s; only the person holding a page may %s", t.What, orNobody([]string{t.Holder}), p.Doing)
	default: // notAddressed
		return Refuse(Forbidden, op, t.What, "%s was not put to you", t.What)
	}
}

// Allows is Check's answer without the sentence: for a caller that asks
// often and only needs yes or no (may this seat watch that dashboard?).
func Allows(op Op, actor Actor, groups []string, t Target) bool {
	_, why := decide(op, actor, groups, t)
	return why == allowed
}

// refusal is why decide said no.
type refusal int

const (
	allowed refusal = iota
	unknownOp
	noActor
	observer
	wrongRole
	otherGroup
	major
	notOwner
	notHolder
	notAddressed
)

// decide is the rule behind Check, kept free of formatting so that asking
// costs nothing.
func decide(op Op, actor Actor, groups []string, t Target) (Permission, refusal) {
	p, ok := row(op)
	switch {
	case !ok:
		return p, unknownOp
	case actor.Name == "" || !actor.Role.Valid():
		return p, noActor
	case actor.Role == RoleFacilitator:
		return p, allowed
	case actor.Role == RoleObserver:
		return p, observer
	}
	i := slices.IndexFunc(p.Grants, func(g Grant) bool { return g.Role == actor.Role })
	if i < 0 {
		return p, wrongRole
	}
	scope := p.Grants[i].Scope
	if !t.Known {
		return p, allowed
	}
	switch {
	case scope&OwnGroup != 0 && len(t.Groups) > 0 && !slices.ContainsFunc(t.Groups, func(g string) bool { return slices.Contains(groups, g) }):
		return p, otherGroup
	case scope&MinorOnly != 0 && t.Major:
		return p, major
	case scope&ServiceOwner != 0 && len(t.Owners) > 0 && !slices.Contains(t.Owners, actor.Name):
		return p, notOwner
	case scope&Holder != 0 && t.Holder != "" && t.Holder != actor.Name:
		return p, notHolder
	case scope&Addressed != 0 && (t.To == nil || !t.To.Sees(Viewer{Name: actor.Name, Role: actor.Role, Groups: groups})):
		return p, notAddressed
	}
	return p, allowed
}

func orNobody(names []string) string {
	var out []string
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return "nobody"
	}
	return strings.Join(out, " or ")
}

// Permitted reports whether role may perform op somewhere: the role part of
// the table, without a target. The facilitator may do anything; the
// observer only watches; an unknown op or role may do nothing.
func Permitted(op Op, role Role) bool {
	p, ok := row(op)
	if role == RoleFacilitator {
		return ok
	}
	return ok && slices.ContainsFunc(p.Grants, func(g Grant) bool { return g.Role == role })
}

// PermittedRoles lists the roles that may perform op, facilitator included,
// in the order of Roles.
func PermittedRoles(op Op) []Role {
	var out []Role
	for _, r := range Roles() {
		if Permitted(op, r) {
			out = append(out, r)
		}
	}
	return out
}

// PermissionOf is the row of the policy table for op, a copy.
func PermissionOf(op Op) (Permission, bool) {
	p, ok := row(op)
	p.Grants = slices.Clone(p.Grants)
	return p, ok
}

// policy is the table, built once; nothing outside this file changes it,
// and callers receive copies. rows indexes it by op: the door looks a row
// up for every input and every telemetry sample.
var (
	policy = permissions()
	rows   = func() map[Op]int {
		m := make(map[Op]int, len(policy))
		for i, p := range policy {
			m[p.Op] = i
		}
		return m
	}()
)

func row(op Op) (Permission, bool) {
	i, ok := rows[op]
	if !ok {
		return Permission{}, false
	}
	return policy[i], true
}

// grants gives every role listed the same scope.
func grants(scope Scope, roles ...Role) []Grant {
	out := make([]Grant, len(roles))
	for i, r := range roles {
		out[i] = Grant{Role: r, Scope: scope}
	}
	return out
}

// Permissions is the policy table, in op order: the default process of
// ARCHITECTURE.md and the role notes it came from. It is a copy, so no caller can
// change it for another.
func Permissions() []Permission {
	out := slices.Clone(policy)
	for i := range out {
		out[i].Grants = slices.Clone(out[i].Grants)
	}
	return out
}

func permissions() []Permission {
	var (
		sd, im, tech, cc, gowner, sowner = RoleServiceDesk, RoleIncidentManager, RoleTechnician, RoleCommandCenter, RoleGroupOwner, RoleServiceOwner
		responders                       = []Role{sd, im, tech, cc, gowner}
	)
	all := func(scope Scope, roles []Role) []Grant { return grants(scope, roles...) }
	join := func(gs ...[]Grant) []Grant { return slices.Concat(gs...) }
	own := func(roles ...Role) []Grant { return grants(OwnGroup, roles...) }
	anyOf := func(roles ...Role) []Grant { return grants(Anywhere, roles...) }
	return []Permission{
		{OpCreateIncident, "create incident records", "the service desk records what callers report, and technicians, the incident manager and the command center record what they find",
			anyOf(RoleCaller, sd, im, tech, cc)},
		{OpUpdateIncident, "update incident records", "tell the service desk or the assigned group, who keep the record up to date",
			join(anyOf(sd, im, cc), own(tech, gowner))},
		{OpClassify, "classify records", "the service desk, the incident manager or the command center does that", anyOf(sd, im, cc)},
		{OpAssign, "assign incidents", "the service desk assigns, the incident manager and the owner of the assigned group reassign, and the command center engages groups for major incidents",
			join(anyOf(sd, im, cc), own(gowner))},
		{OpAcknowledge, "acknowledge incidents", "the technician of the assigned group does that", own(tech, gowner)},
		{OpPrioritise, "set priorities", "the service desk sets it, the incident manager reviews it and the command center validates it", anyOf(sd, im, cc)},
		{OpLinkParent, "link incidents to a parent", "the service desk links to the parent it found; the incident manager, the command center or the assigned technician can too",
			join(anyOf(sd, im, cc), own(tech))},
		{OpMakeParent, "create parent incidents", "the incident manager does that (the assigned technician may for incidents that are not major)",
			join(anyOf(im, cc), grants(OwnGroup|MinorOnly, tech))},
		{OpMerge, "merge duplicate incidents", "ask the service desk, the incident manager or the command center", anyOf(sd, im, cc)},
		{OpDecline, "decline records as not an incident", "ask the service desk, the incident manager or the command center", anyOf(sd, im, cc)},
		{OpOpenWarRoom, "open war rooms", "the command center runs the war room; the incident manager and the assigned group may open one",
			join(anyOf(im, cc), own(tech, gowner))},
		{OpJoinWarRoom, "join war rooms", "the command center invites the people it needs", anyOf(sd, im, tech, cc, gowner, sowner)},
		{OpPage, "page workgroups", "the incident manager pages workgroup to workgroup; the command center and resolver groups engage others",
			anyOf(im, tech, cc, gowner)},
		{OpChat, "chat", "everyone in the exercise may chat", all(Anywhere, inFiction())},
		{OpRunRunbookStep, "run runbook steps", "the technicians of the group that owns the runbook do that; page them", own(tech, gowner)},
		{OpApplyRemedy, "apply remedies", "the technicians of the group that carries the remedy out do that; page them", own(tech, gowner)},
		{OpContactVendor, "contact vendors", "the group whose service uses the vendor, or the command center, does that",
			join(anyOf(cc), own(tech, gowner))},
		{OpQueryTelemetry, "query telemetry", "the owning group, the service owner, the incident manager and the command center watch a service's dashboards",
			join(anyOf(im, cc), own(tech, gowner), grants(ServiceOwner, sowner))},
		{OpQueryLogs, "query logs", "the technicians of the owning group do that", own(tech, gowner)},
		{OpQueryTraffic, "query traffic", "the technicians of the owning group do that", own(tech, gowner)},
		{OpQueryVendorChanges, "read vendor change logs", "the group whose service uses the vendor, or the command center, does that",
			join(anyOf(cc), own(tech, gowner))},
		{OpSearchKnowledge, "search knowledge", "ask the service desk or the resolver group", all(Anywhere, responders)},
		{OpSearchParents, "search parent incidents", "the service desk searches before creating a record", anyOf(sd, im, tech, cc)},
		{OpIdentifyRootCause, "record a root cause", "the group working the incident does that", own(tech, gowner)},
		{OpDeclareWorkaround, "declare a workaround", "the assigned group, the service desk or the command center does that",
			join(anyOf(sd, cc), own(tech, gowner))},
		{OpDeclareRestored, "declare service restored", "the assigned group, the service desk or the command center does that",
			join(anyOf(sd, cc), own(tech, gowner))},
		{OpValidateRestoration, "validate restoration", "the service owner validates that the service is restored", grants(ServiceOwner, sowner)},
		{OpBusinessImpact, "enter business-impact statements", "the service owner enters it", grants(ServiceOwner, sowner)},
		{OpOpenProblem, "open problem records", "the command center opens them for major incidents; the assigned technician may when root-cause analysis is needed",
			join(anyOf(cc), own(tech))},
		{OpOpenChange, "open change records", "the group that carries the remedy out, or the command center, does that",
			join(anyOf(cc), own(tech, gowner))},
		{OpApproveChange, "approve changes", "the owner of the group that carries the change out approves it, or the command center for emergency changes",
			join(anyOf(cc), own(gowner))},
		{OpStatusUpdate, "send status updates", "the command center and the incident manager inform stakeholders; resolvers report on their work",
			anyOf(im, tech, cc, gowner)},
		{OpClose, "close records", "the service desk or the assigned group closes incidents that are not major; the command center closes major ones",
			join(grants(MinorOnly, sd, im), grants(OwnGroup|MinorOnly, tech, gowner), anyOf(cc))},
		{OpAnswerDecision, "answer decisions", "everyone in the exercise answers the decisions put to them", all(Addressed, inFiction())},
		{OpLessonsLearned, "record lessons learned", "everyone in the exercise may", all(Anywhere, inFiction())},
		{OpRateConfidence, "rate confidence", "everyone in the exercise may", all(Anywhere, inFiction())},
		{OpOpenTask, "open incident tasks", "the group owner opens tasks; the command center, the incident manager and technicians may",
			anyOf(im, tech, cc, gowner)},
		{OpCompleteTask, "complete incident tasks", "the group the task is assigned to does that", own(tech, gowner)},
		{OpAcknowledgePage, "acknowledge pages", "the person the page is with does that", grants(Holder, tech, gowner)},
		{OpSilencePage, "silence pages", "the paged group or the command center does that", join(anyOf(cc), own(tech, gowner))},
		{OpAttachPage, "attach pages to incidents", "the people working the incident do that", join(anyOf(sd, im, cc), own(tech, gowner))},
		{OpRaiseIncidentAlert, "raise incident alerts", "the command center raises them for major incidents", anyOf(cc)},
		{OpStateTime, "state times for the record", "everyone in the exercise may", all(Anywhere, inFiction())},
		{OpPause, "pause the exercise", "the facilitator does that", nil},
		{OpResume, "resume the exercise", "the facilitator does that", nil},
		{OpSetSpeed, "change the exercise's speed", "the facilitator does that", nil},
		{OpFireInject, "deliver injects", "the facilitator does that", nil},
		{OpEnd, "end the exercise", "the facilitator does that", nil},
	}
}

// String is the scope in words, for tests and documentation.
func (s Scope) String() string {
	if s == Anywhere {
		return "anywhere"
	}
	var parts []string
	for _, f := range []struct {
		flag Scope
		name string
	}{{OwnGroup, "own group"}, {MinorOnly, "minor only"}, {ServiceOwner, "service owner"}, {Holder, "holder"}, {Addressed, "addressed"}} {
		if s&f.flag != 0 {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, " + ")
}
