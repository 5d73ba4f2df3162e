package exercise

import (
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// toolOutages follows the responders' tools that faults take down (a
// fault's tools_down). A tool is down while any fault listing it is in
// effect: from its start until it is fixed, heals or is mitigated and has
// recovered. The log says when each tool goes down and comes back; while
// one is down, the door refuses its query (refusal) and, for telemetry, no
// participant receives samples.
type toolOutages struct {
	tools map[string][]engine.Tool // by fault: the tools it takes down
	down  map[engine.Tool]outage
}

type outage struct {
	since time.Duration
	fault string
}

func newToolOutages(sc *scenario.Scenario) toolOutages {
	o := toolOutages{tools: map[string][]engine.Tool{}, down: map[engine.Tool]outage{}}
	for _, f := range sc.Faults {
		if len(f.ToolsDown) > 0 {
			o.tools[f.Name] = f.ToolsDown
		}
	}
	return o
}

// update runs every tick after the world advanced, before telemetry is
// logged, so a sample never reaches a dashboard the log says is dark.
func (o *toolOutages) update(x *Exercise) {
	if len(o.tools) == 0 {
		return
	}
	cause := map[engine.Tool]string{} // the first fault in effect, in scenario order
	for _, f := range x.world.FaultStates() {
		if !f.InEffect {
			continue
		}
		for _, t := range o.tools[f.Name] {
			if _, ok := cause[t]; !ok {
				cause[t] = f.Name
			}
		}
	}
	for _, t := range engine.Tools() {
		was, wasDown := o.down[t]
		fault, isDown := cause[t]
		switch {
		case isDown && !wasDown:
			o.down[t] = outage{since: x.now, fault: fault}
			x.emit(engine.KindToolDown, engine.Everyone(), "", engine.ToolData{Tool: t, Since: x.now, Fault: fault})
		case !isDown && wasDown:
			delete(o.down, t)
			x.emit(engine.KindToolUp, engine.Everyone(), "", engine.ToolData{Tool: t, Since: was.since, Fault: was.fault})
		}
	}
}

func (o *toolOutages) isDown(t engine.Tool) bool {
	_, down := o.down[t]
	return down
}

// alternatives are what a responder can turn to while a tool is down: the
// tools that show the same thing another way, then a person to ask.
var alternatives = map[engine.Tool]struct {
	tools []engine.Tool
	ask   string
}{
	engine.ToolTelemetry:     {[]engine.Tool{engine.ToolLogs, engine.ToolTraffic}, "ask the owning group"},
	engine.ToolLogs:          {[]engine.Tool{engine.ToolTelemetry, engine.ToolTraffic}, "ask the owning group"},
	engine.ToolTraffic:       {[]engine.Tool{engine.ToolTelemetry, engine.ToolLogs}, "ask the owning group"},
	engine.ToolVendorChanges: {nil, "contact the vendor's helpdesk"},
	engine.ToolKnowledge:     {nil, "ask the owning group"},
}

// refusal is why op cannot be carried out now: the tool that answers it is
// down. It says which, since when, and what to try instead, and nothing of
// the fault behind it. nil when op can be.
func (o *toolOutages) refusal(x *Exercise, op engine.Op) error {
	t, ok := engine.ToolOf(op)
	if !ok {
		return nil
	}
	out, down := o.down[t]
	if !down {
		return nil
	}
	alt := alternatives[t]
	var up []string
	for _, u := range alt.tools {
		if !o.isDown(u) {
			up = append(up, u.Title())
		}
	}
	instead := alt.ask
	if len(up) > 0 {
		instead = "try " + strings.Join(up, " or ") + ", or " + alt.ask
	}
	return refuse(engine.Conflict, op, "%s is down (an outage since %s); %s", t.Title(), x.Clock(out.since), instead)
}
