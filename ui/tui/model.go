package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/records"
	"github.com/firedrill/firedrill/server/protocol"
)

// botName is the ChatOps bot's name in every channel (engine/chatops.go).
const botName = "firedrill-bot"

// Model is what a console knows, folded from the frames the server sent:
// the welcome, events, acks, errors and telemetry. It has no screen and no
// socket, so tests build one from frames and check it directly. The
// console's loop is its only writer.
type Model struct {
	Exercise, Scenario, Title string
	You                       protocol.You
	Now                       time.Duration // virtual time of the latest news
	Speed                     float64
	Paused, Ended             bool
	EndReason                 string
	LastSeq                   uint64
	Conn                      ConnState
	Welcomed                  bool

	Feed     Feed
	Channels []string // chat channels the seat reads, in tab order

	// Records are the records as this seat has seen them: the one fold of
	// the log (engine/records) over the events the server sent.
	Records  records.State
	Services map[string]*Service

	Decisions []Decision // offered to this seat and not yet answered
	Runbook   *Runbook   // the runbook open in the side pane

	commands map[string]*Command // sent frames by id
	// runbookAsked remembers a /runbook NAME sent per channel, so the bot's
	// reply opens the side pane.
	runbookAsked map[string]string
	names        names

	Truth Truth // facilitator only: ground truth, score, activity
}

// Decision is a decision put to this seat.
type Decision struct {
	engine.DecisionData
	At        time.Duration
	Dismissed bool // the modal was closed; it stays answerable
}

// Runbook is a runbook as the ChatOps bot described it, with what running
// its steps revealed.
type Runbook struct {
	Name  string
	Title string
	Steps []RunbookStep
}

// RunbookStep is one step; Result holds what running it showed.
type RunbookStep struct {
	Name   string
	Text   string
	Result []string
}

// Command is a frame this console sent and what became of it.
type Command struct {
	ID      string
	Text    string // as typed
	Channel string
	State   CommandState
	Err     string // a person's words, when refused
	// Control is set for a facilitator's control: the server announces no
	// event for pause, resume or speed, so its ack is when the header
	// learns the new state.
	Control *protocol.Control
}

// CommandState is where a sent command stands.
type CommandState int

const (
	Pending CommandState = iota
	Done
	Failed
)

// NewModel returns an empty model.
func NewModel() *Model {
	return &Model{
		Services:     map[string]*Service{},
		commands:     map[string]*Command{},
		runbookAsked: map[string]string{},
		names:        newNames(),
		Truth:        newTruth(),
		Feed:         Feed{max: maxFeed},
	}
}

// Apply folds one message into the model.
func (m *Model) Apply(msg Message) {
	switch {
	case msg.Welcome != nil:
		m.welcome(*msg.Welcome)
	case msg.Ack != nil:
		m.ack(*msg.Ack)
	case msg.Error != nil:
		m.refused(*msg.Error)
	case msg.Telemetry != nil:
		m.telemetry(msg.Telemetry.At, msg.Telemetry.Services)
	case msg.Closing != nil:
		m.system("the server is dropping this connection: " + msg.Closing.Reason)
	case msg.Clock != nil:
		m.clock(*msg.Clock)
	case msg.Conn != nil:
		m.connection(*msg.Conn)
	}
	for _, e := range msg.Events {
		m.Event(e)
	}
	if msg.Skipped > 0 {
		m.system(itoa(msg.Skipped) + " event(s) from a newer server could not be shown; upgrade firedrill to see them")
	}
}

func (m *Model) welcome(w protocol.Welcome) {
	first := !m.Welcomed
	m.Welcomed = true
	m.Exercise, m.Scenario, m.Title, m.You = w.Exercise, w.Scenario, w.Title, w.You
	m.Now = max(m.Now, w.Now)
	m.Speed, m.Paused, m.Ended = w.Speed, w.Paused, w.Ended
	for _, ch := range w.Channels {
		m.addChannel(ch)
		if g, ok := strings.CutPrefix(ch, "group:"); ok {
			m.names.groups.add(g)
		}
	}
	for _, g := range w.You.Groups {
		m.names.groups.add(g)
	}
	switch {
	case first && w.You.Facilitator:
		m.system("joined " + orDefault(w.Title, w.Scenario) + " as the facilitator")
	case first:
		m.system("joined " + orDefault(w.Title, w.Scenario) + " as " + w.You.Name + " (" + roleTitle(w.You.Role) + ")")
	}
}

