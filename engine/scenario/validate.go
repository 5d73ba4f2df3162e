package scenario

import (
	"fmt"
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/hashicorp/hcl/v2"
)

// validate checks what no single block can check alone: unique names,
// references, dependency cycles, timing and conditions.
func (sc *Scenario) validate() hcl.Diagnostics {
	var diags hcl.Diagnostics
	diags = append(diags, sc.buildIndex()...)
	diags = append(diags, sc.checkPeople()...)
	diags = append(diags, sc.checkRefs()...)
	diags = append(diags, sc.checkCycles()...)
	diags = append(diags, sc.checkTiming()...)
	diags = append(diags, sc.checkConditions()...)
	diags = append(diags, sc.checkFaults()...)
	diags = append(diags, sc.checkHypotheses()...)
	return diags
}

type named struct {
	name string
	rng  hcl.Range
}

func (sc *Scenario) blocksByKind() map[Kind][]named {
	m := map[Kind][]named{}
	add := func(k Kind, name string, rng hcl.Range) { m[k] = append(m[k], named{name, rng}) }
	for _, x := range sc.Groups {
		add(KindGroup, x.Name, x.DefRange)
	}
	for _, x := range sc.Rotations {
		add(KindRotation, x.Name, x.DefRange)
	}
	for _, x := range sc.Vendors {
		add(KindVendor, x.Name, x.DefRange)
	}
	for _, x := range sc.Services {
		add(KindService, x.Name, x.DefRange)
	}
	for _, x := range sc.Alerts {
		add(KindAlert, x.Name, x.DefRange)
	}
	for _, x := range sc.Runbooks {
		add(KindRunbook, x.Name, x.DefRange)
	}
	for _, x := range sc.Knowledge {
		add(KindKnowledge, x.Name, x.DefRange)
	}
	for _, x := range sc.Faults {
		add(KindFault, x.Name, x.DefRange)
	}
	for _, x := range sc.Hypotheses {
		add(KindHypothesis, x.Name, x.DefRange)
	}
	for _, x := range sc.Remedies {
		add(KindRemedy, x.Name, x.DefRange)
	}
	for _, x := range sc.Injects {
		add(KindInject, x.Name, x.DefRange)
	}
	for _, x := range sc.Decisions {
		add(KindDecision, x.Name, x.DefRange)
	}
	for _, x := range sc.Expects {
		add(KindExpect, x.Name, x.DefRange)
	}
	return m
}

// buildIndex maps every name to its position in its list, reporting names
// declared twice at the second declaration.
func (sc *Scenario) buildIndex() hcl.Diagnostics {
	var diags hcl.Diagnostics
	sc.index = map[Kind]map[string]int{}
	for kind, items := range sc.blocksByKind() {
		idx := map[string]int{}
		for i, it := range items {
			if j, dup := idx[it.name]; dup {
				diags = append(diags, duplicateDiag(string(kind), it.name, items[j].rng, it.rng))
				continue
			}
			idx[it.name] = i
		}
		sc.index[kind] = idx
	}
	people := map[string]int{}
	for _, g := range sc.Groups {
		for _, m := range g.Members {
			if _, ok := people[m]; !ok {
				people[m] = len(people)
			}
		}
	}
	sc.index[KindPerson] = people
	roles := map[string]int{}
	for i, r := range engine.Roles() {
		roles[string(r)] = i
	}
	sc.index[KindRole] = roles
	return diags
}

// lookup returns the position of a named block in its list.
func (sc *Scenario) lookup(k Kind, name string) (int, bool) {
	i, ok := sc.index[k][name]
	return i, ok
}

func (sc *Scenario) names(k Kind) []string {
	return sortedKeys(sc.index[k])
}

func (sc *Scenario) checkRef(r Ref) *hcl.Diagnostic {
	if r.Name == "" {
		return nil
	}
	if _, ok := sc.lookup(r.Kind, r.Name); ok {
		return nil
	}
	names := sc.names(r.Kind)
	declared := "None is declared."
	if len(names) > 0 {
		declared = "Declared: " + strings.Join(names, ", ") + "."
	}
	what := string(r.Kind)
	switch r.Kind {
	case KindPerson:
		declared = "People are the members of groups: " + strings.Join(names, ", ") + "."
	case KindRole:
		declared = "Roles are " + strings.Join(names, ", ") + "."
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Reference to undeclared %s", what),
		Detail:   fmt.Sprintf("No %s named %q is declared in this scenario. %s%s", what, r.Name, declared, suggest(r.Name, names)),
		Subject:  r.Range.Ptr(),
	}
}

