package exercise

import (
	"errors"
	"slices"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// outcome is what a handler did: the records it changed, and who sees the
// action event (nil means everyone: the ITSM tool is visible to all).
type outcome struct {
	records []engine.RecordChange
	to      *engine.Audience
	silent  bool // the handler emitted its own events
	// command is a ChatOps command the input asked for: the door applies
	// its effects as inputs of their own, then posts the bot's reply.
	command *command
}

type handler func(x *Exercise, actor engine.Actor, a engine.Action) (outcome, error)

// handlerOf is the function that carries op out.
func handlerOf(op engine.Op) (handler, bool) {
	switch op {
	case engine.OpCreateIncident:
		return (*Exercise).createIncident, true
	case engine.OpUpdateIncident:
		return (*Exercise).updateIncident, true
	case engine.OpClassify:
		return recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (engine.Incident, error) {
			return x.book.Classify(a.Record, x.now, ac.Name, a.Classification)
		}), true
	case engine.OpAssign:
		return (*Exercise).assign, true
	case engine.OpAcknowledge:
		return recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (engine.Incident, error) {
			return x.book.Acknowledge(a.Record, x.now, ac.Name)
		}), true
	case engine.OpPrioritise:
		return recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (engine.Incident, error) {
			return x.book.Prioritise(a.Record, x.now, ac.Name, a.Impact, a.Urgency)
		}), true
	case engine.OpLinkParent:
		return recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]engine.Incident, error) {
			return x.book.LinkParent(a.Record, a.Parent, x.now, ac.Name)
		}), true
	case engine.OpMakeParent:
		return recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (engine.Incident, error) {
			return x.book.MakeParent(a.Record, x.now, ac.Name)
		}), true
	case engine.OpMerge:
		return recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]engine.Incident, error) {
			return x.book.Merge(a.Record, a.Parent, x.now, ac.Name)
		}), true
	case engine.OpDecline:
		return recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (engine.Incident, error) {
			return x.book.Decline(a.Record, x.now, ac.Name, a.Text)
		}), true
	case engine.OpOpenWarRoom:
		return (*Exercise).openWarRoom, true
	case engine.OpJoinWarRoom:
		return (*Exercise).joinWarRoom, true
	case engine.OpPage:
		return (*Exercise).page, true
	case engine.OpChat:
		return (*Exercise).chat, true
	case engine.OpRunRunbookStep:
		return (*Exercise).runRunbookStep, true
	case engine.OpApplyRemedy:
		return (*Exercise).applyRemedy, true
	case engine.OpContactVendor:
		return (*Exercise).contactVendor, true
	case engine.OpQueryTelemetry:
		return (*Exercise).queryTelemetry, true
	case engine.OpQueryLogs:
		return (*Exercise).queryLogs, true
	case engine.OpQueryTraffic:
		return (*Exercise).queryTraffic, true
	case engine.OpQueryVendorChanges:
		return (*Exercise).queryVendorChanges, true
	case engine.OpSearchKnowledge:
		return (*Exercise).searchKnowledge, true
	case engine.OpSearchParents:
		return (*Exercise).searchParents, true
	case engine.OpIdentifyRootCause:
		return (*Exercise).identifyRootCause, true
	case engine.OpDeclareWorkaround:
		return recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]engine.Incident, error) {
			return x.book.DeclareWorkaround(a.Record, x.now, ac.Name, a.Text)
		}), true
	case engine.OpDeclareRestored:
		return recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]engine.Incident, error) {
			return x.book.DeclareRestored(a.Record, x.now, ac.Name)
		}), true
	case engine.OpValidateRestoration:
		return (*Exercise).validateRestoration, true
	case engine.OpBusinessImpact:
		return recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (engine.Incident, error) {
			return x.book.SetBusinessImpact(a.Record, x.now, ac.Name, a.Text)
		}), true
	case engine.OpOpenProblem:
		return (*Exercise).openProblem, true
	case engine.OpOpenChange:
		return (*Exercise).openChange, true
	case engine.OpApproveChange:
		return (*Exercise).approveChange, true
	case engine.OpStatusUpdate:
		return (*Exercise).statusUpdate, true
	case engine.OpClose:
		return recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]engine.Incident, error) {
			return x.book.Close(a.Record, x.now, ac.Name, a.Text)
		}), true
	case engine.OpAnswerDecision:
		return (*Exercise).answer, true
	case engine.OpLessonsLearned:
		return (*Exercise).private, true
	case engine.OpRateConfidence:
		return (*Exercise).rateConfidence, true
	case engine.OpOpenTask:
		return (*Exercise).openTask, true
	case engine.OpCompleteTask:
		return (*Exercise).completeTask, true
	case engine.OpAcknowledgePage:
		return (*Exercise).acknowledgePage, true
	case engine.OpSilencePage:
		return (*Exercise).silencePage, true
	case engine.OpAttachPage:
		return (*Exercise).attachPage, true
	case engine.OpRaiseIncidentAlert:
		return (*Exercise).raiseAlert, true
	case engine.OpStateTime:
		return recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (engine.Incident, error) {
			return x.book.StateTime(a.Record, x.now, ac.Name, a.Milestone, a.Stated)
		}), true
	case engine.OpPause, engine.OpResume, engine.OpSetSpeed:
		return (*Exercise).control, true
	case engine.OpFireInject:
		return (*Exercise).fire, true
	case engine.OpEnd:
		return (*Exercise).end, true
	}
	return nil, false
}

