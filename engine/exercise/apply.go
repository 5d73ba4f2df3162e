package exercise

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
	"github.com/firedrill/firedrill/engine/scenario"
)

func recordOp(f func(*Exercise, engine.Actor, engine.Action) (engine.Incident, error)) handler {
	return func(x *Exercise, ac engine.Actor, a engine.Action) (outcome, error) {
		inc, err := f(x, ac, a)
		if err != nil {
			return outcome{}, err
		}
		return outcome{records: []engine.RecordChange{{Incident: &inc}}}, nil
	}
}

func recordsOp(f func(*Exercise, engine.Actor, engine.Action) ([]engine.Incident, error)) handler {
	return func(x *Exercise, ac engine.Actor, a engine.Action) (outcome, error) {
		incs, err := f(x, ac, a)
		if err != nil {
			return outcome{}, err
		}
		return outcome{records: incidentChanges(incs)}, nil
	}
}

func incidentChanges(incs []engine.Incident) []engine.RecordChange {
	out := make([]engine.RecordChange, len(incs))
	for i := range incs {
		out[i] = engine.RecordChange{Incident: &incs[i]}
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
		return outcome{}, refuse(engine.BadRequest, a.Op, "%s is not a member of %s (%s)", a.Person, a.Group, strings.Join(g.Members, ", "))
	}
	inc, err := x.book.Assign(a.Record, x.now, ac.Name, a.Group, a.Person)
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
		return outcome{}, refuse(engine.BadRequest, a.Op, "say whom to page: a group (its on-call person) or a person")
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
		return outcome{}, refuse(engine.BadRequest, a.Op, "silence a page for a time between 1s and %s, such as 15m", maxSilence)
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
		return outcome{}, refuse(engine.Conflict, a.Op, "%s is %s; attach pages to a live incident", inc.Number, inc.State)
	}
	p.incident = inc.Number
	to := x.pageAudience(p)
	to.People = append(to.People, ac.Name)
	x.emit(engine.KindPageAttached, to, ac.Name, p.data())
	return outcome{silent: true}, nil
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
		return outcome{}, refuse(engine.NotFound, a.Op, "runbook %s has steps %s; %q is not one", rb.Name, strings.Join(names, ", "), a.Step)
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
		to = engine.Everyone() // a change record moved: the ITSM tool shows it to all
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
		to = engine.Everyone()
	}
	return outcome{records: records, to: &to}, nil
}

