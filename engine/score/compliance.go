package score

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// CheckName names a process-compliance check. Names are part of the JSON
// report: never rename one.
type CheckName string

// The checks, against the scenario's process (engine.Policy; ARCHITECTURE.md's
// default when the scenario sets none). "The outage" is the records about
// the exercise's incident: opened at or after t0 about an impacted or
// root-cause service, and their parents (every record when no root cause
// started). A "top" record is an outage incident that is no child: the
// policy's P1/P2 duties fall on it, and its children are covered by it.
const (
	// CheckClassification, one per contact the story sent with a Record:
	// the record made for it is a service request when Record is
	// "request", an incident (not declined) when it is "incident". A
	// contact nobody recorded fails. The record made for a contact is the
	// first one created after it whose caller is the contact's From, else
	// the first about its service not recorded for another caller.
	CheckClassification CheckName = "classification"
	// CheckPriority, one per contact with Record "incident" about a
	// service: the record is at the right priority for the impact. Right
	// is at least as severe as the matrix gives an outage of that service:
	// a critical service's outage is high impact with high or medium
	// urgency (P2 or more severe by the default matrix); another
	// service's, medium impact with high or medium urgency (P3 or more
	// severe). A child counts at its parent's priority when that is more
	// severe. Not applicable when the service was not impacted (no outage
	// to rank) or there is no incident record (see classification).
	CheckPriority CheckName = "priority"
	// CheckIncidentAlert: every top record at a priority the command
	// center runs has an incident alert. When no record reached such a
	// priority but the outage warranted one (the most severe right
	// priority, as CheckPriority has it, over the services it was
	// about), the duty was still owed and the check fails; so for the
	// war room, the command center and the problem record.
	CheckIncidentAlert CheckName = "incident_alert"
	// CheckWarRoom: when an outage record is at a priority that needs a
	// war room, exactly one war room was opened for the whole outage (none
	// fails, and so do two bridges for one outage, linked or not).
	CheckWarRoom CheckName = "war_room"
	// CheckCommandCenter: someone in the command_center role acted after
	// the first outage record reached a priority the command center runs.
	CheckCommandCenter CheckName = "command_center"
	// CheckProblemRecord: every top record that needs a problem record
	// (Policy.NeedsProblem, with the reasons that apply: a critical
	// service in its family; downtime of a critical service in its family;
	// a root-cause service whose vendor logged a change before the fault
	// started) has one linked to it or to one of its children.
	CheckProblemRecord CheckName = "problem_record"
	// CheckChangeBeforeRemedy, one per remedy that needs a change and was
	// tried: every attempt had an approved change. An apply_remedy or
	// run_runbook_step the engine refused as a conflict while the remedy
	// was not under way and no approved change for it existed is a
	// violation.
	CheckChangeBeforeRemedy CheckName = "change_before_remedy"
	// CheckValidationBeforeClose: every record closed at a priority that
	// needs validation had the owner's validation and a business-impact
	// statement. A close refused while the restored record lacked either
	// is a violation. Not applicable when no such record was closed or
	// tried.
	CheckValidationBeforeClose CheckName = "validation_before_close"
	// CheckParentLinked: when the outage has two or more incidents (not
	// parents, not merged or declined), they all share one parent.
	CheckParentLinked CheckName = "parent_linked"
)

// Checks lists every CheckName in report order.
func Checks() []CheckName {
	return []CheckName{
		CheckClassification, CheckPriority, CheckIncidentAlert, CheckWarRoom, CheckCommandCenter,
		CheckProblemRecord, CheckChangeBeforeRemedy, CheckValidationBeforeClose, CheckParentLinked,
	}
}

// Status is a check's outcome.
type Status string

const (
	Passed        Status = "passed"
	Failed        Status = "failed"
	NotApplicable Status = "not_applicable"
)

// CheckPoints is what a passed check earns in the process dimension; a
// failed one earns 0 of it. One not applicable in a run earns it too: the
// maximum is the scenario's, the same for every run.
const CheckPoints = 5.0