// allRefs lists every reference written in the scenario, in file order within
// each kind of block.
func (sc *Scenario) allRefs() []Ref {
	var out []Ref
	add := func(rs ...Ref) { out = append(out, rs...) }
	for _, r := range sc.Rotations {
		add(r.Group)
	}
	for _, s := range sc.Services {
		add(s.Group, s.Vendor)
		for _, d := range s.DependsOn {
			add(d.Service)
		}
	}
	for _, a := range sc.Alerts {
		add(a.Service, a.Page)
	}
	for _, rb := range sc.Runbooks {
		add(rb.Service, rb.Group)
		for _, st := range rb.Steps {
			add(st.Applies)
		}
	}
	for _, k := range sc.Knowledge {
		add(k.AppliesTo...)
		add(k.EscalateTo...)
	}
	for _, f := range sc.Faults {
		add(f.Service)
		add(f.MitigatedBy...)
		add(f.FixedBy...)
		for _, r := range f.ReducedBy {
			add(r.Remedy)
		}
	}
	for _, h := range sc.Hypotheses {
		add(h.Service, h.Cause)
	}
	for _, r := range sc.Remedies {
		add(r.Service)
		add(r.By...)
		add(r.Triggers...)
	}
	for _, in := range sc.Injects {
		add(in.To.Refs...)
		add(in.About)
	}
	for _, d := range sc.Decisions {
		add(d.To.Refs...)
		for _, o := range d.Options {
			add(o.Triggers...)
		}
	}
	return out
}

func (sc *Scenario) checkRefs() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, r := range sc.allRefs() {
		if d := sc.checkRef(r); d != nil {
			diags = append(diags, d)
		}
	}
	return diags
}

// checkPeople checks the people named in rotations and services against the
// members of their groups.
func (sc *Scenario) checkPeople() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, r := range sc.Rotations {
		i, ok := sc.lookup(KindGroup, r.Group.Name)
		if !ok {
			continue
		}
		g := sc.Groups[i]
		for _, m := range r.Members {
			// A group without members was reported where it is declared.
			if len(g.Members) > 0 && !contains(g.Members, m) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Rotation member not in group",
					Detail:   fmt.Sprintf("%q is not a member of group %q (%s). Add them to the group or remove them from the rotation.", m, g.Name, strings.Join(g.Members, ", ")),
					Subject:  r.MembersRange.Ptr(),
				})
			}
		}
		if r.EscalateTo != "" {
			if _, ok := sc.lookup(KindPerson, r.EscalateTo); !ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown person",
					Detail:   fmt.Sprintf("escalate_to names %q, who is not a member of any group.%s", r.EscalateTo, suggest(r.EscalateTo, sc.names(KindPerson))),
					Subject:  r.EscalateToRange.Ptr(),
				})
			}
		}
	}
	for _, s := range sc.Services {
		if s.Owner == "" {
			continue
		}
		if _, ok := sc.lookup(KindPerson, s.Owner); !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown person",
				Detail:   fmt.Sprintf("The owner of service %q, %q, is not a member of any group.%s", s.Name, s.Owner, suggest(s.Owner, sc.names(KindPerson))),
				Subject:  s.OwnerRange.Ptr(),
			})
		}
	}
	return diags
}

// checkCycles reports a dependency cycle once, at the depends_on entry that
// closes it, naming every service on the way round.
func (sc *Scenario) checkCycles() hcl.Diagnostics {
	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]int, len(sc.Services))
	var path []string
	var diags hcl.Diagnostics
	var visit func(i int)
	visit = func(i int) {
		state[i] = visiting
		path = append(path, sc.Services[i].Name)
		for _, d := range sc.Services[i].DependsOn {
			j, ok := sc.lookup(KindService, d.Service.Name)
			if !ok {
				continue
			}
			switch state[j] {
			case visiting:
				start := 0
				for k, n := range path {
					if n == d.Service.Name {
						start = k
					}
				}
				cycle := append(append([]string{}, path[start:]...), d.Service.Name)
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Dependency cycle",
					Detail:   fmt.Sprintf("Services depend on each other in a circle: %s. Failures could not settle; remove one of these dependencies.", strings.Join(cycle, " → ")),
					Subject:  d.Service.Range.Ptr(),
				})
			case unvisited:
				visit(j)
			}
		}
		path = path[:len(path)-1]
		state[i] = done
	}
	for i := range sc.Services {
		if state[i] == unvisited {
			visit(i)
		}
	}
	return diags
}

