package score

import (
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// factors arranges the ground truth: the root causes and the faults that
// joined in (from the log's world events, worded by the scenario), the
// vendor changes that preceded the root cause, and the harmful remedies the
// score penalised.
func (s *scorer) factors(penalties []Penalty) Factors {
	sc, log := s.sc, s.log
	f := Factors{RootCauses: []Fault{}, Triggers: []VendorChange{}, Contributing: []Fault{}, Harmful: []Penalty{}}
	faults := map[string]*scenario.Fault{}
	for _, x := range sc.Faults {
		if x != nil {
			faults[x.Name] = x
		}
	}
	type started struct {
		list  *[]Fault
		index int
	}
	seen := map[string]started{}
	for _, e := range log {
		w, ok := as[engine.WorldData](e)
		if !ok || e.Kind != engine.KindWorld || w.Fault == "" {
			continue
		}
		if s, ok := seen[w.Fault]; ok {
			fl := &(*s.list)[s.index]
			switch w.Change {
			case "fault_mitigated":
				if fl.Ended == "" {
					fl.Ended, fl.EndedAt = "mitigated", e.At
				}
			case "fault_fixed", "fault_healed":
				if fl.Ended == "" || fl.Ended == "mitigated" {
					fl.Ended, fl.EndedAt = strings.TrimPrefix(w.Change, "fault_"), e.At
				}
			}
			continue
		}
		if w.Change != "fault_started" {
			continue
		}
		fl := Fault{Fault: w.Fault, Service: w.Service, Started: e.At, Seq: e.Seq}
		if x := faults[w.Fault]; x != nil {
			fl.Cause = x.Cause
		}
		list := &f.Contributing
		if w.RootCause {
			list = &f.RootCauses
		} else {
			fl.SetOffBy = setOffBy(sc, log, w.Fault, e.At)
		}
		*list = append(*list, fl)
		seen[w.Fault] = started{list, len(*list) - 1}
	}
	f.Triggers = triggers(sc, f.RootCauses)
	for _, p := range penalties {
		if p.Kind == HarmfulRemedy {
			f.Harmful = append(f.Harmful, p)
		}
	}
	return f
}

// setOffBy says what started a fault the story did not schedule: a
// decision's option or a harmful remedy, whichever came last before it.
func setOffBy(sc *scenario.Scenario, log []engine.Event, fault string, when time.Duration) string {
	ref := "fault." + fault
	by := ""
	for _, e := range log {
		if e.At > when {
			break
		}
		switch e.Kind {
		case engine.KindAnswered:
			a, _ := as[engine.AnswerData](e)
			for _, d := range sc.Decisions {
				if d == nil || d.Name != a.Name {
					continue
				}
				for _, o := range d.Options {
					if o != nil && o.Name == a.Option && slices.ContainsFunc(o.Triggers, func(r scenario.Ref) bool { return r.String() == ref }) {
						by = "decision " + a.Name + ", option " + a.Option
					}
				}
			}
		case engine.KindRemedy:
			r, _ := as[engine.RemedyData](e)
			if r.Phase != "completed" {
				continue
			}
			for _, x := range sc.Remedies {
				if x != nil && x.Name == r.Remedy && slices.ContainsFunc(x.Triggers, func(r scenario.Ref) bool { return r.String() == ref }) {
					by = "harmful remedy " + r.Remedy
				}
			}
		}
	}
	return by
}

// triggers lists the changes the root-cause services' vendors logged before
// the fault started: the candidate triggers a review should look at.
func triggers(sc *scenario.Scenario, roots []Fault) []VendorChange {
	out := []VendorChange{}
	vendors := map[string]*scenario.Vendor{}
	for _, v := range sc.Vendors {
		if v != nil {
			vendors[v.Name] = v
		}
	}
	done := map[string]bool{}
	for _, rc := range roots {
		for _, s := range sc.Services {
			if s == nil || s.Name != rc.Service || s.Vendor.Name == "" || done[s.Vendor.Name] {
				continue
			}
			done[s.Vendor.Name] = true
			v := vendors[s.Vendor.Name]
			if v == nil {
				continue
			}
			for _, c := range v.Changes {
				if c != nil && c.At <= rc.Started {
					out = append(out, VendorChange{Vendor: v.Name, Change: c.Name, At: c.At, Note: c.Note})
				}
			}
		}
	}
	return out
}

// healed lists the faults that healed by themselves by the time customer
// impact ended (the end of the exercise when it never did).
func healed(f Factors, res Result) []Fault {
	out := []Fault{}
	until := res.End
	if m, ok := res.Measure(PhaseMitigate); ok && !m.Censored {
		until = m.At
	}
	for _, x := range append(append([]Fault{}, f.RootCauses...), f.Contributing...) {
		if x.Ended == "healed" && x.EndedAt <= until {
			out = append(out, x)
		}
	}
	return out
}

// resolution picks from the log the remedies that stopped the impact and
// those that removed the cause, and the records as the exercise left them.
func (s *scorer) resolution() Resolution {
	log, res := s.log, s.res
	r := Resolution{Mitigated: []Remedy{}, Fixed: []Remedy{}, SelfHealed: res.SelfHealed,
		Records: []Record{}, Problems: []Record{}, Changes: []Record{}}
	type start struct {
		by string
		at time.Duration
	}
	starts := map[string]start{} // remedy → its last start
	for _, e := range log {
		switch e.Kind {
		case engine.KindRemedy:
			d, ok := as[engine.RemedyData](e)
			if !ok {
				continue
			}
			if d.Phase == "started" {
				starts[d.Remedy] = start{d.By, e.At}
				continue
			}
			s := starts[d.Remedy]
			rm := Remedy{Remedy: d.Remedy, Service: d.Service, By: s.by, Started: s.at, Completed: e.At, Seq: e.Seq}
			if len(d.Mitigated) > 0 {
				rm.Faults = slices.Clone(d.Mitigated)
				r.Mitigated = append(r.Mitigated, rm)
			}
			if len(d.Fixed) > 0 {
				rm.Faults = slices.Clone(d.Fixed)
				r.Fixed = append(r.Fixed, rm)
			}
		case engine.KindAction:
			if a, ok := as[engine.ActionData](e); ok {
				r.records(e, a)
			}
		}
	}
	sortRecords := func(rs []Record) {
		slices.SortFunc(rs, func(a, b Record) int { return strings.Compare(a.Number, b.Number) })
	}
	sortRecords(r.Records)
	sortRecords(r.Problems)
	sortRecords(r.Changes)
	return r
}

// records keeps the latest snapshot of every record an action changed.
func (r *Resolution) records(e engine.Event, a engine.ActionData) {
	put := func(list *[]Record, rec Record) {
		for i := range *list {
			if (*list)[i].Number == rec.Number {
				rec.Opened, rec.Seq = (*list)[i].Opened, (*list)[i].Seq
				(*list)[i] = rec
				return
			}
		}
		*list = append(*list, rec)
	}
	for _, rc := range a.Records {
		switch {
		case rc.Incident != nil:
			inc := rc.Incident
			links := append(slices.Clone(inc.Problems), inc.Changes...)
			put(&r.Records, Record{Number: inc.Number, Kind: string(inc.Class), State: string(inc.State), Priority: int(inc.Priority),
				Service: inc.Service, Parent: inc.Parent, Text: inc.ShortDescription, Links: nonNil(links),
				OpenedBy: inc.OpenedBy, Opened: inc.Opened.At, Seq: e.Seq})
		case rc.Problem != nil:
			p := rc.Problem
			put(&r.Problems, Record{Number: p.Number, Kind: "problem", State: string(p.State), Text: p.ShortDescription,
				Links: nonNil(slices.Clone(p.Incidents)), OpenedBy: p.OpenedBy, Opened: p.Opened.At, Seq: e.Seq})
		case rc.Change != nil:
			c := rc.Change
			text := "remedy " + c.Remedy
			if c.Emergency {
				text = "emergency change: " + text
			}
			if c.ApprovedBy != "" {
				text += ", approved by " + c.ApprovedBy
			}
			put(&r.Changes, Record{Number: c.Number, Kind: "change", State: string(c.State), Text: text,
				Links: []string{c.Incident}, OpenedBy: c.RequestedBy, Opened: c.Requested.At, Seq: e.Seq})
		}
	}
}
