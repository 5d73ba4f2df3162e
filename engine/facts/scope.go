package facts

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// Scope builds the values conditions read, as LANGUAGE.md lists them,
// limited to the names in needs. A name's value is built again only when
// something it shows changed since it was last built.
func (s *State) Scope(needs []string) map[string]cty.Value {
	vars := make(map[string]cty.Value, len(needs))
	for _, n := range needs {
		c, ok := s.scope[n]
		if !ok || s.changed[n] > c.stamp {
			c = cached{v: s.value(n), stamp: s.stamp}
			s.scope[n] = c
		}
		vars[n] = c.v
	}
	return vars
}

// value builds one name's value.
func (s *State) value(name string) cty.Value {
	switch name {
	case Elapsed:
		return cty.NumberFloatVal(s.Now.Seconds())
	case Pages:
		return cty.NumberIntVal(int64(s.Pages))
	case StatusUpdates:
		return cty.NumberIntVal(int64(s.StatusUpdates))
	case Identified:
		return cty.BoolVal(s.Identified)
	case Mitigated:
		return cty.BoolVal(s.Mitigated)
	case Restored:
		return cty.BoolVal(s.Restored)
	case Validated:
		return cty.BoolVal(s.Validated)
	case CommandCenter:
		return cty.BoolVal(s.CommandCenterEngaged())
	case Incidents:
		return s.incidents()
	case Parents, Parent:
		parents, first := s.parents()
		if name == Parent {
			return first
		}
		return parents
	case WarRooms:
		var rooms []cty.Value
		for _, w := range s.WarRooms {
			rooms = append(rooms, cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(w.Name), "incident": cty.StringVal(w.Incident)}))
		}
		return listOrEmpty(rooms, scenario.WarRoomType())
	case Problems:
		var out []cty.Value
		for _, p := range s.State.Problems {
			out = append(out, cty.ObjectVal(map[string]cty.Value{"number": cty.StringVal(p.Number)}))
		}
		return listOrEmpty(out, scenario.NumberType())
	case Changes:
		var out []cty.Value
		for _, c := range s.State.Changes {
			out = append(out, cty.ObjectVal(map[string]cty.Value{"number": cty.StringVal(c.Number)}))
		}
		return listOrEmpty(out, scenario.NumberType())
	case Service:
		m := map[string]cty.Value{}
		for _, sv := range s.sc.Services {
			smp := s.Services[sv.Name]
			if _, seen := s.Services[sv.Name]; !seen {
				smp.Healthy = true // no sample yet: as the world starts, within thresholds
			}
			m[sv.Name] = cty.ObjectVal(map[string]cty.Value{
				"error_rate": cty.NumberFloatVal(smp.ErrorRate), "latency_ms": cty.NumberFloatVal(smp.LatencyMS),
				"rps": cty.NumberFloatVal(smp.RPS), "saturation": cty.NumberFloatVal(smp.Saturation),
				"healthy": cty.BoolVal(smp.Healthy), "impacted": cty.BoolVal(smp.Impacted),
			})
		}
		return objectOrEmpty(m)
	case Fault:
		m := map[string]cty.Value{}
		for _, f := range s.sc.Faults {
			ff := s.Faults[f.Name]
			m[f.Name] = s.flags(Fault, []string{"active", "mitigated", "fixed"}, ff.Active, ff.Mitigated, ff.Fixed)
		}
		return objectOrEmpty(m)
	case Alert:
		m := map[string]cty.Value{}
		for _, a := range s.sc.Alerts {
			mf := s.Monitors[a.Name]
			m[a.Name] = s.flags(Alert, []string{"firing", "fired", "acknowledged"}, mf.Firing, mf.Fired, s.MonitorAcknowledged(a.Name))
		}
		return objectOrEmpty(m)
	case Inject:
		m := map[string]cty.Value{}
		for _, in := range s.sc.Injects {
			m[in.Name] = s.flags(Inject, []string{"fired"}, s.Injects[in.Name])
		}
		return objectOrEmpty(m)
	case Decision:
		m := map[string]cty.Value{}
		for _, d := range s.sc.Decisions {
			df := s.Decisions[d.Name]
			m[d.Name] = cty.ObjectVal(map[string]cty.Value{"answered": cty.BoolVal(df.Answered), "choice": cty.StringVal(df.Choice)})
		}
		return objectOrEmpty(m)
	case Remedy:
		m := map[string]cty.Value{}
		for _, r := range s.sc.Remedies {
			rf := s.Remedies[r.Name]
			m[r.Name] = s.flags(Remedy, []string{"applied", "completed"}, rf.Applied, rf.Completed)
		}
		return objectOrEmpty(m)
	}
	return cty.NilVal
}

// incidents lists the incident records: a service request is no
// incident, so it never meets a condition about incidents.
func (s *State) incidents() cty.Value {
	var out []cty.Value
	for _, inc := range s.State.Incidents {
		if inc.Class == engine.ClassServiceRequest {
			continue
		}
		out = append(out, cty.ObjectVal(map[string]cty.Value{
			"number": cty.StringVal(inc.Number), "priority": cty.NumberIntVal(int64(inc.Priority)),
			"state": cty.StringVal(string(inc.State)), "group": cty.StringVal(inc.Group),
			"service": cty.StringVal(inc.Service), "parent": cty.StringVal(inc.Parent),
		}))
	}
	return listOrEmpty(out, scenario.IncidentType())
}

// parents lists the live parents, and the first of them (an empty parent
// when there is none, so parent.children reads as an empty list).
func (s *State) parents() (all, first cty.Value) {
	first = cty.ObjectVal(map[string]cty.Value{
		"exists": cty.False, "number": cty.StringVal(""), "priority": cty.NumberIntVal(0), "children": cty.ListValEmpty(cty.String),
	})
	var parents []cty.Value
	for _, inc := range s.State.Incidents {
		if !inc.IsParent || !inc.Live() {
			continue
		}
		p := cty.ObjectVal(map[string]cty.Value{
			"exists": cty.True, "number": cty.StringVal(inc.Number),
			"priority": cty.NumberIntVal(int64(inc.Priority)), "children": stringList(inc.Children),
		})
		if len(parents) == 0 {
			first = p
		}
		parents = append(parents, p)
	}
	return listOrEmpty(parents, scenario.ParentType()), first
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

// flags is an object of booleans, such as a fault's {active, mitigated,
// fixed}. The few objects a kind of block can be are built once each and
// kept: the object of every block is rebuilt whenever one block changes.
func (s *State) flags(kind string, names []string, values ...bool) cty.Value {
	key := flagKey{kind: kind}
	for i, v := range values {
		if v {
			key.bits |= 1 << i
		}
	}
	if v, ok := s.flagObjects[key]; ok {
		return v
	}
	m := make(map[string]cty.Value, len(names))
	for i, n := range names {
		m[n] = cty.BoolVal(values[i])
	}
	v := cty.ObjectVal(m)
	s.flagObjects[key] = v
	return v
}

type flagKey struct {
	kind string
	bits uint8
}