// Apply is the one door. Every input — a person's, a bot's, the
// facilitator's — comes in here: it is admitted (the exercise still takes
// it, the actor is known), its permission is checked once against the
// policy table with the target resolved from the exercise's state, a query
// whose tool a fault has taken down is refused, and only then does its
// handler run. A ChatOps command's effects are inputs
// of their own and pass the same checks; they do not come back through
// Apply. A refused input returns a typed *engine.Error and is itself
// logged, because a wrong move is part of the record.
func (x *Exercise) Apply(in engine.Input) ([]engine.Event, error) {
	mark := len(x.log)
	if err := x.clean(&in); err != nil {
		err = x.refused(in, err) // before slicing: the refusal is in the log too
		return x.log[mark:], err
	}
	// Whatever happens next, the input's text is in the log.
	x.textBy[in.Actor.Name] += in.Action.FreeTextBytes()
	x.textSum += in.Action.FreeTextBytes()
	out, err := x.through(in)
	if err != nil {
		err = x.refused(in, err)
		return x.log[mark:], err
	}
	if c := out.command; c != nil {
		results := make([]error, len(c.effects))
		for i, a := range c.effects {
			effect := engine.Act(in.Actor, a)
			if _, err := x.through(effect); err != nil {
				results[i] = x.refused(effect, err)
			}
		}
		x.emit(engine.KindChat, c.to, botName, engine.ChatData{Channel: c.channel, From: botName, Text: c.reply(results), Bot: true})
	}
	return x.log[mark:], nil
}

// through admits an input, checks its permission, and carries it out.
func (x *Exercise) through(in engine.Input) (outcome, error) {
	a := in.Action
	if err := x.admit(in); err != nil {
		return outcome{}, err
	}
	h, ok := handlerOf(a.Op)
	if !ok {
		return outcome{}, refuse(engine.BadRequest, a.Op, "%q is not an action; see /help", a.Op)
	}
	if err := engine.Check(a.Op, in.Actor, x.groupsOf(in.Actor.Name), x.target(a)); err != nil {
		return outcome{}, err
	}
	if err := x.tools.refusal(x, a.Op); err != nil {
		return outcome{}, err
	}
	out, err := h(x, in.Actor, a)
	// Whatever the Book changed goes in the log: the handler's records
	// first, then the knock-on changes it does not report.
	touched := x.book.Touched()
	if err != nil || out.silent {
		return out, err
	}
	for _, rc := range touched {
		if !slices.ContainsFunc(out.records, rc.Same) {
			out.records = append(out.records, rc)
		}
	}
	to := engine.Everyone()
	if out.to != nil {
		to = *out.to
	}
	x.emit(engine.KindAction, to, in.Actor.Name, engine.ActionData{Action: a, Role: in.Actor.Role, Records: out.records})
	return out, nil
}

// admit refuses what the exercise no longer takes, and inputs without a
// known actor.
func (x *Exercise) admit(in engine.Input) error {
	op := in.Action.Op
	if in.Actor.Name == "" || !in.Actor.Role.Valid() {
		return refuse(engine.BadRequest, op, "an input needs an actor with a name and a known role")
	}
	// After the end only the hotwash goes on: talk, confidence and lessons.
	if x.ended && op != engine.OpRateConfidence && op != engine.OpLessonsLearned && op != engine.OpChat {
		return refuse(engine.Conflict, op, "the exercise has ended; you can still talk, rate your confidence and add lessons learned")
	}
	return nil
}

