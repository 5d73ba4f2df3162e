package exercise

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/engine/scenario"
)

// outcome is what a handler did: the records it changed, and who sees the
// action event (nil means everyone: the ITSM tool is visible to all).
type outcome struct {
	records []engine.RecordChange
	to      *engine.Audience
	silent  bool // the handler emitted its own events
}

type handler func(x *Exercise, actor engine.Actor, a engine.Action) (outcome, error)

// handlers maps every op to the function that carries it out.
var handlers map[incident.Op]handler

func init() {
	handlers = map[incident.Op]handler{
		incident.OpCreateIncident: (*Exercise).createIncident,
		incident.OpUpdateIncident: (*Exercise).updateIncident,
		incident.OpClassify: recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (incident.Incident, error) {
			return x.book.Classify(a.Record, x.now, ac.Name, a.Classification)
		}),
		incident.OpAssign:      (*Exercise).assign,
		incident.OpAcknowledge: (*Exercise).acknowledge,
		incident.OpPrioritise: recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (incident.Incident, error) {
			return x.book.Prioritise(a.Record, x.now, ac.Name, a.Impact, a.Urgency)
		}),
		incident.OpLinkParent: recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]incident.Incident, error) {
			return x.book.LinkParent(a.Record, a.Parent, x.now, ac.Name)
		}),
		incident.OpMakeParent: recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (incident.Incident, error) {
			return x.book.MakeParent(a.Record, x.now, ac.Name)
		}),
		incident.OpMerge: recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]incident.Incident, error) {
			return x.book.Merge(a.Record, a.Parent, x.now, ac.Name)
		}),
		incident.OpDecline: recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (incident.Incident, error) {
			return x.book.Decline(a.Record, x.now, ac.Name, a.Text)
		}),
		incident.OpOpenWarRoom:        (*Exercise).openWarRoom,
		incident.OpJoinWarRoom:        (*Exercise).joinWarRoom,
		incident.OpPage:               (*Exercise).page,
		incident.OpChat:               (*Exercise).chat,
		incident.OpRunRunbookStep:     (*Exercise).runRunbookStep,
		incident.OpApplyRemedy:        (*Exercise).applyRemedy,
		incident.OpContactVendor:      (*Exercise).contactVendor,
		incident.OpQueryTelemetry:     (*Exercise).queryTelemetry,
		incident.OpQueryLogs:          (*Exercise).queryLogs,
		incident.OpQueryTraffic:       (*Exercise).queryTraffic,
		incident.OpQueryVendorChanges: (*Exercise).queryVendorChanges,
		incident.OpSearchKnowledge:    (*Exercise).searchKnowledge,
		incident.OpSearchParents:      (*Exercise).searchParents,
		incident.OpIdentifyRootCause:  (*Exercise).identifyRootCause,
		incident.OpDeclareWorkaround: recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]incident.Incident, error) {
			return x.book.DeclareWorkaround(a.Record, x.now, ac.Name, a.Text)
		}),
		incident.OpDeclareRestored: recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]incident.Incident, error) {
			return x.book.DeclareRestored(a.Record, x.now, ac.Name)
		}),
		incident.OpValidateRestoration: (*Exercise).validateRestoration,
		incident.OpBusinessImpact: recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (incident.Incident, error) {
			return x.book.SetBusinessImpact(a.Record, x.now, ac.Name, a.Text)
		}),
		incident.OpOpenProblem:   (*Exercise).openProblem,
		incident.OpOpenChange:    (*Exercise).openChange,
		incident.OpApproveChange: (*Exercise).approveChange,
		incident.OpStatusUpdate:  (*Exercise).statusUpdate,
		incident.OpClose: recordsOp(func(x *Exercise, ac engine.Actor, a engine.Action) ([]incident.Incident, error) {
			return x.book.Close(a.Record, x.now, ac.Name, a.Text)
		}),
		incident.OpAnswerDecision:     (*Exercise).answer,
		incident.OpLessonsLearned:     (*Exercise).private,
		incident.OpRateConfidence:     (*Exercise).rateConfidence,
		incident.OpOpenTask:           (*Exercise).openTask,
		incident.OpCompleteTask:       (*Exercise).completeTask,
		incident.OpAcknowledgePage:    (*Exercise).acknowledgePage,
		incident.OpSilencePage:        (*Exercise).silencePage,
		incident.OpAttachPage:         (*Exercise).attachPage,
		incident.OpRaiseIncidentAlert: (*Exercise).raiseAlert,
		incident.OpStateTime: recordOp(func(x *Exercise, ac engine.Actor, a engine.Action) (incident.Incident, error) {
			return x.book.StateTime(a.Record, x.now, ac.Name, a.Milestone, a.Stated)
		}),
	}
}