func (m *Model) connection(s ConnState) {
	prev := m.Conn.Link
	m.Conn = s
	switch s.Link {
	case Retrying:
		if prev != Retrying {
			m.system("connection lost (" + s.Err + "); reconnecting")
			// Frames in flight when the connection dropped get no answer.
			for _, c := range m.commands {
				if c.State == Pending {
					c.State, c.Err = Failed, "no answer before the connection dropped; check the feed before trying again"
				}
			}
		}
	case Live:
		// The client says it is live before handing over the welcome, so
		// a model already welcomed is rejoining.
		if m.Welcomed && prev != Live {
			m.system("reconnected; resuming after event " + itoa(int(m.LastSeq)))
		}
	case Offline:
		if s.Err != "" && s.Err != "closed" {
			m.system("disconnected: " + s.Err)
		}
	}
}

// Sent records a frame this console sent at virtual time at, shown in the
// feed with its fate.
func (m *Model) Sent(at time.Duration, id, text, channel string) *Command {
	c := &Command{ID: id, Text: text, Channel: channel}
	m.commands[id] = c
	m.Feed.add(Line{At: at, Kind: lineCommand, Channel: channel, Cmd: c})
	if name, ok := strings.CutPrefix(text, "/runbook "); ok {
		m.runbookAsked[channel] = strings.TrimSpace(name)
	}
	return c
}

// Local records a command the console refused itself (a typo, a missing
// argument), shown like a refused one.
func (m *Model) Local(at time.Duration, text, channel, why string) {
	c := &Command{Text: text, Channel: channel, State: Failed, Err: why}
	m.Feed.add(Line{At: at, Kind: lineCommand, Channel: channel, Cmd: c})
}

// Note adds a line from the console itself (help, hints).
func (m *Model) Note(text string) { m.Feed.add(Line{At: m.Now, Kind: lineHelp, Text: text}) }

// Command returns a sent command by id.
func (m *Model) Command(id string) *Command { return m.commands[id] }

func (m *Model) ack(a protocol.Ack) {
	c := m.commands[a.ID]
	if c == nil {
		return
	}
	c.State = Done
	if ctl := c.Control; ctl != nil {
		switch ctl.Control {
		case protocol.ControlPause:
			m.Paused = true
		case protocol.ControlResume:
			m.Paused = false
		case protocol.ControlSpeed:
			m.Speed = ctl.Speed
		}
	}
}

// clock follows the facilitator's pause, resume and speed changes.
func (m *Model) clock(c protocol.Clock) {
	if c.Paused != m.Paused {
		if c.Paused {
			m.system("the facilitator paused the exercise")
		} else {
			m.system("the facilitator resumed the exercise")
		}
	} else if c.Speed != m.Speed {
		m.system("the facilitator set the speed to ×" + ftoa(c.Speed))
	}
	m.Now = max(m.Now, c.Now)
	m.Speed, m.Paused = c.Speed, c.Paused
}

func (m *Model) refused(e protocol.Error) {
	why := humanError(e.Code, e.Message)
	if c := m.commands[e.ID]; c != nil {
		c.State, c.Err = Failed, why
		return
	}
	m.system(why)
}

func (m *Model) system(text string) {
	m.Feed.add(Line{At: m.Now, Kind: lineSystem, Text: text})
}

