package exercise

import (
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/facts"
	"github.com/firedrill/firedrill/engine/scenario"
)

// story tracks the conditional parts of a scenario: injects, decisions and
// faults that wait for a condition, and expectations not yet met.
type story struct {
	injects   []*scenario.Inject
	decisions []*scenario.Decision
	faults    []*scenario.Fault
	expects   []*scenario.Expect
	funcs     hcl.EvalContext
	offered   map[string]offer
	// reads are the names each condition reads, and seen the facts' stamp
	// when it was last evaluated: a condition is evaluated again only when
	// something it reads has changed since (every evaluation when full).
	reads map[hcl.Expression][]string
	names map[hcl.Expression][]string // every name it reads, for its scope
	seen  map[hcl.Expression]uint64
	full  bool
	// gates are the times before which a condition cannot hold: a leading
	// "elapsed > N" of a chain of &&. Time only moves on, so once past it
	// the gate holds for good and elapsed is no longer read.
	gates  map[hcl.Expression]gate
	passed map[hcl.Expression]bool
}

// gate is the time a condition waits for: elapsed > at, or >= when
// inclusive.
type gate struct {
	at        time.Duration
	inclusive bool
}

func (g gate) open(now time.Duration) bool {
	if g.inclusive {
		return now >= g.at
	}
	return now > g.at
}

// offer is a decision put to its audience and not yet answered.
type offer struct {
	at       time.Duration // when it was offered
	answered bool
	option   string
}

func newStory(sc *scenario.Scenario) story {
	st := story{offered: map[string]offer{}, funcs: hcl.EvalContext{Functions: scenario.Functions()},
		reads: map[hcl.Expression][]string{}, names: map[hcl.Expression][]string{}, seen: map[hcl.Expression]uint64{},
		gates: map[hcl.Expression]gate{}, passed: map[hcl.Expression]bool{}}
	for _, in := range sc.Injects {
		if in.When != nil {
			st.injects = append(st.injects, in)
		}
	}
	for _, d := range sc.Decisions {
		if d.When != nil {
			st.decisions = append(st.decisions, d)
		}
	}
	for _, f := range sc.Faults {
		if f.When != nil {
			st.faults = append(st.faults, f)
		}
	}
	st.expects = append(st.expects, sc.Expects...)
	note := func(e hcl.Expression) {
		elapsed := 0
		for _, t := range e.Variables() {
			if t.RootName() == facts.Elapsed {
				elapsed++
			}
		}
		if g, ok := timeGate(e); ok {
			st.gates[e] = g
			if elapsed == 1 {
				// The gate was its only reading of the time.
				defer func() {
					st.reads[e] = slices.DeleteFunc(st.reads[e], func(n string) bool { return n == facts.Elapsed })
				}()
			}
		}
		for _, t := range e.Variables() {
			if !slices.Contains(st.reads[e], t.RootName()) {
				st.reads[e] = append(st.reads[e], t.RootName())
				st.names[e] = append(st.names[e], t.RootName())
			}
		}
	}
	for _, in := range st.injects {
		note(in.When)
	}
	for _, d := range st.decisions {
		note(d.When)
	}
	for _, f := range st.faults {
		note(f.When)
	}
	for _, e := range st.expects {
		note(e.Condition)
	}
	return st
}

