package exercise

import (
	"fmt"
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/incident"
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
			return engine.Audience{}, refuse(incident.NotFound, incident.OpChat, "there is no group %q; channels are group:NAME, warroom:WR01, command-center and direct:PERSON", g)
		}
		return engine.Audience{Groups: []string{g}, People: []string{ac.Name}}, nil
	case strings.HasPrefix(channel, channelWarRoom):
		w, err := x.book.WarRoom(strings.TrimPrefix(channel, channelWarRoom))
		if err != nil {
			return engine.Audience{}, err
		}
		a := engine.Audience{Roles: []incident.Role{incident.RoleCommandCenter}, People: []string{ac.Name}}
		for _, m := range w.Members {
			a.People = append(a.People, m.Person)
		}
		return a, nil
	case strings.HasPrefix(channel, channelDirect):
		p := strings.TrimPrefix(channel, channelDirect)
		return engine.Audience{People: []string{p, ac.Name}}, nil
	case channel == channelCommandCenter:
		return engine.Audience{Roles: []incident.Role{incident.RoleCommandCenter, incident.RoleIncidentManager}, People: []string{ac.Name}}, nil
	}
	return engine.Audience{}, refuse(incident.BadRequest, incident.OpChat, "unknown channel %q; channels are group:NAME, warroom:WR01, command-center and direct:PERSON", channel)
}

func (x *Exercise) chat(ac engine.Actor, a engine.Action) (outcome, error) {
	text := strings.TrimSpace(a.Text)
	if text == "" {
		return outcome{}, refuse(incident.BadRequest, a.Op, "say something")
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
	if strings.HasPrefix(text, "/") {
		reply := x.slash(ac, channel, text)
		x.emit(engine.KindChat, to, botName, engine.ChatData{Channel: channel, From: botName, Text: reply, Bot: true})
	}
	return outcome{silent: true}, nil
}

// slash answers a ChatOps command with text for the channel.
func (x *Exercise) slash(ac engine.Actor, channel, text string) string {
	fields := strings.Fields(text)
	cmd, args := fields[0], fields[1:]
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	switch cmd {
	case "/oncall":
		return x.oncallReply(ac, channel, arg)
	case "/page":
		if arg == "" {
			return "usage: /page GROUP|PERSON [message]"
		}
		act := engine.Action{Op: incident.OpPage, Text: strings.Join(args[1:], " ")}
		if x.sc.Group(arg) != nil {
			act.Group = arg
		} else {
			act.Person = arg
		}
		if err := x.apply(ac, act); err != nil {
			return "cannot page: " + reason(err)
		}
		return "paged " + arg + "."
	case "/vendor":
		return x.vendorReply(arg)
	case "/runbook":
		return x.runbookReply(arg)
	case "/incident":
		return x.incidentReply(arg)
	case "/warroom":
		return x.warRoomCommand(ac, args)
	case "/status":
		return x.statusReply()
	case "/help":
		return "commands: /oncall [GROUP] · /page GROUP|PERSON [message] · /vendor NAME · /runbook NAME · /incident [INC] · /warroom [open INC [name] | join WR] · /status · /help"
	}
	return fmt.Sprintf("unknown command %s; try /help", cmd)
}

func reason(err error) string {
	if ie, ok := err.(*incident.Error); ok {
		return ie.Reason
	}
	return err.Error()
}

func (x *Exercise) oncallReply(ac engine.Actor, channel, group string) string {
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

func (x *Exercise) vendorReply(name string) string {
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

func describe(inc incident.Incident) string {
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
func (x *Exercise) warRoomCommand(ac engine.Actor, args []string) string {
	if len(args) == 0 {
		return x.warRoomReply()
	}
	var act engine.Action
	switch {
	case args[0] == "open" && len(args) >= 2:
		act = engine.Action{Op: incident.OpOpenWarRoom, Record: args[1], Text: strings.Join(args[2:], " ")}
	case args[0] == "join" && len(args) == 2:
		act = engine.Action{Op: incident.OpJoinWarRoom, Record: args[1]}
	default:
		return "usage: /warroom · /warroom open INC [name] · /warroom join WR"
	}
	if err := x.apply(ac, act); err != nil {
		return "cannot " + args[0] + ": " + reason(err)
	}
	rooms := x.book.WarRooms()
	for i := len(rooms) - 1; i >= 0; i-- {
		if w := rooms[i]; w.Incident == act.Record || w.Number == act.Record {
			return fmt.Sprintf("%s %s for %s; talk in warroom:%s", args[0]+"ed", w.Number, w.Incident, w.Number)
		}
	}
	return args[0] + "ed."
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

func (x *Exercise) statusReply() string {
	var bad []string
	for _, s := range x.world.Services() {
		if !s.Healthy {
			bad = append(bad, fmt.Sprintf("%s (errors %.1f%%, %.0f ms)", s.Name, 100*s.ErrorRate, s.LatencyMS))
		}
	}
	open := len(x.book.Open())
	if len(bad) == 0 {
		return fmt.Sprintf("%s — all services within thresholds; %d open incidents", x.Clock(x.now), open)
	}
	slices.Sort(bad)
	return fmt.Sprintf("%s — degraded: %s; %d open incidents", x.Clock(x.now), strings.Join(bad, ", "), open)
}