// checkTiming reports story items that could never happen inside the
// exercise, and ones nothing would ever start.
func (sc *Scenario) checkTiming() hcl.Diagnostics {
	var diags hcl.Diagnostics
	triggered := map[Ref]bool{}
	for _, d := range sc.Decisions {
		for _, o := range d.Options {
			for _, t := range o.Triggers {
				triggered[Ref{Kind: t.Kind, Name: t.Name}] = true
			}
		}
	}
	for _, r := range sc.Remedies {
		for _, t := range r.Triggers {
			triggered[Ref{Kind: t.Kind, Name: t.Name}] = true
		}
	}
	late := func(kind, name string, at hcl.Range) *hcl.Diagnostic {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("%s after the scenario ends", strings.ToUpper(kind[:1])+kind[1:]),
			Detail:   fmt.Sprintf("%s %q is timed after the end of the exercise (duration %s). Move it earlier or lengthen the scenario.", kind, name, sc.Duration),
			Subject:  at.Ptr(),
		}
	}
	dormant := func(kind, name string, rng hcl.Range) *hcl.Diagnostic {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("%s never happens", strings.ToUpper(kind[:1])+kind[1:]),
			Detail:   fmt.Sprintf("%s %q has neither at nor when, and no decision option triggers it. Give it a time or a condition.", kind, name),
			Subject:  rng.Ptr(),
		}
	}
	for _, in := range sc.Injects {
		switch {
		case in.HasAt && sc.Duration > 0 && in.At >= sc.Duration:
			diags = append(diags, late("inject", in.Name, in.AtRange))
		case !in.HasAt && in.When == nil && !triggered[Ref{Kind: KindInject, Name: in.Name}]:
			diags = append(diags, dormant("inject", in.Name, in.DefRange))
		}
	}
	for _, d := range sc.Decisions {
		switch {
		case d.HasAt && sc.Duration > 0 && d.At >= sc.Duration:
			diags = append(diags, late("decision", d.Name, d.AtRange))
		case !d.HasAt && d.When == nil && !triggered[Ref{Kind: KindDecision, Name: d.Name}]:
			diags = append(diags, dormant("decision", d.Name, d.DefRange))
		}
	}
	for _, f := range sc.Faults {
		if f.HasStart && sc.Duration > 0 && f.Start >= sc.Duration {
			diags = append(diags, late("fault", f.Name, f.StartRange))
		}
	}
	for _, e := range sc.Expects {
		if e.Within > 0 && sc.Duration > 0 && e.Within > sc.Duration {
			diags = append(diags, late("expectation deadline", e.Name, e.WithinRange))
		}
	}
	return diags
}

func (sc *Scenario) checkConditions() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, f := range sc.Faults {
		if f.When != nil {
			diags = append(diags, sc.checkCondition(f.When)...)
		}
	}
	for _, in := range sc.Injects {
		if in.When != nil {
			diags = append(diags, sc.checkCondition(in.When)...)
		}
	}
	for _, d := range sc.Decisions {
		if d.When != nil {
			diags = append(diags, sc.checkCondition(d.When)...)
		}
	}
	for _, e := range sc.Expects {
		if e.Condition != nil {
			diags = append(diags, sc.checkCondition(e.Condition)...)
		}
		if e.Applies != nil {
			diags = append(diags, sc.checkCondition(e.Applies)...)
		}
	}
	return diags
}

