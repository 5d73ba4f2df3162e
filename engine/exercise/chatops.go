package exercise

import (
	"fmt"
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

// botName is the ChatOps bot's name in every channel.
const botName = "firedrill-bot"

// Channel names: one per group, one per war room, one for the command
// center, and direct messages.
const (
	channelGroup         = "group:"
	channelWarRoom       = "warroom:"
	channelDirect        = "direct:"
	channelCommandCenter = "command-center"
)

// channelAudience is who reads a channel. Anyone may post to a group's
// channel (that is how teams reach each other), but only members read it.
func (x *Exercise) channelAudience(ac engine.Actor, channel string) (engine.Audience, error) {
	switch {
	case strings.HasPrefix(channel, channelGroup):
		g := strings.TrimPrefix(channel, channelGroup)
		if x.sc.Group(g) == nil {
			return engine.Audience{}, refuse(engine.NotFound, engine.OpChat, "there is no group %q; channels are group:NAME, warroom:WR01, command-center and direct:PERSON", g)
		}
		return engine.Audience{Groups: []string{g}, People: []string{ac.Name}}, nil
	case strings.HasPrefix(channel, channelWarRoom):
		w, err := x.book.WarRoom(strings.TrimPrefix(channel, channelWarRoom))
		if err != nil {
			return engine.Audience{}, err
		}
		a := engine.Audience{Roles: []engine.Role{engine.RoleCommandCenter}, People: []string{ac.Name}}
		for _, m := range w.Members {
			a.People = append(a.People, m.Person)
		}
		return a, nil
	case strings.HasPrefix(channel, channelDirect):
		p := strings.TrimPrefix(channel, channelDirect)
		return engine.Audience{People: []string{p, ac.Name}}, nil
	case channel == channelCommandCenter:
		return engine.Audience{Roles: []engine.Role{engine.RoleCommandCenter, engine.RoleIncidentManager}, People: []string{ac.Name}}, nil
	}
	return engine.Audience{}, refuse(engine.BadRequest, engine.OpChat, "unknown channel %q; channels are group:NAME, warroom:WR01, command-center and direct:PERSON", channel)
}

func (x *Exercise) chat(ac engine.Actor, a engine.Action) (outcome, error) {
	text := strings.TrimSpace(a.Text)
	if text == "" {
		return outcome{}, refuse(engine.BadRequest, a.Op, "say something")
	}
	channel := a.Channel
	if channel == "" {
		if groups := x.groupsOf(ac.Name); len(groups) > 0 {
			channel = channelGroup + groups[0]
		} else {
			channel = channelCommandCenter
		}
	}
	to, err := x.channelAudience(ac, channel)
	if err != nil {
		return outcome{}, err
	}
	x.emit(engine.KindChat, to, ac.Name, engine.ChatData{Channel: channel, From: ac.Name, Text: text})
	out := outcome{silent: true}
	if strings.HasPrefix(text, "/") {
		out.command = x.slash(ac, channel, text)
		out.command.channel, out.command.to = channel, to
	}
	return out, nil
}

// command is what a ChatOps command asks for: inputs to apply as the
// person who typed it (a page, a war room), and the bot's reply once they
// have been, given each one's refusal or nil. A command that reveals
// information reveals it only where the query that reveals the same
// information is permitted (reveal).
type command struct {
	channel string
	to      engine.Audience
	effects []engine.Action
	reply   func(refusals []error) string
}

// says is a command that only answers.
func says(text string) *command {
	return &command{reply: func([]error) string { return text }}
}

// does is a command with one effect: ok is the reply when it is taken,
// failed prefixes the refusal's reason when it is not.
func does(a engine.Action, ok, failed string) *command {
	return &command{effects: []engine.Action{a}, reply: func(refusals []error) string {
		if err := refusals[0]; err != nil {
			return failed + reason(err)
		}
		return ok
	}}
}

// reveal reports whether actor may learn what query op shows of target,
// and why not: the same checks as the door's, permission and the tool.
func (x *Exercise) reveal(ac engine.Actor, op engine.Op, t engine.Target) error {
	if err := engine.Check(op, ac, x.groupsOf(ac.Name), t); err != nil {
		return err
	}
	return x.tools.refusal(x, op)
}

// slash reads a ChatOps command.
func (x *Exercise) slash(ac engine.Actor, channel, text string) *command {
	fields := strings.Fields(text)
	cmd, args := fields[0], fields[1:]
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	switch cmd {
	case "/oncall":
		return says(x.oncallReply(channel, arg))
	case "/page":
		if arg == "" {
			return says("usage: /page GROUP|PERSON [message]")
		}
		act := engine.Action{Op: engine.OpPage, Text: strings.Join(args[1:], " ")}
		if x.sc.Group(arg) != nil {
			act.Group = arg
		} else {
			act.Person = arg
		}
		return does(act, "paged "+arg+".", "cannot page: ")
	case "/vendor":
		return says(x.vendorReply(ac, arg))
	case "/runbook":
		return says(x.runbookReply(arg))
	case "/incident":
		return says(x.incidentReply(arg))
	case "/warroom":
		return x.warRoomCommand(args)
	case "/status":
		return says(x.statusReply(ac))
	case "/help":
		return says("commands: /oncall [GROUP] · /page GROUP|PERSON [message] · /vendor NAME · /runbook NAME · /incident [INC] · /warroom [open INC [name] | join WR] · /status · /help")
	}
	return says(fmt.Sprintf("unknown command %s; try /help", cmd))
}

func reason(err error) string {
	if ie, ok := err.(*engine.Error); ok {
		return ie.Reason
	}
	return err.Error()
}

func (x *Exercise) oncallReply(channel, group string) string {
	if group == "" {
		if g, ok := strings.CutPrefix(channel, channelGroup); ok {
			group = g
		}
	}
	if group == "" {
		var names []string
		for _, g := range x.sc.Groups {
			names = append(names, g.Name)
		}
		return "usage: /oncall GROUP — groups: " + strings.Join(names, ", ")
	}
	g := x.sc.Group(group)
	if g == nil {
		return fmt.Sprintf("no group %q", group)
	}
	var lines []string
	for _, r := range x.sc.Rotations {
		if r.Group.Name != group {
			continue
		}
		now, next := x.OnCall(r, x.now)
		lines = append(lines, fmt.Sprintf("%s: on call %s, next %s; escalates after %s to %s", r.Name, now, next, r.EscalateAfter, x.escalationTarget(r)))
	}
	if len(lines) == 0 {
		return fmt.Sprintf("%s has no rotation; its owner is %s", group, g.Owner)
	}
	return strings.Join(lines, "\n")
}

// vendorReply is the vendor's public entry, and its change log for those
// who may read it (query_vendor_changes).
func (x *Exercise) vendorReply(ac engine.Actor, name string) string {
	v := x.sc.Vendor(name)
	if v == nil {
		var names []string
		for _, v := range x.sc.Vendors {
			names = append(names, v.Name)
		}
		return "usage: /vendor NAME — vendors: " + strings.Join(names, ", ")
	}
	lines := []string{fmt.Sprintf("%s — helpdesk %s", orTitle(v.Title, v.Name), v.Helpdesk)}
	if v.Portal != "" {
		lines = append(lines, "portal "+v.Portal)
	}
	if v.SLA > 0 {
		lines = append(lines, "first response within "+v.SLA.String())
	}
	if err := x.reveal(ac, engine.OpQueryVendorChanges, x.target(engine.Action{Op: engine.OpQueryVendorChanges, Vendor: name})); err != nil {
		return strings.Join(append(lines, "change log: "+reason(err)), "\n")
	}
	for _, c := range x.world.VendorChanges(name) {
		lines = append(lines, fmt.Sprintf("change %s at %s: %s", c.Name, x.Clock(c.At), c.Note))
	}
	return strings.Join(lines, "\n")
}

func (x *Exercise) runbookReply(name string) string {
	rb := x.sc.Runbook(name)
	if rb == nil {
		var names []string
		for _, r := range x.sc.Runbooks {
			names = append(names, r.Name)
		}
		return "usage: /runbook NAME — runbooks: " + strings.Join(names, ", ")
	}
	lines := []string{rb.Title}
	for i, s := range rb.Steps {
		lines = append(lines, fmt.Sprintf("%d. [%s] %s", i+1, s.Name, s.Text))
	}
	return strings.Join(lines, "\n")
}

func (x *Exercise) incidentReply(number string) string {
	if number != "" {
		inc, err := x.book.Incident(number)
		if err != nil {
			return reason(err)
		}
		return describe(inc)
	}
	var lines []string
	for _, inc := range x.book.Open() {
		lines = append(lines, describe(inc))
	}
	if len(lines) == 0 {
		return "no open incidents"
	}
	return strings.Join(lines, "\n")
}

func describe(inc engine.Incident) string {
	group := inc.Group
	if group == "" {
		group = "unassigned"
	}
	s := fmt.Sprintf("%s P%d %s %s → %s", inc.Number, inc.Priority, inc.State, inc.Service, group)
	if inc.Parent != "" {
		s += " (child of " + inc.Parent + ")"
	}
	if inc.IsParent {
		s += fmt.Sprintf(" (parent of %d)", len(inc.Children))
	}
	return s + " — " + inc.ShortDescription
}

// warRoomCommand lists the open war rooms, or opens or joins one.
func (x *Exercise) warRoomCommand(args []string) *command {
	if len(args) == 0 {
		return says(x.warRoomReply())
	}
	var act engine.Action
	switch {
	case args[0] == "open" && len(args) >= 2:
		act = engine.Action{Op: engine.OpOpenWarRoom, Record: args[1], Text: strings.Join(args[2:], " ")}
	case args[0] == "join" && len(args) == 2:
		act = engine.Action{Op: engine.OpJoinWarRoom, Record: args[1]}
	default:
		return says("usage: /warroom · /warroom open INC [name] · /warroom join WR")
	}
	verb := args[0]
	return &command{effects: []engine.Action{act}, reply: func(refusals []error) string {
		if err := refusals[0]; err != nil {
			return "cannot " + verb + ": " + reason(err)
		}
		rooms := x.book.WarRooms()
		for i := len(rooms) - 1; i >= 0; i-- {
			if w := rooms[i]; w.Incident == act.Record || w.Number == act.Record {
				return fmt.Sprintf("%s %s for %s; talk in warroom:%s", verb+"ed", w.Number, w.Incident, w.Number)
			}
		}
		return verb + "ed."
	}}
}

func (x *Exercise) warRoomReply() string {
	var lines []string
	for _, w := range x.book.WarRooms() {
		if !w.Open() {
			continue
		}
		var people []string
		for _, m := range w.Members {
			people = append(people, m.Person)
		}
		lines = append(lines, fmt.Sprintf("%s %s for %s: %s", w.Number, w.Name, w.Incident, strings.Join(people, ", ")))
	}
	if len(lines) == 0 {
		return "no war room is open"
	}
	return strings.Join(lines, "\n")
}

// statusReply is the estate at a glance: the services the actor may watch
// (query_telemetry) that are out of bounds, and the open incidents, which
// the ITSM tool shows everyone.
func (x *Exercise) statusReply(ac engine.Actor) string {
	if err := x.tools.refusal(x, engine.OpQueryTelemetry); err != nil {
		return fmt.Sprintf("%s — dashboards unavailable: %s; %d open incidents", x.Clock(x.now), reason(err), len(x.book.Open()))
	}
	var bad []string
	hidden := 0
	for _, s := range x.world.Services() {
		if s.Healthy {
			continue
		}
		if x.reveal(ac, engine.OpQueryTelemetry, x.serviceTarget(s.Name)) != nil {
			hidden++
			continue
		}
		bad = append(bad, fmt.Sprintf("%s (errors %.1f%%, %.0f ms)", s.Name, 100*s.ErrorRate, s.LatencyMS))
	}
	open := len(x.book.Open())
	note := ""
	if hidden > 0 || !engine.Permitted(engine.OpQueryTelemetry, ac.Role) {
		note = "; only the dashboards you may watch are shown"
	}
	switch {
	case len(bad) == 0 && note == "":
		return fmt.Sprintf("%s — all services within thresholds; %d open incidents", x.Clock(x.now), open)
	case len(bad) == 0:
		return fmt.Sprintf("%s — no service you watch is out of bounds; %d open incidents%s", x.Clock(x.now), open, note)
	}
	slices.Sort(bad)
	return fmt.Sprintf("%s — degraded: %s; %d open incidents%s", x.Clock(x.now), strings.Join(bad, ", "), open, note)
}