// clean is the one check of the text an input carries (engine.CleanText),
// field by field, and of the budgets in bytes that bound it. A field it
// refuses is left out of the refusal that goes in the log, and so is the
// free text of an input over its budget: nothing refused for its text is
// stored.
func (x *Exercise) clean(in *engine.Input) error {
	// Every field is checked, and each bad one blanked, so the refusal
	// the log keeps carries none of them.
	var first error
	for _, f := range in.Action.TextFields() {
		s, err := f.Check(in.Action.Op, x.limits)
		if err != nil && first == nil {
			first = err
		}
		*f.Ptr = s
	}
	if !in.Actor.Role.Valid() {
		bad := in.Actor.Role
		in.Actor.Role = ""
		if first == nil {
			first = refuse(engine.BadRequest, in.Action.Op, "%q is not a role", bad)
		}
	}
	if first != nil {
		return first
	}
	if err := x.CheckBudget(*in); err != nil {
		in.Action.Text, in.Action.Caller = "", ""
		return err
	}
	return nil
}

// CheckBudget refuses an input whose free text would take its seat or the
// exercise past their budgets (engine.Limits). The door asks it of every
// input; a host may ask first, to refuse before anything is logged.
func (x *Exercise) CheckBudget(in engine.Input) error {
	n := in.Action.FreeTextBytes()
	if n == 0 {
		return nil
	}
	seat, all := x.textBy[in.Actor.Name], x.textSum
	switch {
	case seat+n > x.limits.SeatBytes:
		return refuse(engine.OverBudget, in.Action.Op, "%s has entered %d bytes of text in this exercise, and this would take it past the limit of %d bytes per seat; actions without text still go through", in.Actor.Name, seat, x.limits.SeatBytes)
	case all+n > x.limits.ExerciseBytes:
		return refuse(engine.OverBudget, in.Action.Op, "the exercise holds %d bytes of text, and this would take it past its limit of %d bytes; actions without text still go through", all, x.limits.ExerciseBytes)
	}
	return nil
}

// refused logs a refusal to the actor and returns it as an *engine.Error.
func (x *Exercise) refused(in engine.Input, err error) error {
	var ie *engine.Error
	if !errors.As(err, &ie) {
		ie = &engine.Error{Code: engine.BadRequest, Op: in.Action.Op, Reason: err.Error()}
	}
	x.emit(engine.KindRefused, engine.ToPerson(in.Actor.Name), in.Actor.Name, engine.RefusedData{Action: in.Action, Role: in.Actor.Role, Code: string(ie.Code), Reason: ie.Reason})
	return ie
}

func refuse(code engine.Code, op engine.Op, format string, args ...any) error {
	return engine.Refuse(code, op, "", format, args...)
}

// target resolves what an action acts on, for the permission check: the
// groups it belongs to, whether it is a major incident, its service's owner,
// the person holding a page, who a decision was put to.
func (x *Exercise) target(a engine.Action) engine.Target {
	switch a.Op {
	case engine.OpQueryTelemetry, engine.OpQueryLogs, engine.OpQueryTraffic:
		return x.serviceTarget(a.Service)
	case engine.OpIdentifyRootCause:
		if a.Record == "" {
			if h := x.sc.Hypothesis(a.Hypothesis); h != nil && a.Service == "" {
				return x.serviceTarget(h.Service.Name)
			}
			return x.serviceTarget(a.Service)
		}
		return x.incidentTarget(a.Record)
	case engine.OpRunRunbookStep:
		return x.groupTarget("runbook "+a.Runbook, x.sc.Runbook(a.Runbook) != nil, x.sc.StepGroups(a.Runbook, a.Step))
	case engine.OpApplyRemedy, engine.OpOpenChange:
		return x.groupTarget("remedy "+a.Remedy, x.sc.Remedy(a.Remedy) != nil, x.sc.RemedyGroups(a.Remedy))
	case engine.OpContactVendor, engine.OpQueryVendorChanges:
		return x.groupTarget("vendor "+a.Vendor, x.sc.Vendor(a.Vendor) != nil, x.sc.VendorGroups(a.Vendor))
	case engine.OpApproveChange:
		c, err := x.book.Change(a.Record)
		return x.groupTarget(c.Number, err == nil, x.sc.RemedyGroups(c.Remedy))
	case engine.OpCompleteTask:
		t, err := x.book.Task(a.Record)
		return x.groupTarget(t.Number, err == nil, []string{t.Group})
	case engine.OpAcknowledgePage, engine.OpSilencePage, engine.OpAttachPage:
		p := x.pages.byID[a.Page]
		if p == nil {
			return engine.Target{}
		}
		return engine.Target{Known: true, What: p.id, Groups: []string{p.group}, Holder: p.person}
	case engine.OpAnswerDecision:
		d := x.sc.Decision(a.Decision)
		if d == nil {
			return engine.Target{}
		}
		to := audienceOf(d.To)
		return engine.Target{Known: true, What: "decision " + d.Name, To: &to}
	}
	if a.Record != "" {
		return x.incidentTarget(a.Record)
	}
	return engine.Target{}
}