// Apply is the one door for actions. It checks the actor's role may take the
// action, carries it out and returns the events it produced. A refused
// action returns a typed *incident.Error and is itself logged, because a
// wrong move is part of the record.
func (x *Exercise) Apply(actor engine.Actor, a engine.Action) ([]engine.Event, error) {
	mark := len(x.log)
	err := x.apply(actor, a)
	if err != nil {
		var ie *incident.Error
		if !errors.As(err, &ie) {
			ie = &incident.Error{Code: incident.BadRequest, Op: a.Op, Reason: err.Error()}
			err = ie
		}
		x.emit(engine.KindRefused, engine.ToPerson(actor.Name), actor.Name, engine.RefusedData{Action: a, Role: actor.Role, Code: string(ie.Code), Reason: ie.Reason})
	}
	return x.log[mark:], err
}

func (x *Exercise) apply(actor engine.Actor, a engine.Action) error {
	// After the end only the hotwash goes on: talk, confidence and lessons.
	if x.ended && a.Op != incident.OpRateConfidence && a.Op != incident.OpLessonsLearned && a.Op != incident.OpChat {
		return &incident.Error{Code: incident.Conflict, Op: a.Op, Reason: "the exercise has ended; you can still talk, rate your confidence and add lessons learned"}
	}
	if actor.Name == "" || !actor.Role.Valid() {
		return &incident.Error{Code: incident.BadRequest, Op: a.Op, Reason: "an action needs an actor with a name and a known role"}
	}
	h, ok := handlers[a.Op]
	if !ok {
		return &incident.Error{Code: incident.BadRequest, Op: a.Op, Reason: fmt.Sprintf("%q is not an action; see /help", a.Op)}
	}
	if err := x.book.Authorize(a.Op, actor.Role, a.Record); err != nil {
		return err
	}
	out, err := h(x, actor, a)
	if err != nil {
		return err
	}
	if out.silent {
		return nil
	}
	to := engine.Everyone
	if out.to != nil {
		to = *out.to
	}
	x.emit(engine.KindAction, to, actor.Name, engine.ActionData{Action: a, Role: actor.Role, Records: out.records})
	return nil
}

func recordOp(f func(*Exercise, engine.Actor, engine.Action) (incident.Incident, error)) handler {
	return func(x *Exercise, ac engine.Actor, a engine.Action) (outcome, error) {
		inc, err := f(x, ac, a)
		if err != nil {
			return outcome{}, err
		}
		return outcome{records: []engine.RecordChange{{Incident: &inc}}}, nil
	}
}

func recordsOp(f func(*Exercise, engine.Actor, engine.Action) ([]incident.Incident, error)) handler {
	return func(x *Exercise, ac engine.Actor, a engine.Action) (outcome, error) {
		incs, err := f(x, ac, a)
		if err != nil {
			return outcome{}, err
		}
		return outcome{records: incidentChanges(incs)}, nil
	}
}

func incidentChanges(incs []incident.Incident) []engine.RecordChange {
	out := make([]engine.RecordChange, len(incs))
	for i := range incs {
		out[i] = engine.RecordChange{Incident: &incs[i]}
	}
	return out
}

func refuse(code incident.Code, op incident.Op, format string, args ...any) error {
	return &incident.Error{Code: code, Op: op, Reason: fmt.Sprintf(format, args...)}
}

// need checks a name against the scenario, so a typo gets a clear error
// rather than a record about nothing.
func (x *Exercise) need(op incident.Op, kind string, name string, exists bool) error {
	if name == "" {
		return refuse(incident.BadRequest, op, "name the %s", kind)
	}
	if !exists {
		return refuse(incident.NotFound, op, "there is no %s %q in this exercise", kind, name)
	}
	return nil
}

func (x *Exercise) groupsOf(person string) []string {
	var out []string
	for _, g := range x.sc.GroupsOf(person) {
		out = append(out, g.Name)
	}
	return out
}

