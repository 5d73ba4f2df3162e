package score

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// PenaltyKind names a kind of penalty. Kinds are part of the JSON report:
// never rename one.
type PenaltyKind string

// The penalties, each with the dimension it is taken from and its points
// (the Penalty* constants).
const (
	// HarmfulRemedy: a harmful remedy completed (the world's "harm"
	// change). Recovery.
	HarmfulRemedy PenaltyKind = "harmful_remedy"
	// DuplicateWarRoom: a war room opened for an issue that already had
	// one (RecordChange.DuplicateOf). Coordination.
	DuplicateWarRoom PenaltyKind = "duplicate_war_room"
	// WrongPage: a person paged a group that owns no impacted service and
	// no root-cause service (a person paged by name counts for the groups
	// they are in). A page that hands a runbook step over to the group
	// that keeps the runbook is not wrong: only that group may run it.
	// Never counted when nothing was impacted. Coordination.
	WrongPage PenaltyKind = "wrong_page"
	// WrongRootCause: a root-cause claim that was wrong. Triage.
	WrongRootCause PenaltyKind = "wrong_root_cause"
	// OpenRecord: an incident record (not a service request, whose
	// fulfilment may rightly outlast the exercise) left open at the end
	// though its service had been restored for CloseGrace or more: never
	// when the exercise ended on restoration, which leaves no time to
	// close. Process.
	OpenRecord PenaltyKind = "open_record"
)

// Points taken off per penalty.
const (
	PenaltyHarmfulRemedy    = 10.0
	PenaltyDuplicateWarRoom = 5.0
	PenaltyWrongPage        = 5.0
	PenaltyWrongRootCause   = 5.0
	PenaltyOpenRecord       = 2.0
)

// CloseGrace is how long after its restoration a record may stay open
// before leaving it open is a fault: the time to validate, state the
// business impact and close.
const CloseGrace = 15 * time.Minute

// Penalty is one thing done wrong, and what it costs.
type Penalty struct {
	Kind      PenaltyKind        `json:"kind"`
	Dimension scenario.Dimension `json:"dimension"`
	Points    float64            `json:"points"` // taken off the dimension
	// Subject is what it is about: the remedy, war room, group, service
	// or record.
	Subject  string   `json:"subject"`
	Detail   string   `json:"detail"`
	Evidence Evidence `json:"evidence"`
}

func (s *scorer) penalties() []Penalty {
	out := []Penalty{}
	add := func(idx int, k PenaltyKind, dim scenario.Dimension, pts float64, subject, detail, actor string) {
		ev := s.evidence(idx, "")
		if actor != "" {
			ev.Actor = actor
		}
		out = append(out, Penalty{Kind: k, Dimension: dim, Points: pts, Subject: subject, Detail: detail, Evidence: ev})
	}
	// Harm: the world's change, named by the remedy event that reports it
	// at the same instant, and blamed on whoever started that remedy.
	for _, w := range s.v.world {
		if w.Change != changeHarm {
			continue
		}
		name, by := "", ""
		for _, r := range s.v.remedies {
			if r.at == w.at && r.Phase == "completed" && r.Harm != "" && (w.Service == "" || r.Service == w.Service) {
				name = r.Remedy
				break
			}
		}
		for _, r := range s.v.remedies {
			if r.idx < w.idx && r.Remedy == name && r.Phase == "started" {
				by = r.By
			}
		}
		subject := name
		if subject == "" {
			subject = w.Service
		}
		add(w.idx, HarmfulRemedy, scenario.DimRecovery, PenaltyHarmfulRemedy, subject,
			fmt.Sprintf("Harmful remedy %s on %s.", orService(name), w.Service), by)
	}
	owners := s.owningGroups()
	for _, a := range s.v.actions {
		switch a.op {
		case engine.OpOpenWarRoom:
			for _, rc := range a.records {
				if rc.WarRoom != nil && rc.DuplicateOf != "" {
					add(a.idx, DuplicateWarRoom, scenario.DimCoordination, PenaltyDuplicateWarRoom, rc.WarRoom.Number,
						fmt.Sprintf("%s opened for %s, which already had %s.", rc.WarRoom.Number, rc.WarRoom.Incident, rc.DuplicateOf), "")
				}
			}
		case engine.OpPage:
			if len(owners) == 0 || a.role == engine.RoleFacilitator {
				continue
			}
			act := s.action(a)
			groups := []string{act.Group}
			who := act.Group
			if act.Group == "" {
				groups, who = s.groups[act.Person], act.Person
			}
			if slices.ContainsFunc(groups, func(g string) bool { return owners[g] }) || s.handsOver(act, groups) {
				continue
			}
			add(a.idx, WrongPage, scenario.DimCoordination, PenaltyWrongPage, who,
				fmt.Sprintf("%s paged %s, who owns no impacted or root-cause service.", a.actor, who), "")
		}
	}
	for _, c := range s.v.claims {
		if !c.Correct {
			add(c.idx, WrongRootCause, scenario.DimTriage, PenaltyWrongRootCause, c.Service,
				fmt.Sprintf("%s named %s as the root cause; it was not.", c.actor, c.Service), "")
		}
	}
	slices.SortStableFunc(out, func(a, b Penalty) int { return cmp.Compare(a.Evidence.Seq, b.Evidence.Seq) })
	// Records still open come last: the end is where they are judged.
	if s.v.endReason == "restored" {
		return out
	}
	for _, n := range s.allRecords() {
		r := s.recs[n]
		if r.last.Class == engine.ClassServiceRequest || !r.last.Live() {
			continue
		}
		since, what, ok := s.closable(r)
		if ok && s.v.end-since >= CloseGrace {
			add(r.lastIdx, OpenRecord, scenario.DimProcess, PenaltyOpenRecord, n,
				fmt.Sprintf("%s was still %s when the exercise ended, %s after %s.", n, r.last.State, (s.v.end-since).Round(time.Second), what), "")
		}
	}
	return out
}

// closable is since when a live record could have been closed: from its
// own restoration, or from the world's restoration of its service, the
// earlier; ok is false while neither happened.
func (s *scorer) closable(r *record) (since time.Duration, what string, ok bool) {
	if r.restored {
		since, what, ok = r.restoredAt, "it was declared restored", true
	}
	// The service's latest restoration: an earlier one that was lost
	// gave nothing to close.
	for _, m := range slices.Backward(s.v.restored) {
		if m.service != r.last.Service {
			continue
		}
		at := max(m.at, r.first)
		if !ok || at < since {
			since, what, ok = at, m.service+" was restored", true
		}
		break
	}
	return since, what, ok
}

func orService(name string) string {
	if name == "" {
		return "(unnamed)"
	}
	return name
}

// allRecords lists every incident record's number, sorted: records left
// open are a fault whatever they are about.
func (s *scorer) allRecords() []string {
	var out []string
	for n, r := range s.recs {
		if r.last.Number != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// owningGroups are the groups that own an impacted or root-cause service.
func (s *scorer) owningGroups() map[string]bool {
	out := map[string]bool{}
	for svc := range s.about {
		if x := s.services[svc]; x != nil && x.Group.Name != "" {
			out[x.Group.Name] = true
		}
	}
	return out
}

// handsOver reports whether a page hands a runbook step over to the group
// that keeps the runbook.
func (s *scorer) handsOver(a engine.Action, groups []string) bool {
	rb := s.runbooks[a.Runbook]
	return a.Runbook != "" && rb != nil && rb.Group.Name != "" && slices.Contains(groups, rb.Group.Name)
}