// Check is one process-compliance check.
type Check struct {
	Check CheckName `json:"check"`
	// Subject is what the check is about when there are several of its
	// kind: the inject of a contact, the remedy of a change.
	Subject string `json:"subject,omitempty"`
	Status  Status `json:"status"`
	// Detail says why, in a sentence for the review.
	Detail   string     `json:"detail"`
	Evidence []Evidence `json:"evidence,omitempty"`
	// Violations counts refused attempts (change_before_remedy,
	// validation_before_close).
	Violations int     `json:"violations,omitempty"`
	Points     float64 `json:"points"`
	Max        float64 `json:"max"`
}

// compliance runs the checks. Which checks there are is a property of the
// scenario (a classification check per contact it can send, a change check
// per remedy that needs one), so every run of a scenario has the same
// maximum; a check that does not apply in a run (a contact never sent, a
// remedy never tried) is no loss and earns its points.
// Planned lists the compliance checks a scenario's runs are held to, by
// name and subject: the same for every run, whatever happened, so the
// process maximum is the scenario's.
func Planned(sc *scenario.Scenario) []Check {
	var out []Check
	for _, in := range sc.Injects {
		if in != nil && (in.Record == "incident" || in.Record == "request") {
			out = append(out, Check{Check: CheckClassification, Subject: in.Name})
		}
	}
	for _, in := range sc.Injects {
		if in != nil && in.Record == "incident" && in.About.Name != "" {
			out = append(out, Check{Check: CheckPriority, Subject: in.Name})
		}
	}
	out = append(out, Check{Check: CheckIncidentAlert}, Check{Check: CheckWarRoom}, Check{Check: CheckCommandCenter}, Check{Check: CheckProblemRecord})
	changes := 0
	for _, r := range sc.Remedies {
		if r != nil && r.RequiresChange {
			out = append(out, Check{Check: CheckChangeBeforeRemedy, Subject: r.Name})
			changes++
		}
	}
	if changes == 0 {
		out = append(out, Check{Check: CheckChangeBeforeRemedy})
	}
	return append(out, Check{Check: CheckValidationBeforeClose}, Check{Check: CheckParentLinked})
}

func (s *scorer) compliance() []Check {
	arrived := map[string]contact{}
	for _, c := range s.contacts {
		if _, seen := arrived[c.Name]; !seen {
			arrived[c.Name] = c
		}
	}
	neverSent := func(k CheckName, subject string) Check {
		return Check{Check: k, Subject: subject, Status: NotApplicable, Detail: fmt.Sprintf("The contact %s was never sent: nothing to record.", subject)}
	}
	changes := map[string]Check{}
	for _, c := range s.changeBeforeRemedy() {
		changes[c.Subject] = c
	}
	planned := Planned(s.sc)
	out := make([]Check, 0, len(planned))
	for _, p := range planned {
		var ch Check
		switch p.Check {
		case CheckClassification, CheckPriority:
			c, ok := arrived[p.Subject]
			switch {
			case !ok:
				ch = neverSent(p.Check, p.Subject)
			case p.Check == CheckClassification:
				ch = s.classification(c)
			default:
				ch = s.priority(c)
			}
		case CheckIncidentAlert:
			ch = s.incidentAlert()
		case CheckWarRoom:
			ch = s.warRoom()
		case CheckCommandCenter:
			ch = s.commandCenter()
		case CheckProblemRecord:
			ch = s.problemRecord()
		case CheckChangeBeforeRemedy:
			ch = changes[p.Subject]
		case CheckValidationBeforeClose:
			ch = s.validationBeforeClose()
		case CheckParentLinked:
			ch = s.parentLinked()
		}
		ch.Max = CheckPoints
		if ch.Status == Passed || ch.Status == NotApplicable {
			ch.Points = CheckPoints
		}
		out = append(out, ch)
	}
	return out
}

// contact is a contact the story sent that needs a record, and the record
// made for it ("" when none; idx is its create_incident action).
type contact struct {
	injectEvent
	rec    string
	recIdx int
}