// evaluate checks every pending condition against the state of the exercise
// and fires what became true, each once.
func (st *story) evaluate(x *Exercise) {
	if len(st.injects)+len(st.decisions)+len(st.faults)+len(st.expects) == 0 {
		return
	}
	// A condition that did not hold, nothing it reads having changed
	// since, still does not: each is deterministic in what it reads. The
	// scope is the state as this evaluation began, for every condition
	// alike, as a full evaluation has it.
	stamp := x.facts.Stamp()
	due := func(expr hcl.Expression) bool {
		if st.full {
			return true
		}
		if g, gated := st.gates[expr]; gated {
			if !g.open(x.now) {
				return false
			}
			if !st.passed[expr] {
				st.passed[expr] = true
				return true
			}
		}
		seen, ok := st.seen[expr]
		return !ok || x.facts.ChangedSince(seen, st.reads[expr])
	}
	now := map[hcl.Expression]bool{}
	var names []string
	st.each(func(e hcl.Expression) {
		if due(e) {
			now[e] = true
			for _, n := range st.names[e] {
				if !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
	})
	if len(now) == 0 {
		return
	}
	// Only the names the due conditions read are built.
	ctx := st.funcs.NewChild()
	ctx.Variables = x.facts.Scope(names)
	holds := func(expr hcl.Expression) bool {
		if !now[expr] {
			return false
		}
		st.seen[expr] = stamp
		v, diags := expr.Value(ctx)
		// A condition that cannot be evaluated yet (an empty list indexed,
		// say) is simply not true yet; validation caught unknown names.
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.Bool) {
			return false
		}
		return v.True()
	}
	st.injects = slices.DeleteFunc(st.injects, func(in *scenario.Inject) bool {
		if x.fired[in.Name] || holds(in.When) {
			x.fireInject(in.Name)
			return true
		}
		return false
	})
	st.decisions = slices.DeleteFunc(st.decisions, func(d *scenario.Decision) bool {
		if _, done := st.offered[d.Name]; done || holds(d.When) {
			x.offerDecision(d.Name)
			return true
		}
		return false
	})
	st.faults = slices.DeleteFunc(st.faults, func(f *scenario.Fault) bool {
		if holds(f.When) {
			x.startFault(f.Name)
			return true
		}
		return false
	})
	st.expects = slices.DeleteFunc(st.expects, func(e *scenario.Expect) bool {
		if holds(e.Condition) {
			x.expects[e.Name] = true
			x.emit(engine.KindExpectMet, engine.Facilitators(), "", engine.ExpectData{Name: e.Name, Dimension: string(e.Dimension), Points: e.Points})
			return true
		}
		return false
	})
}

// timeGate finds a condition's leading time gate: "elapsed > N" or
// "elapsed >= N" (N a number, once conditions are folded) joined to the
// rest by &&, at any depth of a chain of them.
func timeGate(e hcl.Expression) (gate, bool) {
	switch x := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		return timeGate(x.Expression)
	case *hclsyntax.BinaryOpExpr:
		switch x.Op {
		case hclsyntax.OpLogicalAnd:
			l, lok := timeGate(x.LHS)
			r, rok := timeGate(x.RHS)
			switch {
			case lok && rok:
				if r.at > l.at {
					return r, true
				}
				return l, true
			case lok:
				return l, true
			}
			return r, rok
		case hclsyntax.OpGreaterThan, hclsyntax.OpGreaterThanOrEqual:
			t, ok := x.LHS.(*hclsyntax.ScopeTraversalExpr)
			lit, ok2 := x.RHS.(*hclsyntax.LiteralValueExpr)
			if !ok || !ok2 || len(t.Traversal) != 1 || t.Traversal.RootName() != facts.Elapsed ||
				!lit.Val.IsKnown() || lit.Val.IsNull() || !lit.Val.Type().Equals(cty.Number) {
				return gate{}, false
			}
			secs, _ := lit.Val.AsBigFloat().Float64()
			return gate{at: time.Duration(secs * float64(time.Second)), inclusive: x.Op == hclsyntax.OpGreaterThanOrEqual}, true
		}
	}
	return gate{}, false
}

// each calls f with every condition still waiting, in evaluation order.
func (st *story) each(f func(hcl.Expression)) {
	for _, in := range st.injects {
		f(in.When)
	}
	for _, d := range st.decisions {
		f(d.When)
	}
	for _, x := range st.faults {
		f(x.When)
	}
	for _, e := range st.expects {
		f(e.Condition)
	}
}