func (x *Exercise) createIncident(ac engine.Actor, a engine.Action) (outcome, error) {
	if a.Service != "" {
		if err := x.need(a.Op, "service", a.Service, x.sc.Service(a.Service) != nil); err != nil {
			return outcome{}, err
		}
	}
	if a.Group != "" {
		if err := x.need(a.Op, "group", a.Group, x.sc.Group(a.Group) != nil); err != nil {
			return outcome{}, err
		}
	}
	inc, err := x.book.CreateIncident(incident.NewIncident{
		At: x.now, By: ac.Name, Class: a.Classification, ShortDescription: a.Text, Service: a.Service,
		Caller: a.Caller, Impact: a.Impact, Urgency: a.Urgency, Group: a.Group, Assignee: a.Person,
	})
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Incident: &inc}}}, nil
}

func (x *Exercise) updateIncident(ac engine.Actor, a engine.Action) (outcome, error) {
	if a.Service != "" && x.sc.Service(a.Service) == nil {
		return outcome{}, x.need(a.Op, "service", a.Service, false)
	}
	inc, err := x.book.UpdateIncident(a.Record, x.now, ac.Name, incident.IncidentUpdate{ShortDescription: a.Text, Service: a.Service, Caller: a.Caller})
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Incident: &inc}}}, nil
}

func (x *Exercise) assign(ac engine.Actor, a engine.Action) (outcome, error) {
	if err := x.need(a.Op, "group", a.Group, x.sc.Group(a.Group) != nil); err != nil {
		return outcome{}, err
	}
	if g := x.sc.Group(a.Group); a.Person != "" && !slices.Contains(g.Members, a.Person) {
		return outcome{}, refuse(incident.BadRequest, a.Op, "%s is not a member of %s (%s)", a.Person, a.Group, strings.Join(g.Members, ", "))
	}
	inc, err := x.book.Assign(a.Record, x.now, ac.Name, a.Group, a.Person)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Incident: &inc}}}, nil
}

// acknowledge: only a person of the assigned group takes an incident.
func (x *Exercise) acknowledge(ac engine.Actor, a engine.Action) (outcome, error) {
	inc, err := x.book.Incident(a.Record)
	if err != nil {
		return outcome{}, err
	}
	if ac.Role != incident.RoleFacilitator && inc.Group != "" && !slices.Contains(x.groupsOf(ac.Name), inc.Group) {
		return outcome{}, refuse(incident.Forbidden, a.Op, "%s is assigned to %s; a person of that group acknowledges it", inc.Number, inc.Group)
	}
	inc, err = x.book.Acknowledge(a.Record, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Incident: &inc}}}, nil
}

func (x *Exercise) openWarRoom(ac engine.Actor, a engine.Action) (outcome, error) {
	opened, err := x.book.OpenWarRoom(a.Record, a.Text, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	rc := engine.RecordChange{WarRoom: &opened.Room}
	if opened.Duplicate {
		rc.DuplicateOf = opened.Existing.Number
	}
	return outcome{records: []engine.RecordChange{rc}}, nil
}

func (x *Exercise) joinWarRoom(ac engine.Actor, a engine.Action) (outcome, error) {
	w, err := x.book.JoinWarRoom(a.Record, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{WarRoom: &w}}}, nil
}

// page pages a group's on-call person (through its rotation) or a person.
func (x *Exercise) page(ac engine.Actor, a engine.Action) (outcome, error) {
	text := a.Text
	if text == "" {
		text = fmt.Sprintf("%s pages you%s", ac.Name, forIncident(a.Record))
	}
	p := &page{incident: a.Record, from: ac.Name, text: text, runbook: a.Runbook, rbStep: a.Step}
	var rotation *scenario.Rotation
	switch {
	case a.Group != "":
		if err := x.need(a.Op, "group", a.Group, x.sc.Group(a.Group) != nil); err != nil {
			return outcome{}, err
		}
		p.group, rotation = a.Group, x.rotationOf(a.Group)
	case a.Person != "":
		groups := x.groupsOf(a.Person)
		if err := x.need(a.Op, "person", a.Person, len(groups) > 0); err != nil {
			return outcome{}, err
		}
		// A person paged by name gets it directly: no rotation to escalate.
		p.group, p.person = groups[0], a.Person
	default:
		return outcome{}, refuse(incident.BadRequest, a.Op, "say whom to page: a group (its on-call person) or a person")
	}
	if a.Runbook != "" && x.sc.Runbook(a.Runbook) == nil {
		return outcome{}, x.need(a.Op, "runbook", a.Runbook, false)
	}
	x.sendPage(rotation, p)
	x.pageCnt++
	to := engine.ToPerson(ac.Name)
	return outcome{to: &to}, nil
}