// Event folds one event. Events at or below LastSeq were seen already.
func (m *Model) Event(e engine.Event) {
	if e.Seq != 0 && e.Seq <= m.LastSeq {
		return
	}
	if e.Seq > m.LastSeq {
		m.LastSeq = e.Seq
	}
	if e.At > m.Now {
		m.Now = e.At
	}
	m.Truth.acted(e)
	m.names.person(e.Actor)
	m.Records.Apply(e)
	switch d := e.Data.(type) {
	case engine.StartedData:
		m.Title = orDefault(m.Title, d.Title)
		m.add(e, lineSystem, "", "exercise started: "+d.Title)
	case engine.EndedData:
		m.Ended, m.EndReason = true, d.Reason
		m.add(e, lineSystem, "", "exercise ended ("+endWords(d.Reason)+"); you can still chat, rate your confidence and add lessons learned")
	case engine.BriefingData:
		m.briefing(e, d)
	case engine.InjectData:
		m.names.injects.add(d.Name)
		m.add(e, lineInject, "", injectText(d))
	case engine.DecisionData:
		m.offered(e, d)
	case engine.AnswerData:
		m.answered(e, d)
	case engine.AlertData:
		m.names.services.add(d.Service)
		m.alert(e, d)
	case engine.PageData:
		m.page(e, d)
	case engine.ActionData:
		m.action(e, d)
	case engine.RefusedData:
		if c := m.commands[d.Action.ID]; c != nil && d.Action.ID != "" {
			return // the error frame already put the reason next to the command
		}
		m.add(e, lineError, "", e.Actor+": "+opWords(d.Action.Op)+" refused: "+d.Reason)
	case engine.ChatData:
		m.chat(e, d)
	case engine.ResultData:
		m.result(e, d)
	case engine.VendorData:
		m.names.vendors.add(d.Vendor)
		m.add(e, lineVendor, "", "vendor "+d.Vendor+": "+d.Text)
	case engine.RemedyData:
		m.remedy(e, d)
	case engine.TelemetryData:
		m.telemetry(e.At, d.Services)
	case engine.WorldData:
		m.Truth.world(e, d)
		m.add(e, lineTruth, "", worldText(d))
	case engine.ReducedData:
		m.add(e, lineTruth, "", fmt.Sprintf("%s on %s reduced by %s: %.0f%% of it left", d.Fault, d.Service, d.Remedy, 100*d.Remaining))
	case engine.ToolData:
		text := string(d.Tool) + " tool down: its queries are refused until it is back"
		if e.Kind == engine.KindToolUp {
			text = string(d.Tool) + " tool back"
		} else if d.Fault != "" {
			text += " (truth: " + d.Fault + ")"
		}
		m.add(e, lineSystem, "", text)
	case engine.RootClaimData:
		m.Truth.claim(e.Actor, d)
		m.add(e, lineTruth, "", claimText(e.Actor, d))
	case engine.ExpectData:
		m.Truth.met(e, d)
		m.add(e, lineTruth, "", "expectation met: "+d.Name+" ("+d.Dimension+", +"+ftoa(d.Points)+")")
	case engine.ServiceData:
		if e.Kind == engine.KindImpactOver {
			m.Truth.ImpactOver = true
			m.add(e, lineTruth, "", "customer impact ended")
		} else {
			m.Truth.Restored = appendNew(m.Truth.Restored, d.Service)
			m.add(e, lineTruth, "", "service restored: "+d.Service)
		}
	}
}

func (m *Model) add(e engine.Event, k lineKind, channel, text string) {
	m.Feed.add(Line{At: e.At, Seq: e.Seq, Kind: k, Channel: channel, From: e.Actor, Text: text})
}

func (m *Model) offered(e engine.Event, d engine.DecisionData) {
	m.names.decisions[d.Name] = d.Options
	m.add(e, lineDecision, "", "decision "+d.Name+": "+d.Prompt)
	if m.seesAll() {
		return // facilitators and observers watch decisions; the modal is for players
	}
	m.Decisions = slices.DeleteFunc(m.Decisions, func(x Decision) bool { return x.Name == d.Name })
	m.Decisions = append(m.Decisions, Decision{DecisionData: d, At: e.At})
}

func (m *Model) answered(e engine.Event, d engine.AnswerData) {
	m.Decisions = slices.DeleteFunc(m.Decisions, func(x Decision) bool { return x.Name == d.Name })
	who := d.By
	if d.TimedOut || who == "" {
		who = "the timeout"
	}
	m.Truth.actedAs(d.By, e.At)
	m.add(e, lineDecision, "", "decision "+d.Name+": "+who+" chose "+d.Option)
}

// seesAll reports whether the seat receives every event: facilitators and
// observers.
func (m *Model) seesAll() bool {
	return m.You.Facilitator || m.You.Role == engine.RoleFacilitator || m.You.Role == engine.RoleObserver
}

