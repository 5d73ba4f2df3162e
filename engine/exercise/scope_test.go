package exercise

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// directScope builds the condition scope straight from the exercise's own
// state, the way the engine did before conditions read the fold of its log
// (engine/facts). TestFactsEqualState checks the two agree.
func (x *Exercise) directScope(needs map[string]bool) map[string]cty.Value {
	vars := map[string]cty.Value{}
	scalar := map[string]func() cty.Value{
		"elapsed":        func() cty.Value { return cty.NumberFloatVal(x.now.Seconds()) },
		"pages":          func() cty.Value { return cty.NumberIntVal(int64(x.pageCnt)) },
		"status_updates": func() cty.Value { return cty.NumberIntVal(int64(x.status)) },
		"identified":     func() cty.Value { return cty.BoolVal(x.claimed) },
		"mitigated":      func() cty.Value { return cty.BoolVal(x.impact.mitigatedAt >= 0) },
		"restored":       func() cty.Value { return cty.BoolVal(x.impact.restoredAt >= 0) },
		"validated":      func() cty.Value { return cty.BoolVal(x.impact.validatedAt >= 0) },
		"command_center": func() cty.Value { return cty.BoolVal(x.commandCenterEngaged()) },
	}
	for name, value := range scalar {
		if needs[name] {
			vars[name] = value()
		}
	}
	if needs[string(scenario.KindService)] {
		m := map[string]cty.Value{}
		for _, s := range x.world.Services() {
			m[s.Name] = cty.ObjectVal(map[string]cty.Value{
				"error_rate": cty.NumberFloatVal(s.ErrorRate), "latency_ms": cty.NumberFloatVal(s.LatencyMS),
				"rps": cty.NumberFloatVal(s.RPS), "saturation": cty.NumberFloatVal(s.Saturation),
				"healthy": cty.BoolVal(s.Healthy), "impacted": cty.BoolVal(s.Impacted),
			})
		}
		vars[string(scenario.KindService)] = objectOrEmpty(m)
	}
	if needs[string(scenario.KindFault)] {
		m := map[string]cty.Value{}
		for _, f := range x.world.FaultStates() {
			m[f.Name] = cty.ObjectVal(map[string]cty.Value{
				"active": cty.BoolVal(f.Active), "mitigated": cty.BoolVal(f.Mitigated), "fixed": cty.BoolVal(f.Fixed),
			})
		}
		vars[string(scenario.KindFault)] = objectOrEmpty(m)
	}
	if needs[string(scenario.KindAlert)] {
		m := map[string]cty.Value{}
		for _, a := range x.world.Alerts() {
			m[a.Name] = cty.ObjectVal(map[string]cty.Value{
				"firing": cty.BoolVal(a.Firing), "fired": cty.BoolVal(a.Fired), "acknowledged": cty.BoolVal(x.alertAcked(a.Name)),
			})
		}
		vars[string(scenario.KindAlert)] = objectOrEmpty(m)
	}
	if needs[string(scenario.KindInject)] {
		m := map[string]cty.Value{}
		for _, in := range x.sc.Injects {
			m[in.Name] = cty.ObjectVal(map[string]cty.Value{"fired": cty.BoolVal(x.fired[in.Name])})
		}
		vars[string(scenario.KindInject)] = objectOrEmpty(m)
	}
	if needs[string(scenario.KindDecision)] {
		m := map[string]cty.Value{}
		for _, d := range x.sc.Decisions {
			o := x.story.offered[d.Name]
			m[d.Name] = cty.ObjectVal(map[string]cty.Value{"answered": cty.BoolVal(o.answered), "choice": cty.StringVal(o.option)})
		}
		vars[string(scenario.KindDecision)] = objectOrEmpty(m)
	}
	if needs[string(scenario.KindRemedy)] {
		m := map[string]cty.Value{}
		for _, r := range x.sc.Remedies {
			st := x.remedy[r.Name]
			m[r.Name] = cty.ObjectVal(map[string]cty.Value{"applied": cty.BoolVal(st.applied), "completed": cty.BoolVal(st.completed)})
		}
		vars[string(scenario.KindRemedy)] = objectOrEmpty(m)
	}
	x.recordVariables(vars, needs)
	return vars
}

func (x *Exercise) recordVariables(vars map[string]cty.Value, needs map[string]bool) {
	if !needs["incidents"] && !needs["parents"] && !needs["parent"] && !needs["war_rooms"] && !needs["problems"] && !needs["changes"] {
		return
	}
	var incidents, parents []cty.Value
	firstParent := cty.ObjectVal(map[string]cty.Value{
		"exists": cty.False, "number": cty.StringVal(""), "priority": cty.NumberIntVal(0), "children": cty.ListValEmpty(cty.String),
	})
	for _, inc := range x.book.Incidents() {
		if inc.Class != engine.ClassServiceRequest {
			incidents = append(incidents, cty.ObjectVal(map[string]cty.Value{
				"number": cty.StringVal(inc.Number), "priority": cty.NumberIntVal(int64(inc.Priority)),
				"state": cty.StringVal(string(inc.State)), "group": cty.StringVal(inc.Group),
				"service": cty.StringVal(inc.Service), "parent": cty.StringVal(inc.Parent),
			}))
		}
		if inc.IsParent && inc.Live() {
			p := cty.ObjectVal(map[string]cty.Value{
				"exists": cty.True, "number": cty.StringVal(inc.Number),
				"priority": cty.NumberIntVal(int64(inc.Priority)), "children": stringList(inc.Children),
			})
			if len(parents) == 0 {
				firstParent = p
			}
			parents = append(parents, p)
		}
	}
	vars["incidents"] = listOrEmpty(incidents, scenario.IncidentType())
	vars["parents"] = listOrEmpty(parents, scenario.ParentType())
	vars["parent"] = firstParent
	var rooms []cty.Value
	for _, w := range x.book.WarRooms() {
		rooms = append(rooms, cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(w.Name), "incident": cty.StringVal(w.Incident)}))
	}
	vars["war_rooms"] = listOrEmpty(rooms, scenario.WarRoomType())
	var problems, changes []cty.Value
	for _, p := range x.book.Problems() {
		problems = append(problems, cty.ObjectVal(map[string]cty.Value{"number": cty.StringVal(p.Number)}))
	}
	for _, c := range x.book.Changes() {
		changes = append(changes, cty.ObjectVal(map[string]cty.Value{"number": cty.StringVal(c.Number)}))
	}
	vars["problems"] = listOrEmpty(problems, scenario.NumberType())
	vars["changes"] = listOrEmpty(changes, scenario.NumberType())
}

func (x *Exercise) commandCenterEngaged() bool {
	for _, a := range x.book.Alerts() {
		if a.Number != "" {
			return true
		}
	}
	return len(x.book.WarRooms()) > 0
}

func (x *Exercise) alertAcked(alert string) bool {
	for _, p := range x.pages.byID {
		if p.alert == alert && p.acked {
			return true
		}
	}
	return false
}

func objectOrEmpty(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

func listOrEmpty(vs []cty.Value, t cty.Type) cty.Value {
	if len(vs) == 0 {
		return cty.ListValEmpty(t)
	}
	return cty.ListVal(vs)
}

func stringList(ss []string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vs := make([]cty.Value, len(ss))
	for i, s := range ss {
		vs[i] = cty.StringVal(s)
	}
	return cty.ListVal(vs)
}