func (c *run) contactsMade() []contact {
	type created struct {
		number, caller, service string
		request                 bool
		idx                     int
		taken                   bool
	}
	var recs []*created
	for _, a := range c.v.actions {
		if a.op != engine.OpCreateIncident {
			continue
		}
		for _, rc := range a.records {
			if inc := rc.Incident; inc != nil {
				recs = append(recs, &created{number: inc.Number, caller: inc.Caller, service: inc.Service,
					request: inc.Class == engine.ClassServiceRequest, idx: a.idx})
				break
			}
		}
	}
	var out []contact
	callers := map[string]bool{}
	for _, in := range c.v.injects {
		if in.Record == "incident" || in.Record == "request" {
			out = append(out, contact{injectEvent: in})
			if in.From != "" {
				callers[in.From] = true
			}
		}
	}
	take := func(c *contact, ok func(*created) bool) {
		for _, r := range recs {
			if !r.taken && r.idx > c.idx && ok(r) {
				r.taken, c.rec, c.recIdx = true, r.number, r.idx
				return
			}
		}
	}
	// By caller first; then by service, a record of the class the contact
	// needs before one of the other class (which is misclassified), never
	// one clearly made for another caller.
	for i := range out {
		c := &out[i]
		if c.From != "" {
			take(c, func(r *created) bool { return r.caller == c.From })
		}
	}
	for _, sameClass := range []bool{true, false} {
		for i := range out {
			c := &out[i]
			if c.rec != "" || c.About == "" {
				continue
			}
			take(c, func(r *created) bool {
				return r.service == c.About && !callers[r.caller] && (r.request == (c.Record == "request")) == sameClass
			})
		}
	}
	return out
}

func (s *scorer) classification(c contact) Check {
	ch := Check{Check: CheckClassification, Subject: c.Name}
	if c.rec == "" {
		ch.Status = Failed
		ch.Detail = fmt.Sprintf("No record was made for the contact (%s, expected: %s).", c.Name, c.Record)
		ch.Evidence = []Evidence{s.evidence(c.idx, "the contact")}
		return ch
	}
	inc := s.recs[c.rec].last
	ch.Evidence = []Evidence{s.evidence(c.recIdx, c.rec+" created as "+className(s.classAt(c.recIdx, c.rec)))}
	for _, a := range s.v.actions {
		if a.op == engine.OpClassify && a.record == c.rec {
			ch.Evidence = append(ch.Evidence, s.evidence(a.idx, "classified"))
		}
	}
	var ok bool
	switch c.Record {
	case "request":
		ok = inc.Class == engine.ClassServiceRequest
	default:
		ok = inc.Class != engine.ClassServiceRequest && inc.State != engine.StateDeclined
	}
	ch.Status, ch.Detail = status(ok), fmt.Sprintf("%s is %s %s (%s); the contact was %s %s.",
		c.rec, article(className(inc.Class)), className(inc.Class), inc.State, article(c.Record), c.Record)
	return ch
}

// classAt is a record's class as it was created at action idx.
func (s *scorer) classAt(idx int, number string) engine.Classification {
	d, _ := payload[engine.ActionData](s.log[idx])
	for _, rc := range d.Records {
		if rc.Incident != nil && rc.Incident.Number == number {
			return classOrIncident(rc.Incident.Class)
		}
	}
	return engine.ClassIncident
}

func classOrIncident(c engine.Classification) engine.Classification {
	if c == "" {
		return engine.ClassIncident
	}
	return c
}

