package score

import (
	"cmp"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// The response phases: how the team noticed, took on and declared the
// incident.

// detected is the first alert fired on, or incident record opened about, a
// service this incident is about, at or after t0.
func (c *run) detected() (time.Duration, bool) {
	first := mark{idx: -1}
	for _, a := range c.v.alerts {
		if a.at >= c.t0 && c.about[a.Service] {
			first = a.mark
			break
		}
	}
	for _, a := range c.v.actions {
		if first.idx >= 0 && a.idx > first.idx {
			break
		}
		if a.op == engine.OpCreateIncident && a.at >= c.t0 && c.about[createdService(a)] {
			first = a.mark
			break
		}
	}
	return first.at, first.idx >= 0
}

// createdService is the service of the record a create_incident opened.
func createdService(a actionEvent) string {
	for _, rc := range a.records {
		if rc.Incident != nil {
			return rc.Incident.Service
		}
	}
	return a.service
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
		number := a.record
		if number == "" {
			number = snapshotNumber(a)
		}
		if !c.hasT0 || c.rel[number] {
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

// declared is when the incident was recorded at its final priority. Of the
// relevant live records the most severe decides, since several records of
// one outage are declared by the one carrying its priority; for a priority
// the command center runs, declaring also takes the incident alert.
func (c *run) declared() (time.Duration, bool) {
	type cand struct {
		number   string
		rank     int
		at       time.Duration
		declared bool
	}
	var cands []cand
	for n := range c.rel {
		r := c.recs[n]
		if r == nil || r.last.State == engine.StateMerged || r.last.State == engine.StateDeclined {
			continue
		}
		k := cand{number: n, rank: int(r.last.Priority), at: r.prioritySince, declared: true}
		if k.rank < 1 || k.rank > 4 {
			k.rank = 5 // no priority yet: the least severe
		}
		if c.needsAlert(r.last.Priority) {
			// Both must hold: the alert raised and the final priority set.
			k.at, k.declared = max(r.alertAt, r.prioritySince), r.hasAlert
		}
		cands = append(cands, k)
	}
	if len(cands) == 0 {
		return 0, false
	}
	best := slices.MinFunc(cands, func(a, b cand) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		if a.declared != b.declared {
			if a.declared {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.number, b.number))
	})
	return best.at, best.declared
}

// needsAlert reports whether priority p needs an incident alert: a major
// incident, by the scenario's process.
func (c *run) needsAlert(p engine.Priority) bool { return c.sc.Policy().Major(p) }
