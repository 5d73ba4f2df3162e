package score

import (
	"time"

	"github.com/firedrill/firedrill/engine"
)

// The response phases: how the team noticed, took on and declared the
// incident. Each returns the event that ended the phase.

// detected is the first signal responders could see that the scenario ties
// to the fault's impact, at or after t0: an alert firing on a service the
// impact reached (or a root-cause service), a contact the scenario marks as
// a symptom report (record = "incident") about such a service reaching
// someone in the exercise, or an incident record about such a service. A
// service request is no signal, and neither is a record made for a
// contact that asked for something: a routine request that happens to
// name an impacted service detects nothing.
func (c *run) detected() (mark, bool) {
	first := mark{idx: -1}
	better := func(m mark) {
		if first.idx < 0 || m.idx < first.idx {
			first = m
		}
	}
	for _, a := range c.v.alerts {
		if a.at >= c.t0 && c.about[a.Service] {
			better(a.mark)
			break
		}
	}
	for _, in := range c.v.injects {
		if in.at >= c.t0 && in.Record == "incident" && c.about[in.About] && reaches(in.to) {
			better(in.mark)
			break
		}
	}
	requested := map[string]bool{}
	for _, ct := range c.contacts {
		if ct.Record == "request" && ct.rec != "" {
			requested[ct.rec] = true
		}
	}
	for _, a := range c.v.actions {
		if first.idx >= 0 && a.idx > first.idx {
			break
		}
		if a.op != engine.OpCreateIncident || a.at < c.t0 {
			continue
		}
		for _, rc := range a.records {
			if inc := rc.Incident; inc != nil && inc.Class != engine.ClassServiceRequest && c.about[inc.Service] && !requested[inc.Number] {
				better(a.mark)
				break
			}
		}
	}
	return first, first.idx >= 0
}

// reaches reports whether an audience includes anyone in the exercise:
// a story beat meant for the facilitators alone is no signal to the team.
func reaches(to engine.Audience) bool {
	return to.Everyone || len(to.Groups)+len(to.Roles)+len(to.People) > 0
}

// acknowledged is the first acknowledgement by a person at or after from:
// of a page about this incident, or of one of its incident records.
func (c *run) acknowledged(from time.Duration) (mark, bool) {
	first := mark{idx: -1}
	for _, p := range c.v.pages {
		if p.kind == engine.KindPageAcked && p.at >= from && p.Person != "" && c.pageAbout(p.PageData) {
			first = p.mark
			break
		}
	}
	for _, a := range c.v.actions {
		if first.idx >= 0 && a.idx > first.idx {
			break
		}
		if a.op != engine.OpAcknowledge || a.at < from || a.actor == "" {
			continue
		}
		if !c.hasT0 || c.rel[a.record] {
			first = a.mark
			break
		}
	}
	return first, first.idx >= 0
}

// pageAbout says whether a page concerns this incident: through its
// incident record, else through its alert's service. A page tied to
// neither (a person paging a person) is taken to concern it.
func (c *run) pageAbout(p engine.PageData) bool {
	if !c.hasT0 {
		return true
	}
	if _, known := c.recs[p.Incident]; known {
		return c.rel[p.Incident]
	}
	if svc, known := c.alert[p.Alert]; known {
		return c.about[svc]
	}
	return true
}

// escalations counts the escalations of pages about this incident from
// `from` up to the acknowledgement, or to the end without one.
func (c *run) escalations(from time.Duration, ack mark, acked bool) int {
	n := 0
	for _, p := range c.v.pages {
		if acked && p.idx > ack.idx {
			break
		}
		if p.kind == engine.KindPageEscalated && p.at >= from && c.pageAbout(p.PageData) {
			n++
		}
	}
	return n
}

// declared is the first time an incident of the outage was at the most
// severe priority any of them reached. Lowering a priority later moves
// nothing; raising it later moves the declaration to when it was raised.
// Declaring too high is judged by the priority check, not here.
func (c *run) declared() (mark, bool) {
	best, found := mark{}, false
	var bestPr engine.Priority
	for n := range c.rel {
		r := c.recs[n]
		if r == nil || r.last.Class == engine.ClassServiceRequest || r.last.State == engine.StateDeclined || r.highest < 1 {
			continue
		}
		m := mark{idx: r.highestIdx, at: r.highestAt}
		if !found || r.highest < bestPr || (r.highest == bestPr && m.idx < best.idx) {
			best, bestPr, found = m, r.highest, true
		}
	}
	return best, found
}