// checkFaults checks that every fault can end (a scenario whose root cause
// no remedy touches cannot be restored), and that no remedy both reduces a
// fault and removes its effect.
func (sc *Scenario) checkFaults() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, f := range sc.Faults {
		removable := len(f.FixedBy) > 0 || len(f.MitigatedBy) > 0 || f.HealsAfter > 0
		for _, r := range f.ReducedBy {
			removable = removable || r.Removes()
			if list := removingList(f, r.Remedy.Name); list != "" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Remedy both reduces and removes",
					Detail:   fmt.Sprintf("%s is also in %s of fault %q, which removes the fault's effect. A remedy either reduces a fault (reduced_by) or removes it; take it out of one.", r.Remedy, list, f.Name),
					Subject:  r.Remedy.Range.Ptr(),
				})
			}
		}
		if f.RootCause && !removable {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Root cause cannot end",
				Detail:   fmt.Sprintf("Fault %q is a root cause, but no remedy mitigates or fixes it and it never heals%s. Add fixed_by = [remedy.NAME] so the exercise can be restored.", f.Name, partly(f)),
				Subject:  f.RootRange.Ptr(),
			})
		}
	}
	return diags
}

// checkHypotheses checks that a hypothesis's cause is a root-cause fault
// on its service, then adds the hypothesis each root-cause fault implies
// when no block names it, so every root cause can be claimed.
func (sc *Scenario) checkHypotheses() hcl.Diagnostics {
	var diags hcl.Diagnostics
	named := map[string]bool{}
	for _, h := range sc.Hypotheses {
		if h == nil || h.Cause.Name == "" {
			continue
		}
		f := sc.Fault(h.Cause.Name)
		if f == nil {
			continue // checkRefs reported it
		}
		named[f.Name] = true
		switch {
		case !f.RootCause:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cause is not a root cause",
				Detail:   fmt.Sprintf("Hypothesis %q names fault %q, which is not a root cause, so claiming it could never be right. Name a fault with root_cause = true, or remove cause to make it a plausible wrong hypothesis.", h.Name, f.Name),
				Subject:  h.Cause.Range.Ptr(),
			})
		case f.Service.Name != h.Service.Name:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cause on another service",
				Detail:   fmt.Sprintf("Hypothesis %q is about %s, but fault %q is on %s. Set service = service.%s.", h.Name, h.Service.Name, f.Name, f.Service.Name, f.Service.Name),
				Subject:  h.Service.Range.Ptr(),
			})
		}
		if len(h.Signs) == 0 {
			h.Signs = f.Logs
		}
	}
	for _, f := range sc.Faults {
		if f == nil || !f.RootCause || named[f.Name] {
			continue
		}
		if i, clash := sc.lookup(KindHypothesis, f.Name); clash {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Hypothesis hides a root cause",
				Detail:   fmt.Sprintf("Hypothesis %q has the name of root-cause fault %q, whose own hypothesis it would hide. Rename it, or set cause = fault.%s if it describes that fault.", f.Name, f.Name, f.Name),
				Subject:  sc.Hypotheses[i].DefRange.Ptr(),
			})
			continue
		}
		title := f.Cause
		if title == "" {
			title = f.Name
		}
		if sc.index[KindHypothesis] == nil {
			sc.index[KindHypothesis] = map[string]int{}
		}
		sc.Hypotheses = append(sc.Hypotheses, &Hypothesis{Name: f.Name, Title: title, Service: f.Service,
			Cause: Ref{Kind: KindFault, Name: f.Name, Range: f.DefRange}, Signs: f.Logs, Implied: true, DefRange: f.DefRange})
		sc.index[KindHypothesis][f.Name] = len(sc.Hypotheses) - 1
	}
	return diags
}

// HypothesesOn lists the hypotheses about a service, in file order (the
// implied ones last).
func (sc *Scenario) HypothesesOn(service string) []*Hypothesis {
	var out []*Hypothesis
	for _, h := range sc.Hypotheses {
		if h != nil && h.Service.Name == service {
			out = append(out, h)
		}
	}
	return out
}

// partly says that reductions leave some of a fault, when it has any.
func partly(f *Fault) string {
	if len(f.ReducedBy) == 0 {
		return ""
	}
	return "; its reductions take only part of it away"
}

// removingList names the list of f, mitigated_by or fixed_by, that holds
// the remedy, or "".
func removingList(f *Fault, remedy string) string {
	for _, l := range []struct {
		name string
		refs []Ref
	}{{"fixed_by", f.FixedBy}, {"mitigated_by", f.MitigatedBy}} {
		for _, r := range l.refs {
			if r.Name == remedy {
				return l.name
			}
		}
	}
	return ""
}