func className(c engine.Classification) string {
	return strings.ReplaceAll(string(classOrIncident(c)), "_", " ")
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func status(ok bool) Status {
	if ok {
		return Passed
	}
	return Failed
}

// RightPriority is the least severe priority that is right for an outage
// of a service: the worse of what the matrix gives high impact (a critical
// service) or medium impact (any other) with high or medium urgency.
func RightPriority(p engine.Policy, critical bool) engine.Priority {
	impact := engine.LevelMedium
	if critical {
		impact = engine.LevelHigh
	}
	return max(p.Priority(impact, engine.LevelHigh), p.Priority(impact, engine.LevelMedium))
}

func (s *scorer) priority(c contact) Check {
	ch := Check{Check: CheckPriority, Subject: c.Name}
	switch {
	case c.rec == "":
		ch.Status, ch.Detail = NotApplicable, "No record was made for the contact; see classification."
		return ch
	case !counted(s.recs[c.rec].last):
		ch.Status, ch.Detail = NotApplicable, fmt.Sprintf("%s is not an incident; see classification.", c.rec)
		return ch
	case !s.about[c.About]:
		ch.Status, ch.Detail = NotApplicable, fmt.Sprintf("%s was not impacted: there was no outage to rank.", c.About)
		return ch
	}
	critical := s.services[c.About] != nil && s.services[c.About].Critical
	right := RightPriority(s.policy, critical)
	r := s.recs[c.rec]
	eff := s.effective(c.rec)
	from := r
	if par := s.recs[r.last.Parent]; par != nil && par.last.Priority == eff && r.last.Priority != eff {
		from = par
	}
	ch.Evidence = []Evidence{s.evidence(from.priorityIdx, fmt.Sprintf("%s at P%d", from.last.Number, from.last.Priority))}
	kind := "a service that is not critical"
	if critical {
		kind = "a critical service"
	}
	ch.Status = status(eff >= 1 && eff <= right)
	ch.Detail = fmt.Sprintf("%s runs at P%d; an outage of %s (%s) should be P%d or more severe.", c.rec, eff, c.About, kind, right)
	return ch
}

// warranted is the priority the outage itself called for: the most
// severe right priority (RightPriority) over the services it was about,
// and the service that called for it; 0 when nothing was impacted. Duties
// that follow from a priority are owed when the outage warranted it, so
// a team that never raised the priority cannot escape them.
func (s *scorer) warranted() (engine.Priority, string) {
	var best engine.Priority
	var why string
	for _, svc := range slices.Sorted(maps.Keys(s.about)) {
		x := s.services[svc]
		p := RightPriority(s.policy, x != nil && x.Critical)
		if best == 0 || p < best {
			best, why = p, svc
		}
	}
	return best, why
}

// owed reports whether a duty that follows from a priority (need) was
// owed though no record brought it about: the outage warranted a
// priority that needs it, no incident of the outage ever reached that
// priority, and the outage was detected while it was still on. An outage
// over before anyone knew of it leaves nothing to coordinate.
func (s *scorer) owed(need func(engine.Priority) bool) bool {
	p, _ := s.warranted()
	if p == 0 || !need(p) {
		return false
	}
	if _, reached := s.firstHigh(func(q engine.Priority) bool { return q >= 1 && q <= p }); reached {
		return false
	}
	d, ok := s.res.Measure(PhaseDetect)
	if !ok || d.Censored {
		return false
	}
	back := make([]mark, 0, len(s.v.restored))
	for _, r := range s.v.restored {
		back = append(back, r.mark)
	}
	over, ok := lastStanding(back, s.v.lost, s.t0)
	return !ok || d.At < over.at
}

// unmet is the detail of a duty the outage warranted that no record's
// priority brought about.
func (s *scorer) unmet(duty, outcome string) string {
	p, svc := s.warranted()
	return fmt.Sprintf("The outage of %s warranted P%d, which needs %s; no incident of the outage reached that priority, and %s", svc, p, duty, outcome)
}

// tops lists the top records of the outage: counted incidents that are no
// child of a known record.
func (s *scorer) tops() []*record {
	var out []*record
	for _, n := range s.outageRecords() {
		r := s.recs[n]
		if counted(r.last) && s.recs[r.last.Parent] == nil {
			out = append(out, r)
		}
	}
	return out
}

// family lists a top record's number and its children's.
func (s *scorer) family(r *record) []string {
	out := []string{r.last.Number}
	for _, c := range r.last.Children {
		if s.recs[c] != nil {
			out = append(out, c)
		}
	}
	return out
}

func (s *scorer) incidentAlert() Check {
	ch := Check{Check: CheckIncidentAlert}
	var missing, have []string
	for _, r := range s.tops() {
		if !s.policy.NeedsCommandCenter(r.last.Priority) {
			continue
		}
		if r.hasAlert {
			have = append(have, r.last.Number)
			ch.Evidence = append(ch.Evidence, s.evidence(r.alertIdx, "incident alert for "+r.last.Number))
		} else {
			missing = append(missing, r.last.Number)
			ch.Evidence = append(ch.Evidence, s.evidence(r.priorityIdx, fmt.Sprintf("%s at P%d, no incident alert", r.last.Number, r.last.Priority)))
		}
	}
	switch {
	case len(missing)+len(have) == 0 && s.owed(s.policy.NeedsCommandCenter):
		ch.Status, ch.Detail = Failed, s.unmet("an incident alert", "none was raised.")
	case len(missing)+len(have) == 0:
		ch.Status, ch.Detail = NotApplicable, "No incident of the outage was at a priority the command center runs, and the outage did not warrant one."
	case len(missing) == 0:
		ch.Status, ch.Detail = Passed, fmt.Sprintf("Incident alert raised for %s.", strings.Join(have, ", "))
	default:
		ch.Status, ch.Detail = Failed, fmt.Sprintf("No incident alert for %s.", strings.Join(missing, ", "))
	}
	return ch
}

func (s *scorer) warRoom() Check {
	ch := Check{Check: CheckWarRoom}
	needs := false
	for _, n := range s.outageRecords() {
		if counted(s.recs[n].last) && s.policy.NeedsWarRoom(s.effective(n)) {
			needs = true
		}
	}
	if s.owed(s.policy.NeedsWarRoom) {
		needs = true
	}
	if !needs {
		ch.Status, ch.Detail = NotApplicable, "No incident of the outage was at a priority that needs a war room, and the outage did not warrant one."
		return ch
	}
	var rooms []string
	for _, a := range s.v.actions {
		if a.op != engine.OpOpenWarRoom {
			continue
		}
		for _, rc := range a.records {
			if w := rc.WarRoom; w != nil && s.servesOutage(w.Incident) {
				note := w.Number + " for " + w.Incident
				if rc.DuplicateOf != "" {
					note += ", duplicate of " + rc.DuplicateOf
				}
				rooms = append(rooms, w.Number)
				ch.Evidence = append(ch.Evidence, s.evidence(a.idx, note))
			}
		}
	}
	switch len(rooms) {
	case 0:
		ch.Status, ch.Detail = Failed, "No war room was opened for the outage."
	case 1:
		ch.Status, ch.Detail = Passed, "One war room ("+rooms[0]+") for the outage."
	default:
		ch.Status, ch.Detail = Failed, fmt.Sprintf("%d war rooms (%s) for one outage.", len(rooms), strings.Join(rooms, ", "))
	}
	return ch
}

// servesOutage reports whether a war room opened for number served the
// outage: number is an outage record, or ended up in the family of one
// (a room opened for a record later linked under the outage's parent is
// that family's bridge).
func (s *scorer) servesOutage(number string) bool {
	if s.outage(number) {
		return true
	}
	r := s.recs[number]
	return r != nil && r.last.Parent != "" && s.outage(r.last.Parent)
}

// firstHigh is the first action that put an outage incident at a
// priority for which need holds.
func (s *scorer) firstHigh(need func(engine.Priority) bool) (actionEvent, bool) {
	for _, a := range s.v.actions {
		for _, rc := range a.records {
			if inc := rc.Incident; inc != nil && s.outage(inc.Number) && counted(*inc) && need(inc.Priority) {
				return a, true
			}
		}
	}
	return actionEvent{}, false
}

func (s *scorer) commandCenter() Check {
	ch := Check{Check: CheckCommandCenter}
	first, ok := s.firstHigh(s.policy.NeedsCommandCenter)
	if !ok {
		if s.owed(s.policy.NeedsCommandCenter) {
			ch.Status, ch.Detail = Failed, s.unmet("the command center", "the command center never acted on it.")
			return ch
		}
		ch.Status, ch.Detail = NotApplicable, "No incident of the outage was at a priority the command center runs, and the outage did not warrant one."
		return ch
	}
	ch.Evidence = []Evidence{s.evidence(first.idx, "first incident the command center runs")}
	for _, a := range s.v.actions {
		if a.idx >= first.idx && a.role == engine.RoleCommandCenter && !reflective(a.op) {
			ch.Status = Passed
			ch.Detail = fmt.Sprintf("The command center (%s) engaged with %s.", a.actor, a.op)
			if a.idx == first.idx {
				ch.Evidence[0].Note += ", set by the command center"
			} else {
				ch.Evidence = append(ch.Evidence, s.evidence(a.idx, "command center's first action"))
			}
			return ch
		}
	}
	ch.Status, ch.Detail = Failed, "Nobody in the command center role acted on the outage."
	return ch
}

// changeCaused reports whether a root cause comes from a change: the
// vendor of a root-cause service logged a change before the fault started.
func (s *scorer) changeCaused() bool {
	vendors := map[string]*scenario.Vendor{}
	for _, v := range s.sc.Vendors {
		if v != nil {
			vendors[v.Name] = v
		}
	}
	for _, svc := range s.roots {
		x := s.services[svc]
		if x == nil || vendors[x.Vendor.Name] == nil {
			continue
		}
		for _, c := range vendors[x.Vendor.Name].Changes {
			if c != nil && c.At <= s.t0 {
				return true
			}
		}
	}
	return false
}

// problemReasons are the circumstances that apply to a top record: those
// of the services of its family.
func (s *scorer) problemReasons(r *record, changed bool) []engine.ProblemReason {
	var svcs []string
	for _, n := range s.family(r) {
		svcs = append(svcs, s.recs[n].last.Service)
	}
	return s.reasonsOf(svcs, changed)
}

// reasonsOf are the circumstances that call for a problem record in an
// outage of the services: a root cause from a change (changed), a
// critical service among them, downtime of one of them.
func (s *scorer) reasonsOf(services []string, changed bool) []engine.ProblemReason {
	var why []engine.ProblemReason
	critical, down := false, false
	for _, svc := range services {
		x := s.services[svc]
		critical = critical || (x != nil && x.Critical)
		down = down || s.res.DowntimeByService[svc] > 0
	}
	if changed {
		why = append(why, engine.CausedByChange)
	}
	if critical {
		why = append(why, engine.CriticalService)
	}
	if down {
		why = append(why, engine.CausedDowntime)
	}
	return why
}

func (s *scorer) problemRecord() Check {
	ch := Check{Check: CheckProblemRecord}
	changed := s.changeCaused()
	var missing, have []string
	for _, r := range s.tops() {
		why := s.problemReasons(r, changed)
		if !s.policy.NeedsProblem(r.last.Priority, why...) {
			continue
		}
		fam := s.family(r)
		linked := false
		for _, n := range fam {
			linked = linked || len(s.recs[n].last.Problems) > 0
		}
		for _, a := range s.v.actions {
			for _, rc := range a.records {
				if p := rc.Problem; a.op == engine.OpOpenProblem && p != nil && slices.ContainsFunc(p.Incidents, func(n string) bool { return slices.Contains(fam, n) }) {
					ch.Evidence = append(ch.Evidence, s.evidence(a.idx, p.Number+" for "+strings.Join(p.Incidents, ", ")))
					linked = true
				}
			}
		}
		label := fmt.Sprintf("%s (P%d%s)", r.last.Number, r.last.Priority, reasons(why))
		if linked {
			have = append(have, label)
		} else {
			missing = append(missing, label)
			ch.Evidence = append(ch.Evidence, s.evidence(r.lastIdx, r.last.Number+" without a problem record"))
		}
	}
	switch {
	case len(missing)+len(have) == 0 && s.owed(func(p engine.Priority) bool {
		return s.policy.NeedsProblem(p, s.reasonsOf(slices.Collect(maps.Keys(s.about)), changed)...)
	}):
		ch.Status, ch.Detail = Failed, s.unmet("a problem record", "none was linked.")
	case len(missing)+len(have) == 0:
		ch.Status, ch.Detail = NotApplicable, "No incident of the outage needed a problem record."
	case len(missing) == 0:
		ch.Status, ch.Detail = Passed, "Problem record linked for "+strings.Join(have, ", ")+"."
	default:
		ch.Status, ch.Detail = Failed, "No problem record for "+strings.Join(missing, ", ")+"."
	}
	return ch
}

func reasons(why []engine.ProblemReason) string {
	if len(why) == 0 {
		return ""
	}
	s := make([]string, len(why))
	for i, w := range why {
		s[i] = string(w)
	}
	return "; " + strings.Join(s, ", ")
}

// step is one accepted action, refusal or remedy event, for replaying
// them in log order.
type step struct {
	act *actionEvent
	ref *refusedEvent
	rem *remedyEvent
}

// replay calls f for every action, refusal and remedy event in log order.
func (s *scorer) replay(f func(step)) {
	a, r, m := s.v.actions, s.v.refused, s.v.remedies
	for len(a)+len(r)+len(m) > 0 {
		ai, ri, mi := maxIdx, maxIdx, maxIdx
		if len(a) > 0 {
			ai = a[0].idx
		}
		if len(r) > 0 {
			ri = r[0].idx
		}
		if len(m) > 0 {
			mi = m[0].idx
		}
		switch min(ai, ri, mi) {
		case ai:
			f(step{act: &a[0]})
			a = a[1:]
		case ri:
			f(step{ref: &r[0]})
			r = r[1:]
		default:
			f(step{rem: &m[0]})
			m = m[1:]
		}
	}
}

const maxIdx = int(^uint(0) >> 1)

func (s *scorer) changeBeforeRemedy() []Check {
	type tally struct {
		violations, applied int
		evidence            []Evidence
	}
	tried := map[string]*tally{}
	get := func(name string) *tally {
		if tried[name] == nil {
			tried[name] = &tally{}
		}
		return tried[name]
	}
	approved := map[string]map[string]bool{} // remedy → approved, unused changes
	underway := map[string]bool{}
	s.replay(func(st step) {
		switch {
		case st.act != nil:
			for _, rc := range st.act.records {
				c := rc.Change
				if c == nil {
					continue
				}
				if approved[c.Remedy] == nil {
					approved[c.Remedy] = map[string]bool{}
				}
				approved[c.Remedy][c.Number] = c.State == engine.ChangeApproved
				if c.State == engine.ChangeImplemented && (st.act.op == engine.OpApplyRemedy || st.act.op == engine.OpRunRunbookStep) {
					t := get(c.Remedy)
					t.applied++
					t.evidence = append(t.evidence, s.evidence(st.act.idx, "applied under "+c.Number))
				}
			}
		case st.rem != nil:
			switch st.rem.Phase {
			case "started":
				underway[st.rem.Remedy] = true
			case "completed":
				underway[st.rem.Remedy] = false
			}
		case st.ref != nil:
			a := st.ref.Action
			if a.Op != engine.OpApplyRemedy && a.Op != engine.OpRunRunbookStep {
				return
			}
			name := s.remedyOf(a)
			r := s.remedies[name]
			if r == nil || !r.RequiresChange || st.ref.Code != string(engine.Conflict) || underway[name] {
				return
			}
			for _, ok := range approved[name] {
				if ok {
					return
				}
			}
			t := get(name)
			t.violations++
			t.evidence = append(t.evidence, s.evidence(st.ref.idx, "refused: no approved change"))
		}
	})
	var out []Check
	for _, r := range s.sc.Remedies {
		if r == nil || !r.RequiresChange {
			continue
		}
		name := r.Name
		t := tried[name]
		if t == nil {
			out = append(out, Check{Check: CheckChangeBeforeRemedy, Subject: name, Status: NotApplicable,
				Detail: fmt.Sprintf("%s, which needs a change, was never tried.", name)})
			continue
		}
		ch := Check{Check: CheckChangeBeforeRemedy, Subject: name, Evidence: t.evidence, Violations: t.violations}
		if t.violations == 0 {
			ch.Status, ch.Detail = Passed, fmt.Sprintf("%s was applied under an approved change.", name)
		} else {
			ch.Status = Failed
			ch.Detail = fmt.Sprintf("%s was tried %d time(s) without an approved change.", name, t.violations)
		}
		out = append(out, ch)
	}
	if len(out) == 0 {
		out = append(out, Check{Check: CheckChangeBeforeRemedy, Status: NotApplicable, Detail: "The scenario has no remedy that needs a change."})
	}
	return out
}

func (s *scorer) validationBeforeClose() Check {
	ch := Check{Check: CheckValidationBeforeClose}
	snap := map[string]engine.Incident{}
	closes, bad := 0, 0
	lacks := func(inc engine.Incident) string {
		var miss []string
		if !inc.Validated.Set {
			miss = append(miss, "the owner's validation")
		}
		if inc.BusinessImpact == "" {
			miss = append(miss, "a business-impact statement")
		}
		return strings.Join(miss, " and ")
	}
	s.replay(func(st step) {
		switch {
		case st.act != nil:
			a := st.act
			number := a.record
			if number == "" {
				number = snapshotNumber(*a)
			}
			for _, rc := range a.records {
				if inc := rc.Incident; inc != nil {
					snap[inc.Number] = *inc
					if a.op == engine.OpClose && inc.Number == number && s.policy.NeedsValidation(inc.Priority) {
						closes++
						if miss := lacks(*inc); miss != "" {
							bad++
							ch.Evidence = append(ch.Evidence, s.evidence(a.idx, fmt.Sprintf("%s closed at P%d without %s", number, inc.Priority, miss)))
						} else {
							ch.Evidence = append(ch.Evidence, s.evidence(a.idx, fmt.Sprintf("%s closed, validated by %s", number, inc.ValidatedBy)))
						}
					}
				}
			}
		case st.ref != nil:
			if st.ref.Action.Op != engine.OpClose || st.ref.Code != string(engine.Conflict) {
				return
			}
			inc, ok := snap[st.ref.Action.Record]
			if !ok || inc.State != engine.StateRestored || !s.policy.NeedsValidation(inc.Priority) {
				return
			}
			if miss := lacks(inc); miss != "" {
				ch.Violations++
				ch.Evidence = append(ch.Evidence, s.evidence(st.ref.idx, fmt.Sprintf("close of %s refused: it lacked %s", inc.Number, miss)))
			}
		}
	})
	switch {
	case closes == 0 && ch.Violations == 0:
		ch.Status, ch.Detail = NotApplicable, "No record that needs validation was closed."
	case bad == 0 && ch.Violations == 0:
		ch.Status, ch.Detail = Passed, "Every high-priority record closed after validation and a business-impact statement."
	default:
		ch.Status = Failed
		ch.Detail = fmt.Sprintf("%d close(s) without validation or business impact, %d refused for it.", bad, ch.Violations)
	}
	return ch
}

func (s *scorer) parentLinked() Check {
	ch := Check{Check: CheckParentLinked}
	var kids []string
	parents := map[string][]string{}
	for _, n := range s.outageRecords() {
		r := s.recs[n]
		if !counted(r.last) || r.last.IsParent {
			continue
		}
		kids = append(kids, n)
		parents[r.last.Parent] = append(parents[r.last.Parent], n)
	}
	if len(kids) < 2 {
		ch.Status, ch.Detail = NotApplicable, "The outage has fewer than two incidents to link."
		return ch
	}
	for _, a := range s.v.actions {
		if a.op == engine.OpLinkParent && slices.Contains(kids, a.record) {
			ch.Evidence = append(ch.Evidence, s.evidence(a.idx, a.record+" linked"))
		}
	}
	if _, none := parents[""]; !none && len(parents) == 1 {
		for p := range parents {
			ch.Status, ch.Detail = Passed, fmt.Sprintf("%s all under parent %s.", strings.Join(kids, ", "), p)
		}
		return ch
	}
	var parts []string
	for _, p := range slices.Sorted(maps.Keys(parents)) {
		where := "under " + p
		if p == "" {
			where = "unlinked"
		}
		parts = append(parts, strings.Join(parents[p], ", ")+" "+where)
	}
	ch.Status, ch.Detail = Failed, "The outage's incidents do not share one parent: "+strings.Join(parts, "; ")+"."
	return ch
}