func (x *Exercise) groupTarget(what string, known bool, groups []string) engine.Target {
	if !known || len(groups) == 0 {
		return engine.Target{}
	}
	return engine.Target{Known: true, What: what, Groups: groups}
}

// serviceTarget is a service: its owning group and its service owner.
func (x *Exercise) serviceTarget(name string) engine.Target {
	return x.services[name] // the zero Target, unknown, for no service
}

// serviceTargets works out every service's target once: a service's groups
// and owner never change in a run, and telemetry asks for every service of
// every sample for every seat. Built before the exercise starts, the map is
// only read after, so the hub may ask from its own goroutine.
func serviceTargets(sc *scenario.Scenario) map[string]engine.Target {
	out := map[string]engine.Target{}
	for _, s := range sc.Services {
		if s != nil {
			out[s.Name] = engine.Target{Known: true, What: s.Name, Groups: sc.ServiceGroups(s.Name), Owners: []string{sc.ServiceOwner(s)}}
		}
	}
	return out
}

// incidentTarget is an incident: the groups working it (the group it is
// assigned to, groups paged about it, groups with a task on it), whether it
// is major, and the owners of its service (or its children's, for a parent
// that names none).
func (x *Exercise) incidentTarget(number string) engine.Target {
	inc, err := x.book.Incident(number)
	if err != nil {
		return engine.Target{}
	}
	t := engine.Target{Known: true, What: inc.Number, Major: x.book.Policy().Major(inc.Priority), Groups: x.engaged(inc)}
	services := []string{inc.Service}
	for _, c := range inc.Children {
		if child, err := x.book.Incident(c); err == nil {
			services = append(services, child.Service)
		}
	}
	for _, name := range services {
		if s := x.sc.Service(name); s != nil {
			t.Owners = append(t.Owners, x.sc.ServiceOwner(s))
		}
	}
	return t
}

// MayWatch reports whether a participant may see a service's dashboards:
// whether any role they hold may query its telemetry. The telemetry each
// player receives follows it (engine.Event.For).
func (x *Exercise) MayWatch(v engine.Viewer, service string) bool {
	if v.Role == engine.RoleObserver || v.Role == engine.RoleFacilitator {
		return x.sc.Service(service) != nil
	}
	t := x.serviceTarget(service)
	if !t.Known {
		return false
	}
	if engine.Allows(engine.OpQueryTelemetry, engine.Actor{Name: v.Name, Role: v.Role}, v.Groups, t) {
		return true
	}
	for _, r := range v.Roles {
		if engine.Allows(engine.OpQueryTelemetry, engine.Actor{Name: v.Name, Role: r}, v.Groups, t) {
			return true
		}
	}
	return false
}

func (x *Exercise) groupsOf(person string) []string { return x.sc.GroupNamesOf(person) }

// engaged lists the groups working an incident: the group it is assigned
// to, then, sorted, the groups paged about it and the groups with a task
// on it. None for an incident nobody has been given yet.
func (x *Exercise) engaged(inc engine.Incident) []string {
	var more []string
	add := func(g string) {
		if g != "" && g != inc.Group && !slices.Contains(more, g) {
			more = append(more, g)
		}
	}
	for _, p := range x.pages.byID {
		if p.incident == inc.Number {
			add(p.group)
		}
	}
	for _, t := range x.book.Tasks() {
		if t.Incident == inc.Number {
			add(t.Group)
		}
	}
	slices.Sort(more)
	if inc.Group != "" {
		return append([]string{inc.Group}, more...)
	}
	return more
}

// need checks a name against the scenario, so a typo gets a clear error
// rather than a record about nothing.
func (x *Exercise) need(op engine.Op, kind string, name string, exists bool) error {
	if name == "" {
		return refuse(engine.BadRequest, op, "name the %s", kind)
	}
	if !exists {
		return refuse(engine.NotFound, op, "there is no %s %q in this exercise", kind, name)
	}
	return nil
}
