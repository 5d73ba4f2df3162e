package exercise

import (
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/firedrill/firedrill/engine"
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
	// needs holds the state names the conditions read, so each evaluation
	// builds only those: building the whole state dominated the engine's
	// cost.
	needs []string
}

// offer is a decision put to its audience and not yet answered.
type offer struct {
	at       time.Duration // when it was offered
	answered bool
	option   string
}

func newStory(sc *scenario.Scenario) story {
	st := story{offered: map[string]offer{}, funcs: hcl.EvalContext{Functions: scenario.Functions()}}
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
		for _, t := range e.Variables() {
			if !slices.Contains(st.needs, t.RootName()) {
				st.needs = append(st.needs, t.RootName())
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
	ctx := st.funcs.NewChild()
	ctx.Variables = x.facts.Scope(st.needs)
	holds := func(expr hcl.Expression) bool {
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