// facilitatorsOnly reports whether an audience is the facilitators' (the
// empty audience, engine.Facilitators()).
func facilitatorsOnly(a engine.Audience) bool {
	return !a.Everyone && len(a.Groups) == 0 && len(a.Roles) == 0 && len(a.People) == 0
}

// OpenDecision is the decision the modal shows: the oldest one not
// dismissed.
func (m *Model) OpenDecision() *Decision {
	for i := range m.Decisions {
		if !m.Decisions[i].Dismissed {
			return &m.Decisions[i]
		}
	}
	return nil
}

func (m *Model) alert(e engine.Event, d engine.AlertData) {
	verb := "fired"
	if e.Kind == engine.KindAlertResolved {
		verb = "resolved"
	}
	text := "alert " + d.Alert + " " + verb + " on " + d.Service + " (" + d.Metric + " " + metricValue(d.Metric, d.Value) + ")"
	if d.Severity != "" && verb == "fired" {
		text += " [" + d.Severity + "]"
	}
	m.add(e, lineAlert, "", text)
}

func (m *Model) result(e engine.Event, d engine.ResultData) {
	text := resultText(d)
	if e.Actor != "" && e.Actor != m.You.Name {
		text = e.Actor + ": " + text // a facilitator sees everyone's
	}
	if d.Query == engine.OpRunRunbookStep && m.Runbook != nil {
		rb, step, _ := strings.Cut(d.Subject, "/")
		if rb == m.Runbook.Name {
			for i := range m.Runbook.Steps {
				if m.Runbook.Steps[i].Name == step {
					m.Runbook.Steps[i].Result = d.Lines
				}
			}
		}
	}
	m.add(e, lineResult, "", text)
}

func (m *Model) remedy(e engine.Event, d engine.RemedyData) {
	// A completed remedy is sent twice to those who see everything: the
	// players' copy, and the facilitators' naming the faults it touched.
	if m.seesAll() && d.Phase == "completed" && !facilitatorsOnly(e.To) {
		return
	}
	m.names.remedies.add(d.Remedy)
	m.names.services.add(d.Service)
	m.Truth.remedy(e.At, d)
	text := "remedy " + d.Remedy + " " + d.Phase + " on " + d.Service
	if d.By != "" {
		text += " by " + d.By
	}
	if d.Harm != "" {
		text += ": " + d.Harm
	}
	if len(d.Mitigated) > 0 {
		text += "; mitigated " + strings.Join(d.Mitigated, ", ")
	}
	if len(d.Fixed) > 0 {
		text += "; fixed " + strings.Join(d.Fixed, ", ")
	}
	m.add(e, lineRemedy, "", text)
}

func (m *Model) telemetry(at time.Duration, samples []engine.ServiceSample) {
	if at > m.Now {
		m.Now = at
	}
	for _, s := range samples {
		m.names.services.add(s.Service)
		svc := m.Services[s.Service]
		if svc == nil {
			svc = &Service{Name: s.Service, At: -1}
			m.Services[s.Service] = svc
		}
		svc.sample(at, s)
	}
}

// ServiceList returns the services for the pane, unhealthy first.
func (m *Model) ServiceList() []*Service {
	out := make([]*Service, 0, len(m.Services))
	for _, s := range m.Services {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Service) int {
		if a.Last.Healthy != b.Last.Healthy {
			if !a.Last.Healthy {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func appendNew(xs []string, x string) []string {
	if x == "" || slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

func orDefault(s, d string) string {
	if s != "" {
		return s
	}
	return d
}

// briefing lists the causes the team may name with /rootcause.
func (m *Model) briefing(e engine.Event, d engine.BriefingData) {
	var parts []string
	for _, h := range d.Hypotheses {
		m.names.hypotheses.add(h.Name)
		m.names.services.add(h.Service)
		parts = append(parts, h.Name+" ("+h.Service+"): "+h.Title)
	}
	if len(parts) > 0 {
		m.add(e, lineSystem, "", "causes to weigh (/rootcause NAME): "+strings.Join(parts, "; "))
	}
}