func forIncident(rec string) string {
	if rec == "" {
		return ""
	}
	return " about " + rec
}

// maxSilence bounds a silence: longer is ignoring the alert, not silencing it.
const maxSilence = 4 * time.Hour

func (x *Exercise) silencePage(ac engine.Actor, a engine.Action) (outcome, error) {
	p, err := x.openPage(a.Op, a.Page)
	if err != nil {
		return outcome{}, err
	}
	if a.For <= 0 || a.For > maxSilence {
		return outcome{}, refuse(incident.BadRequest, a.Op, "silence a page for a time between 1s and %s, such as 15m", maxSilence)
	}
	p.silencedUntil = x.now + a.For
	x.emit(engine.KindPageSilenced, x.pageAudience(p), ac.Name, p.data())
	return outcome{silent: true}, nil
}

// attachPage ties a page, and the alert behind it, to the incident it is
// about, so the record shows what fired.
func (x *Exercise) attachPage(ac engine.Actor, a engine.Action) (outcome, error) {
	p, err := x.openPage(a.Op, a.Page)
	if err != nil {
		return outcome{}, err
	}
	inc, err := x.book.Incident(a.Record)
	if err != nil {
		return outcome{}, err
	}
	if !inc.Live() {
		return outcome{}, refuse(incident.Conflict, a.Op, "%s is %s; attach pages to a live incident", inc.Number, inc.State)
	}
	p.incident = inc.Number
	return outcome{records: []engine.RecordChange{{Incident: &inc}}}, nil
}

func (x *Exercise) acknowledgePage(ac engine.Actor, a engine.Action) (outcome, error) {
	p, err := x.ackPage(ac, a.Page)
	if err != nil {
		return outcome{}, err
	}
	x.emit(engine.KindPageAcked, x.pageAudience(x.pages.byID[p.Page]), ac.Name, p)
	return outcome{silent: true}, nil
}

func (x *Exercise) raiseAlert(ac engine.Actor, a engine.Action) (outcome, error) {
	al, err := x.book.RaiseAlert(a.Record, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Alert: &al}}}, nil
}

func (x *Exercise) runRunbookStep(ac engine.Actor, a engine.Action) (outcome, error) {
	rb := x.sc.Runbook(a.Runbook)
	if err := x.need(a.Op, "runbook", a.Runbook, rb != nil); err != nil {
		return outcome{}, err
	}
	var step *scenario.RunbookStep
	var names []string
	for _, s := range rb.Steps {
		names = append(names, s.Name)
		if s.Name == a.Step {
			step = s
		}
	}
	if step == nil {
		return outcome{}, refuse(incident.NotFound, a.Op, "runbook %s has steps %s; %q is not one", rb.Name, strings.Join(names, ", "), a.Step)
	}
	var records []engine.RecordChange
	if step.Applies.Name != "" {
		var err error
		if _, records, err = x.startRemedy(ac, a.Op, step.Applies.Name, a.Record); err != nil {
			return outcome{}, err
		}
	}
	lines := []string{step.Text}
	if step.Reveals != "" {
		lines = append(lines, step.Reveals)
	}
	x.emit(engine.KindResult, engine.ToPerson(ac.Name), ac.Name, engine.ResultData{Query: a.Op, Subject: rb.Name + "/" + step.Name, Lines: lines})
	to := x.actorAudience(ac)
	if len(records) > 0 {
		to = engine.Everyone // a change record moved: the ITSM tool shows it to all
	}
	return outcome{records: records, to: &to}, nil
}

// actorAudience is the actor's own groups, for actions their team sees.
func (x *Exercise) actorAudience(ac engine.Actor) engine.Audience {
	a := engine.ToPerson(ac.Name)
	a.Groups = x.groupsOf(ac.Name)
	return a
}