// audienceOf turns a scenario audience into an event audience.
func audienceOf(a scenario.Audience) engine.Audience {
	out := engine.Audience{Everyone: a.Everyone}
	for _, r := range a.Refs {
		switch r.Kind {
		case scenario.KindGroup:
			out.Groups = append(out.Groups, r.Name)
		case scenario.KindRole:
			out.Roles = append(out.Roles, engine.Role(r.Name))
		case scenario.KindPerson:
			out.People = append(out.People, r.Name)
		}
	}
	return out
}

// fireInject delivers an inject once; a second call is a no-op, so timed,
// conditional and triggered paths cannot double-deliver.
func (x *Exercise) fireInject(name string) {
	in := x.sc.Inject(name)
	if in == nil || x.fired[name] {
		return
	}
	x.fired[name] = true
	x.emit(engine.KindInject, audienceOf(in.To), "", engine.InjectData{
		Name: in.Name, Channel: string(in.Channel), From: in.From, Text: in.Text,
		Record: in.Record, About: in.About.Name,
	})
}

func (x *Exercise) offerDecision(name string) {
	d := x.sc.Decision(name)
	if d == nil {
		return
	}
	if _, done := x.story.offered[name]; done {
		return
	}
	x.story.offered[name] = offer{at: x.now}
	opts := make([]engine.OptionData, len(d.Options))
	for i, o := range d.Options {
		opts[i] = engine.OptionData{Name: o.Name, Text: o.Text}
	}
	x.emit(engine.KindOffered, audienceOf(d.To), "", engine.DecisionData{Name: d.Name, Prompt: d.Prompt, Options: opts, Timeout: d.Timeout})
	if d.Timeout > 0 {
		x.at(x.now+d.Timeout, itemDecisionTimeout, name)
	}
}

func (x *Exercise) timeoutDecision(name string) {
	if o, ok := x.story.offered[name]; ok && !o.answered {
		d := x.sc.Decision(name)
		x.answerDecision(d, d.Default, "")
	}
}

// answerDecision records the option taken and sets off its consequences.
func (x *Exercise) answerDecision(d *scenario.Decision, option, by string) error {
	o, ok := x.story.offered[d.Name]
	if !ok {
		return &engine.Error{Code: engine.Conflict, Op: engine.OpAnswerDecision, Reason: fmt.Sprintf("decision %q has not been put to anyone yet", d.Name)}
	}
	if o.answered {
		return &engine.Error{Code: engine.Conflict, Op: engine.OpAnswerDecision, Reason: fmt.Sprintf("decision %q was already answered (%s)", d.Name, o.option)}
	}
	var chosen *scenario.Option
	var names []string
	for _, opt := range d.Options {
		names = append(names, opt.Name)
		if opt.Name == option {
			chosen = opt
		}
	}
	if chosen == nil {
		return &engine.Error{Code: engine.BadRequest, Op: engine.OpAnswerDecision, Reason: fmt.Sprintf("decision %q has options %v; %q is not one of them", d.Name, names, option)}
	}
	x.story.offered[d.Name] = offer{at: o.at, answered: true, option: option}
	x.emit(engine.KindAnswered, audienceOf(d.To), by, engine.AnswerData{
		Name: d.Name, Option: option, By: by, Score: chosen.Score,
		Took: x.now - o.at, TimedOut: by == "",
	})
	for _, t := range chosen.Triggers {
		switch t.Kind {
		case scenario.KindInject:
			x.fireInject(t.Name)
		case scenario.KindDecision:
			x.offerDecision(t.Name)
		case scenario.KindFault:
			x.startFault(t.Name)
		}
	}
	return nil
}

// startFault starts a fault the story triggered; the world refuses one that
// already runs, which is fine: triggers are idempotent.
func (x *Exercise) startFault(name string) {
	if x.faults[name] {
		return
	}
	x.faults[name] = true
	_ = x.world.StartFault(x.now, name)
}