// startRemedy checks that a change record allows a remedy, then sets it
// going in the world. Who may apply it the door checked.
func (x *Exercise) startRemedy(ac engine.Actor, op engine.Op, name, record string) (engine.RemedyData, []engine.RecordChange, error) {
	r := x.sc.Remedy(name)
	if err := x.need(op, "remedy", name, r != nil); err != nil {
		return engine.RemedyData{}, nil, err
	}
	if st := x.remedy[name]; st.applied && !st.completed {
		return engine.RemedyData{}, nil, refuse(engine.Conflict, op, "%s is already under way", name)
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
		return engine.RemedyData{}, nil, refuse(engine.BadRequest, op, "%v", err)
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
	h, err := x.hypothesis(a)
	if err != nil {
		return outcome{}, err
	}
	if h != nil {
		a.Service = h.Service.Name
	}
	var records []engine.RecordChange
	if a.Record != "" {
		claim := a.Service + ": " + a.Text
		if h != nil {
			claim = a.Service + ": " + h.Title
			if a.Text != "" {
				claim += " (" + a.Text + ")"
			}
		}
		inc, err := x.book.IdentifyRootCause(a.Record, x.now, ac.Name, claim)
		if err != nil {
			return outcome{}, err
		}
		records = append(records, engine.RecordChange{Incident: &inc})
	}
	claim := engine.RootClaimData{Incident: a.Record, Service: a.Service, Text: a.Text}
	if h != nil {
		claim.Hypothesis = h.Name
		// Right when the hypothesis describes a root cause that has started:
		// the right service with the wrong explanation is a wrong claim.
		for _, f := range x.world.FaultStates() {
			if f.RootCause && f.Started && f.Name == h.Cause.Name {
				claim.Fault, claim.Correct = f.Name, true
				break
			}
		}
	}
	if claim.Correct {
		x.claimed = true
	}
	x.emit(engine.KindRootClaim, engine.Facilitators(), ac.Name, claim)
	return outcome{records: records}, nil
}

// hypothesis is the hypothesis a claim names. A claim about a service that
// has hypotheses must pick one; a claim about another service states its
// reason in text, and cannot be right: no cause is there.
func (x *Exercise) hypothesis(a engine.Action) (*scenario.Hypothesis, error) {
	if a.Hypothesis != "" {
		h := x.sc.Hypothesis(a.Hypothesis)
		if h == nil {
			return nil, engine.Refuse(engine.NotFound, a.Op, a.Hypothesis, "there is no hypothesis %q; the hypotheses are %s", a.Hypothesis, x.hypothesisNames(""))
		}
		if a.Service != "" && a.Service != h.Service.Name {
			return nil, engine.Refuse(engine.BadRequest, a.Op, a.Hypothesis, "hypothesis %s is about %s, not %s; leave the service out or pick one of %s",
				h.Name, h.Service.Name, a.Service, x.hypothesisNames(a.Service))
		}
		return h, nil
	}
	if err := x.need(a.Op, "service", a.Service, x.sc.Service(a.Service) != nil); err != nil {
		return nil, err
	}
	if len(x.sc.HypothesesOn(a.Service)) > 0 {
		return nil, engine.Refuse(engine.BadRequest, a.Op, a.Service, "name the hypothesis on %s you mean: %s", a.Service, x.hypothesisNames(a.Service))
	}
	if a.Text == "" {
		return nil, engine.Refuse(engine.BadRequest, a.Op, a.Service, "say what is wrong with %s", a.Service)
	}
	return nil, nil
}

// hypothesisNames lists the hypotheses, about service when it is given,
// for a refusal.
func (x *Exercise) hypothesisNames(service string) string {
	var names []string
	for _, h := range x.sc.Hypotheses {
		if service == "" || h.Service.Name == service {
			names = append(names, fmt.Sprintf("%s (%s)", h.Name, h.Title))
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// validateRestoration: the service-level owner confirms service is back.
func (x *Exercise) validateRestoration(ac engine.Actor, a engine.Action) (outcome, error) {
	inc, err := x.book.Incident(a.Record)
	if err != nil {
		return outcome{}, err
	}
	inc, err = x.book.ValidateRestoration(a.Record, x.now, ac.Name)
	if err != nil {
		return outcome{}, err
	}
	x.impact.validated(x, inc, ac.Name)
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
		return outcome{}, refuse(engine.BadRequest, a.Op, "a status update needs text: what is affected, what is being done, when the next update is")
	}
	x.status++
	return outcome{}, nil
}

func (x *Exercise) answer(ac engine.Actor, a engine.Action) (outcome, error) {
	d := x.sc.Decision(a.Decision)
	if err := x.need(a.Op, "decision", a.Decision, d != nil); err != nil {
		return outcome{}, err
	}
	return outcome{silent: true}, x.answerDecision(d, a.Option, ac.Name)
}

// private actions are seen by the actor and the facilitators only.
func (x *Exercise) private(ac engine.Actor, a engine.Action) (outcome, error) {
	if strings.TrimSpace(a.Text) == "" {
		return outcome{}, refuse(engine.BadRequest, a.Op, "write the lesson learned")
	}
	to := engine.ToPerson(ac.Name)
	return outcome{to: &to}, nil
}

func (x *Exercise) rateConfidence(ac engine.Actor, a engine.Action) (outcome, error) {
	if a.Rating < 1 || a.Rating > 5 {
		return outcome{}, refuse(engine.BadRequest, a.Op, "rate your confidence from 1 (not at all) to 5 (fully); got %d", a.Rating)
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