func (x *Exercise) applyRemedy(ac engine.Actor, a engine.Action) (outcome, error) {
	_, records, err := x.startRemedy(ac, a.Op, a.Remedy, a.Record)
	if err != nil {
		return outcome{}, err
	}
	to := x.serviceAudience(x.sc.Remedy(a.Remedy).Service.Name)
	to.People = append(to.People, ac.Name)
	if len(records) > 0 {
		to = engine.Everyone
	}
	return outcome{records: records, to: &to}, nil
}

// startRemedy checks who may apply a remedy and that a change record allows
// it, then sets it going in the world.
func (x *Exercise) startRemedy(ac engine.Actor, op incident.Op, name, record string) (engine.RemedyData, []engine.RecordChange, error) {
	r := x.sc.Remedy(name)
	if err := x.need(op, "remedy", name, r != nil); err != nil {
		return engine.RemedyData{}, nil, err
	}
	allowed := r.By
	if len(allowed) == 0 {
		if s := x.sc.Service(r.Service.Name); s != nil {
			allowed = []scenario.Ref{s.Group}
		}
	}
	if ac.Role != incident.RoleFacilitator {
		mine := x.groupsOf(ac.Name)
		ok := false
		var names []string
		for _, g := range allowed {
			names = append(names, g.Name)
			ok = ok || slices.Contains(mine, g.Name)
		}
		if !ok {
			return engine.RemedyData{}, nil, refuse(incident.Forbidden, op, "%s is carried out by %s; page them", name, strings.Join(names, " or "))
		}
	}
	if st := x.remedy[name]; st.applied && !st.completed {
		return engine.RemedyData{}, nil, refuse(incident.Conflict, op, "%s is already under way", name)
	}
	var records []engine.RecordChange
	if r.RequiresChange {
		c, err := x.book.RequireChange(record, name)
		if err != nil {
			return engine.RemedyData{}, nil, err
		}
		// Carrying the remedy out is implementing its change.
		if c, err = x.book.ImplementChange(c.Number, x.now, ac.Name); err != nil {
			return engine.RemedyData{}, nil, err
		}
		records = append(records, engine.RecordChange{Change: &c})
	}
	if _, err := x.world.ApplyRemedy(x.now, name); err != nil {
		return engine.RemedyData{}, nil, refuse(incident.BadRequest, op, "%v", err)
	}
	x.remedy[name] = remedyState{applied: true}
	d := engine.RemedyData{Remedy: name, Service: r.Service.Name, Phase: "started", By: ac.Name}
	x.emit(engine.KindRemedy, x.serviceAudience(r.Service.Name), ac.Name, d)
	return d, records, nil
}

func (x *Exercise) contactVendor(ac engine.Actor, a engine.Action) (outcome, error) {
	v := x.sc.Vendor(a.Vendor)
	if err := x.need(a.Op, "vendor", a.Vendor, v != nil); err != nil {
		return outcome{}, err
	}
	x.vendor[a.Vendor] = true
	x.atFor(x.now+v.RespondsAfter, itemVendor, a.Vendor, ac.Name)
	to := x.actorAudience(ac)
	return outcome{to: &to}, nil
}

// vendorAnswers delivers the helpdesk's answer: the scenario's scripted
// response, or a polite "nothing on our side" when it has none.
func (x *Exercise) vendorAnswers(vendor, who string) {
	v := x.sc.Vendor(vendor)
	text := v.Response
	if text == "" {
		text = fmt.Sprintf("%s helpdesk: we see no issue on our side; case opened, we will call back if that changes.", orTitle(v.Title, v.Name))
	}
	to := engine.ToPerson(who)
	to.Groups = x.groupsOf(who)
	x.emit(engine.KindVendor, to, "", engine.VendorData{Vendor: vendor, Text: text})
}

func orTitle(title, name string) string {
	if title != "" {
		return title
	}
	return name
}

func (x *Exercise) identifyRootCause(ac engine.Actor, a engine.Action) (outcome, error) {
	if err := x.need(a.Op, "service", a.Service, x.sc.Service(a.Service) != nil); err != nil {
		return outcome{}, err
	}
	var records []engine.RecordChange
	if a.Record != "" {
		inc, err := x.book.IdentifyRootCause(a.Record, x.now, ac.Name, a.Service+": "+a.Text)
		if err != nil {
			return outcome{}, err
		}
		records = append(records, engine.RecordChange{Incident: &inc})
	}
	claim := engine.RootClaimData{Incident: a.Record, Service: a.Service, Text: a.Text}
	for _, f := range x.world.FaultStates() {
		if f.RootCause && f.Started && f.Service == a.Service {
			claim.Fault, claim.Correct = f.Name, true
			break
		}
	}
	if claim.Correct {
		x.claimed = true
	}
	x.emit(engine.KindRootClaim, engine.Facilitators, ac.Name, claim)
	return outcome{records: records}, nil
}

// validateRestoration: the service-level owner confirms service is back.
func (x *Exercise) validateRestoration(ac engine.Actor, a engine.Action) (outcome, error) {
	inc, err := x.book.Incident(a.Record)
	if err != nil {
		return outcome{}, err
	}
	if s := x.sc.Service(inc.Service); s != nil && ac.Role != incident.RoleFacilitator {
		if owner := x.sc.ServiceOwner(s); owner != ac.Name {
			return outcome{}, refuse(incident.Forbidden, a.Op, "%s is owned by %s; the service owner validates restoration", s.Name, owner)
		}
	}
	inc, err = x.book.ValidateRestoration(a.Record, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	x.impact.validated(x, inc)
	return outcome{records: []engine.RecordChange{{Incident: &inc}}}, nil
}

func (x *Exercise) openProblem(ac engine.Actor, a engine.Action) (outcome, error) {
	p, err := x.book.OpenProblem(a.Record, x.now, ac.Name, a.Text)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Problem: &p}}}, nil
}

func (x *Exercise) openChange(ac engine.Actor, a engine.Action) (outcome, error) {
	if err := x.need(a.Op, "remedy", a.Remedy, x.sc.Remedy(a.Remedy) != nil); err != nil {
		return outcome{}, err
	}
	c, err := x.book.OpenChange(a.Record, a.Remedy, a.Emergency, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Change: &c}}}, nil
}

func (x *Exercise) approveChange(ac engine.Actor, a engine.Action) (outcome, error) {
	c, err := x.book.ApproveChange(a.Record, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Change: &c}}}, nil
}

func (x *Exercise) statusUpdate(ac engine.Actor, a engine.Action) (outcome, error) {
	if strings.TrimSpace(a.Text) == "" {
		return outcome{}, refuse(incident.BadRequest, a.Op, "a status update needs text: what is affected, what is being done, when the next update is")
	}
	x.status++
	return outcome{}, nil
}

func (x *Exercise) answer(ac engine.Actor, a engine.Action) (outcome, error) {
	d := x.sc.Decision(a.Decision)
	if err := x.need(a.Op, "decision", a.Decision, d != nil); err != nil {
		return outcome{}, err
	}
	viewer := engine.Viewer{Name: ac.Name, Role: ac.Role, Groups: x.groupsOf(ac.Name)}
	if ac.Role != incident.RoleFacilitator && !audienceOf(d.To).Sees(viewer) {
		return outcome{}, refuse(incident.Forbidden, a.Op, "decision %s is not yours to answer", d.Name)
	}
	return outcome{silent: true}, x.answerDecision(d, a.Option, ac.Name)
}

// private actions are seen by the actor and the facilitators only.
func (x *Exercise) private(ac engine.Actor, a engine.Action) (outcome, error) {
	if strings.TrimSpace(a.Text) == "" {
		return outcome{}, refuse(incident.BadRequest, a.Op, "write the lesson learned")
	}
	to := engine.ToPerson(ac.Name)
	return outcome{to: &to}, nil
}

func (x *Exercise) rateConfidence(ac engine.Actor, a engine.Action) (outcome, error) {
	if a.Rating < 1 || a.Rating > 5 {
		return outcome{}, refuse(incident.BadRequest, a.Op, "rate your confidence from 1 (not at all) to 5 (fully); got %d", a.Rating)
	}
	to := engine.ToPerson(ac.Name)
	return outcome{to: &to}, nil
}

func (x *Exercise) openTask(ac engine.Actor, a engine.Action) (outcome, error) {
	if err := x.need(a.Op, "group", a.Group, x.sc.Group(a.Group) != nil); err != nil {
		return outcome{}, err
	}
	t, err := x.book.OpenTask(a.Record, x.now, ac.Name, a.Group, a.Text)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Task: &t}}}, nil
}

func (x *Exercise) completeTask(ac engine.Actor, a engine.Action) (outcome, error) {
	t, err := x.book.CompleteTask(a.Record, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	return outcome{records: []engine.RecordChange{{Task: &t}}}, nil
}
