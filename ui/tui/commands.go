package tui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/server/protocol"
)

// argKind is what an argument names: it picks completions and checks.
type argKind int

const (
	argText argKind = iota // free text, to the end of the line
	argWord                // one word the console cannot complete
	argPage
	argIncident
	argPageOrIncident
	argGroup
	argPerson
	argGroupOrPerson
	argService
	argServiceOrNone
	argRunbook
	argStep
	argRemedy
	argVendor
	argDecision
	argOption
	argLevel
	argMetric
	argMilestone
	argClass
	argWarRoom
	argTask
	argChange
	argInject
	argChannel
	argCommand
	argOptIncident // an incident number that may be left out
	argCause       // a hypothesis from the briefing, or a service
)

// cmdSpec is one slash command: how it reads and what it sends.
type cmdSpec struct {
	name  string
	usage string // arguments as a person reads them
	help  string
	args  []argKind
	// min is how many arguments are required.
	min     int
	section string
	// facilitator commands are offered to facilitators only.
	facilitator bool
	build       func(in *input) (request, error)
}

// request is what a typed line turns into: one frame for the server, or
// something the console does itself.
type request struct {
	action  *engine.Action
	chat    *protocol.Chat    // Channel and Text; the console sets the id
	control *protocol.Control // Control, Speed, Inject
	local   localOp
	arg     string
}

// localOp is a command the console carries out itself.
type localOp int

const (
	localNone localOp = iota
	localHelp
	localQuit
	localTab
	localCloseRunbook
)

// input is a typed line being turned into a request.
type input struct {
	m       *Model
	line    string
	fields  []string // after the command name
	channel string   // the tab's chat channel ("" for the seat's default)
	// selectedPage is the page the "a" key and a bare /ack act on.
	selectedPage string
}

// arg returns argument i, or "".
func (in *input) arg(i int) string {
	if i < len(in.fields) {
		return in.fields[i]
	}
	return ""
}

// rest returns the text from argument i to the end of the line, spacing
// kept.
func (in *input) rest(i int) string {
	s := strings.TrimSpace(in.line)
	// Skip the command and i arguments.
	for range i + 1 {
		s = strings.TrimLeft(s, " ")
		j := strings.IndexByte(s, ' ')
		if j < 0 {
			return ""
		}
		s = s[j:]
	}
	return strings.TrimSpace(s)
}

var errUsage = errors.New("usage")

// commands lists every slash command. Every engine op is reachable from
// one of them (TestEveryOpHasACommand). It is built on each call, not
// kept in a variable: /help's closures read the list back, which a
// package variable's initializer cannot do.
func commands() []cmdSpec {
	act := func(op engine.Op, fill func(in *input, a *engine.Action) error) func(*input) (request, error) {
		return func(in *input) (request, error) {
			a := engine.Action{Op: op}
			if err := fill(in, &a); err != nil {
				return request{}, err
			}
			return request{action: &a}, nil
		}
	}
	rec := func(op engine.Op) func(*input) (request, error) {
		return act(op, func(in *input, a *engine.Action) error {
			a.Record = number(in.arg(0))
			return nil
		})
	}
	recText := func(op engine.Op) func(*input) (request, error) {
		return act(op, func(in *input, a *engine.Action) error {
			a.Record, a.Text = number(in.arg(0)), in.rest(1)
			return nil
		})
	}
	service := func(op engine.Op) func(*input) (request, error) {
		return act(op, func(in *input, a *engine.Action) error {
			a.Service = in.arg(0)
			return nil
		})
	}
	text := func(op engine.Op) func(*input) (request, error) {
		return act(op, func(in *input, a *engine.Action) error {
			a.Text = in.rest(0)
			return nil
		})
	}
	// chatops sends the line as typed to the bot, in the tab's channel.
	chatops := func(in *input) (request, error) {
		return request{chat: &protocol.Chat{Channel: in.channel, Text: strings.TrimSpace(in.line)}}, nil
	}
	control := func(name string) func(*input) (request, error) {
		return func(*input) (request, error) { return request{control: &protocol.Control{Control: name}}, nil }
	}

	return []cmdSpec{
		// Records and their workflow.
		{name: "new", usage: "SERVICE IMPACT URGENCY DESCRIPTION", help: "record an incident (SERVICE - for none; IMPACT and URGENCY are high, medium or low)",
			args: []argKind{argServiceOrNone, argLevel, argLevel, argText}, min: 4, section: "records",
			build: act(engine.OpCreateIncident, func(in *input, a *engine.Action) error {
				a.Service = none(in.arg(0))
				var err error
				if a.Impact, err = level(in.arg(1)); err != nil {
					return err
				}
				if a.Urgency, err = level(in.arg(2)); err != nil {
					return err
				}
				a.Text = in.rest(3)
				a.Classification = engine.ClassIncident
				return nil
			})},
		{name: "request", usage: "SERVICE DESCRIPTION", help: "record a service request, not an incident",
			args: []argKind{argServiceOrNone, argText}, min: 2, section: "records",
			build: act(engine.OpCreateIncident, func(in *input, a *engine.Action) error {
				a.Service, a.Text, a.Classification = none(in.arg(0)), in.rest(1), engine.ClassServiceRequest
				return nil
			})},
		{name: "edit", usage: "INC DESCRIPTION", help: "change an incident's short description",
			args: []argKind{argIncident, argText}, min: 2, section: "records", build: recText(engine.OpUpdateIncident)},
		{name: "classify", usage: "INC incident|service_request", help: "say whether a record is an incident or a service request",
			args: []argKind{argIncident, argClass}, min: 2, section: "records",
			build: act(engine.OpClassify, func(in *input, a *engine.Action) error {
				a.Record = number(in.arg(0))
				c := engine.Classification(strings.ToLower(in.arg(1)))
				if c == "request" {
					c = engine.ClassServiceRequest
				}
				if !c.Valid() {
					return fmt.Errorf("a record is an incident or a service_request, not %q", in.arg(1))
				}
				a.Classification = c
				return nil
			})},
		{name: "assign", usage: "INC GROUP [PERSON]", help: "assign an incident to a group (and a person of it)",
			args: []argKind{argIncident, argGroup, argPerson}, min: 2, section: "records",
			build: act(engine.OpAssign, func(in *input, a *engine.Action) error {
				a.Record, a.Group, a.Person = number(in.arg(0)), in.arg(1), in.arg(2)
				return nil
			})},
		{name: "ack", usage: "[PAGE|INC]", help: "acknowledge a page (the selected one when left out), or take an incident assigned to your group",
			args: []argKind{argPageOrIncident}, section: "records",
			build: func(in *input) (request, error) {
				n := number(in.arg(0))
				switch {
				case n == "" && in.selectedPage == "":
					return request{}, errors.New("no page is waiting for you; name one, such as /ack PG0004")
				case n == "":
					return request{action: &engine.Action{Op: engine.OpAcknowledgePage, Page: in.selectedPage}}, nil
				case strings.HasPrefix(n, "PG"):
					return request{action: &engine.Action{Op: engine.OpAcknowledgePage, Page: n}}, nil
				}
				return request{action: &engine.Action{Op: engine.OpAcknowledge, Record: n}}, nil
			}},
		{name: "priority", usage: "INC IMPACT URGENCY", help: "set an incident's impact and urgency (high, medium, low)",
			args: []argKind{argIncident, argLevel, argLevel}, min: 3, section: "records",
			build: act(engine.OpPrioritise, func(in *input, a *engine.Action) error {
				a.Record = number(in.arg(0))
				var err error
				if a.Impact, err = level(in.arg(1)); err != nil {
					return err
				}
				a.Urgency, err = level(in.arg(2))
				return err
			})},
		{name: "parent", usage: "INC PARENT", help: "link an incident under a parent incident",
			args: []argKind{argIncident, argIncident}, min: 2, section: "records",
			build: act(engine.OpLinkParent, func(in *input, a *engine.Action) error {
				a.Record, a.Parent = number(in.arg(0)), number(in.arg(1))
				return nil
			})},
		{name: "makeparent", usage: "INC", help: "make an incident a parent", args: []argKind{argIncident}, min: 1, section: "records", build: rec(engine.OpMakeParent)},
		{name: "merge", usage: "INC INTO", help: "merge a duplicate incident into another",
			args: []argKind{argIncident, argIncident}, min: 2, section: "records",
			build: act(engine.OpMerge, func(in *input, a *engine.Action) error {
				a.Record, a.Parent = number(in.arg(0)), number(in.arg(1))
				return nil
			})},
		{name: "decline", usage: "INC REASON", help: "decline a record as not an incident", args: []argKind{argIncident, argText}, min: 2, section: "records", build: recText(engine.OpDecline)},
		{name: "workaround", usage: "INC TEXT", help: "declare a workaround in place", args: []argKind{argIncident, argText}, min: 2, section: "records", build: recText(engine.OpDeclareWorkaround)},
		{name: "restored", usage: "INC", help: "declare service restored", args: []argKind{argIncident}, min: 1, section: "records", build: rec(engine.OpDeclareRestored)},
		{name: "validate", usage: "INC", help: "validate restoration (the service owner)", args: []argKind{argIncident}, min: 1, section: "records", build: rec(engine.OpValidateRestoration)},
		{name: "impact", usage: "INC STATEMENT", help: "enter the business-impact statement (the service owner)", args: []argKind{argIncident, argText}, min: 2, section: "records", build: recText(engine.OpBusinessImpact)},
		{name: "close", usage: "INC [NOTE]", help: "close a restored incident", args: []argKind{argIncident, argText}, min: 1, section: "records", build: recText(engine.OpClose)},
		{name: "stated", usage: "INC impact_started|detected|impact_ended TIME", help: "state a time for the record, as T+MM or H:MM since the start",
			args: []argKind{argIncident, argMilestone, argWord}, min: 3, section: "records",
			build: act(engine.OpStateTime, func(in *input, a *engine.Action) error {
				a.Record, a.Milestone = number(in.arg(0)), engine.Milestone(strings.ToLower(in.arg(1)))
				if !slices.Contains(engine.Milestones(), a.Milestone) {
					return fmt.Errorf("milestones are impact_started, detected and impact_ended, not %q", in.arg(1))
				}
				d, err := offset(in.arg(2))
				a.Stated = d
				return err
			})},
		{name: "rootcause", usage: "HYPOTHESIS|SERVICE [INC] [TEXT]", help: "name the cause: one of the briefing's hypotheses, or a service and why",
			args: []argKind{argCause, argOptIncident, argText}, min: 1, section: "records",
			build: act(engine.OpIdentifyRootCause, func(in *input, a *engine.Action) error {
				if in.m.names.hypotheses.has(in.arg(0)) {
					a.Hypothesis = in.arg(0)
				} else {
					a.Service = in.arg(0)
				}
				if n := number(in.arg(1)); strings.HasPrefix(n, "INC") {
					a.Record, a.Text = n, in.rest(2)
				} else {
					a.Text = in.rest(1)
				}
				if a.Hypothesis == "" && a.Text == "" {
					return errUsage
				}
				return nil
			})},

		// Coordination.
		{name: "alert", usage: "INC", help: "raise an incident alert for a P1/P2 (the command center)", args: []argKind{argIncident}, min: 1, section: "coordination", build: rec(engine.OpRaiseIncidentAlert)},
		{name: "room", usage: "INC [NAME]", help: "open a war room for an incident", args: []argKind{argIncident, argText}, min: 1, section: "coordination", build: recText(engine.OpOpenWarRoom)},
		{name: "join", usage: "WR", help: "join a war room (its channel gets a tab)", args: []argKind{argWarRoom}, min: 1, section: "coordination", build: rec(engine.OpJoinWarRoom)},
		{name: "task", usage: "INC GROUP TEXT", help: "open an incident task for a group",
			args: []argKind{argIncident, argGroup, argText}, min: 3, section: "coordination",
			build: act(engine.OpOpenTask, func(in *input, a *engine.Action) error {
				a.Record, a.Group, a.Text = number(in.arg(0)), in.arg(1), in.rest(2)
				return nil
			})},
		{name: "done", usage: "TASK", help: "complete an incident task", args: []argKind{argTask}, min: 1, section: "coordination", build: rec(engine.OpCompleteTask)},
		{name: "problem", usage: "INC TEXT", help: "open a problem record", args: []argKind{argIncident, argText}, min: 2, section: "coordination", build: recText(engine.OpOpenProblem)},
		{name: "change", usage: "INC REMEDY [emergency]", help: "open a change record to carry out a remedy",
			args: []argKind{argIncident, argRemedy, argWord}, min: 2, section: "coordination",
			build: act(engine.OpOpenChange, func(in *input, a *engine.Action) error {
				a.Record, a.Remedy = number(in.arg(0)), in.arg(1)
				switch strings.ToLower(in.arg(2)) {
				case "":
				case "emergency", "e":
					a.Emergency = true
				default:
					return fmt.Errorf("the third word of /change is emergency or nothing, not %q", in.arg(2))
				}
				return nil
			})},
		{name: "approve", usage: "CHG", help: "approve a change", args: []argKind{argChange}, min: 1, section: "coordination", build: rec(engine.OpApproveChange)},
		{name: "page", usage: "GROUP|PERSON [INC] [MESSAGE]", help: "page a group's on-call person, or a person",
			args: []argKind{argGroupOrPerson, argOptIncident, argText}, min: 1, section: "coordination",
			build: act(engine.OpPage, func(in *input, a *engine.Action) error {
				// A name the console has not seen is most likely a group:
				// people page teams; the server says when there is none.
				who := in.arg(0)
				if slices.Contains(in.m.names.people, who) && !slices.Contains(in.m.names.groups, who) {
					a.Person = who
				} else {
					a.Group = who
				}
				if n := number(in.arg(1)); strings.HasPrefix(n, "INC") {
					a.Record, a.Text = n, in.rest(2)
				} else {
					a.Text = in.rest(1)
				}
				return nil
			})},
		{name: "handoff", usage: "GROUP RUNBOOK STEP [INC]", help: "page a group to run a runbook step only it may run",
			args: []argKind{argGroup, argRunbook, argStep, argIncident}, min: 3, section: "coordination",
			build: act(engine.OpPage, func(in *input, a *engine.Action) error {
				a.Group, a.Runbook, a.Step, a.Record = in.arg(0), in.arg(1), in.arg(2), number(in.arg(3))
				return nil
			})},
		{name: "silence", usage: "PAGE FOR", help: "hold a page's escalation for a while, such as 15m",
			args: []argKind{argPage, argWord}, min: 2, section: "coordination",
			build: act(engine.OpSilencePage, func(in *input, a *engine.Action) error {
				a.Page = number(in.arg(0))
				d, err := time.ParseDuration(in.arg(1))
				if err != nil || d <= 0 {
					return fmt.Errorf("say how long to silence it, such as 15m, not %q", in.arg(1))
				}
				a.For = d
				return nil
			})},
		{name: "attach", usage: "PAGE INC", help: "attach a page (and its alert) to an incident",
			args: []argKind{argPage, argIncident}, min: 2, section: "coordination",
			build: act(engine.OpAttachPage, func(in *input, a *engine.Action) error {
				a.Page, a.Record = number(in.arg(0)), number(in.arg(1))
				return nil
			})},

		// Investigation and repair.
		{name: "runbook", usage: "NAME", help: "open a runbook's steps in the side pane (asks the ChatOps bot)", args: []argKind{argRunbook}, section: "investigate", build: chatops},
		{name: "step", usage: "RUNBOOK STEP [INC]", help: "run a runbook step",
			args: []argKind{argRunbook, argStep, argIncident}, min: 2, section: "investigate",
			build: act(engine.OpRunRunbookStep, func(in *input, a *engine.Action) error {
				a.Runbook, a.Step, a.Record = in.arg(0), in.arg(1), number(in.arg(2))
				return nil
			})},
		{name: "remedy", usage: "NAME [INC]", help: "apply a remedy (restart, failover, fix)",
			args: []argKind{argRemedy, argIncident}, min: 1, section: "investigate",
			build: act(engine.OpApplyRemedy, func(in *input, a *engine.Action) error {
				a.Remedy, a.Record = in.arg(0), number(in.arg(1))
				return nil
			})},
		{name: "telemetry", usage: "SERVICE [error_rate|latency_ms|rps|saturation]", help: "chart a service's metric over the last 30 minutes",
			args: []argKind{argService, argMetric}, min: 1, section: "investigate",
			build: act(engine.OpQueryTelemetry, func(in *input, a *engine.Action) error {
				a.Service, a.Metric = in.arg(0), in.arg(1)
				return nil
			})},
		{name: "logs", usage: "SERVICE", help: "read a service's recent logs", args: []argKind{argService}, min: 1, section: "investigate", build: service(engine.OpQueryLogs)},
		{name: "traffic", usage: "SERVICE", help: "see where a service's calls go and how they fare", args: []argKind{argService}, min: 1, section: "investigate", build: service(engine.OpQueryTraffic)},
		{name: "changes", usage: "VENDOR", help: "read a vendor's change log",
			args: []argKind{argVendor}, min: 1, section: "investigate",
			build: act(engine.OpQueryVendorChanges, func(in *input, a *engine.Action) error {
				a.Vendor = in.arg(0)
				return nil
			})},
		{name: "contact", usage: "VENDOR", help: "call a vendor's helpdesk; they answer later",
			args: []argKind{argVendor}, min: 1, section: "investigate",
			build: act(engine.OpContactVendor, func(in *input, a *engine.Action) error {
				a.Vendor = in.arg(0)
				return nil
			})},
		{name: "kb", usage: "WORDS", help: "search the knowledge base", args: []argKind{argText}, min: 1, section: "investigate", build: text(engine.OpSearchKnowledge)},
		{name: "parents", usage: "WORDS", help: "search open parent incidents before creating one", args: []argKind{argText}, min: 1, section: "investigate", build: text(engine.OpSearchParents)},

		// Talk.
		{name: "dm", usage: "PERSON MESSAGE", help: "send a direct message",
			args: []argKind{argPerson, argText}, min: 2, section: "talk",
			build: func(in *input) (request, error) {
				return request{chat: &protocol.Chat{Channel: "direct:" + in.arg(0), Text: in.rest(1)}}, nil
			}},
		{name: "update", usage: "TEXT", help: "send stakeholders a status update: impact, what is being done, next update", args: []argKind{argText}, min: 1, section: "talk", build: text(engine.OpStatusUpdate)},
		{name: "tab", usage: "CHANNEL", help: "show a channel's tab (all, group:NAME, warroom:WR01, command-center, direct:PERSON)",
			args: []argKind{argChannel}, min: 1, section: "talk",
			build: func(in *input) (request, error) { return request{local: localTab, arg: in.arg(0)}, nil }},
		{name: "oncall", usage: "[GROUP]", help: "who is on call (ChatOps)", args: []argKind{argGroup}, section: "talk", build: chatops},
		{name: "vendor", usage: "NAME", help: "a vendor's helpdesk and recent changes (ChatOps)", args: []argKind{argVendor}, section: "talk", build: chatops},
		{name: "incident", usage: "[INC]", help: "describe an incident, or list the open ones (ChatOps)", args: []argKind{argIncident}, section: "talk", build: chatops},
		{name: "warroom", usage: "[open INC [NAME] | join WR]", help: "list, open or join war rooms (ChatOps)", args: []argKind{argWord, argWord, argText}, section: "talk", build: chatops},
		{name: "status", usage: "", help: "the estate at a glance (ChatOps)", section: "talk", build: chatops},

		// Decisions and reflection.
		{name: "decide", usage: "DECISION OPTION", help: "answer a decision put to you",
			args: []argKind{argDecision, argOption}, min: 2, section: "reflect",
			build: act(engine.OpAnswerDecision, func(in *input, a *engine.Action) error {
				a.Decision, a.Option = in.arg(0), in.arg(1)
				return nil
			})},
		{name: "confidence", usage: "1-5", help: "rate your confidence, from 1 (not at all) to 5 (fully)",
			args: []argKind{argWord}, min: 1, section: "reflect",
			build: act(engine.OpRateConfidence, func(in *input, a *engine.Action) error {
				n, err := strconv.Atoi(in.arg(0))
				if err != nil || n < 1 || n > 5 {
					return fmt.Errorf("rate your confidence from 1 to 5, not %q", in.arg(0))
				}
				a.Rating = n
				return nil
			})},
		{name: "lesson", usage: "TEXT", help: "record a lesson learned", args: []argKind{argText}, min: 1, section: "reflect", build: text(engine.OpLessonsLearned)},

		// The exercise (facilitators).
		{name: "pause", help: "pause the exercise", section: "exercise", facilitator: true, build: control(protocol.ControlPause)},
		{name: "resume", help: "resume the exercise", section: "exercise", facilitator: true, build: control(protocol.ControlResume)},
		{name: "speed", usage: "FACTOR", help: "set the speed, such as 1, 10 or 60", args: []argKind{argWord}, min: 1, section: "exercise", facilitator: true,
			build: func(in *input) (request, error) {
				f, err := strconv.ParseFloat(strings.TrimPrefix(strings.ToLower(in.arg(0)), "x"), 64)
				if err != nil || f <= 0 {
					return request{}, fmt.Errorf("speed is a number above zero, such as 1, 10 or 60, not %q", in.arg(0))
				}
				return request{control: &protocol.Control{Control: protocol.ControlSpeed, Speed: f}}, nil
			}},
		{name: "fire", usage: "INJECT", help: "fire an inject now", args: []argKind{argInject}, min: 1, section: "exercise", facilitator: true,
			build: func(in *input) (request, error) {
				return request{control: &protocol.Control{Control: protocol.ControlFire, Inject: in.arg(0)}}, nil
			}},
		{name: "end", help: "end the exercise", section: "exercise", facilitator: true, build: control(protocol.ControlEnd)},

		// The console.
		{name: "help", usage: "[COMMAND]", help: "list commands, or explain one", args: []argKind{argCommand}, section: "console",
			build: func(in *input) (request, error) { return request{local: localHelp, arg: in.arg(0)}, nil }},
		// /close is an incident's; the runbook pane closes with /hide.
		{name: "hide", help: "close the runbook pane", section: "console",
			build: func(*input) (request, error) { return request{local: localCloseRunbook}, nil }},
		{name: "quit", help: "leave the console (the exercise goes on)", section: "console",
			build: func(*input) (request, error) { return request{local: localQuit}, nil }},
	}
}

// lookup finds a command by name.
func lookup(name string) *cmdSpec {
	cs := commands()
	for i := range cs {
		if cs[i].name == name {
			return &cs[i]
		}
	}
	return nil
}

// parseLine turns a typed line into a request. Plain text is chat in the
// tab's channel; a slash command is looked up and its arguments checked.
func parseLine(in *input) (request, error) {
	line := strings.TrimSpace(in.line)
	if line == "" {
		return request{}, errors.New("nothing to send")
	}
	if !strings.HasPrefix(line, "/") {
		return request{chat: &protocol.Chat{Channel: in.channel, Text: line}}, nil
	}
	all := strings.Fields(line)
	name := strings.ToLower(strings.TrimPrefix(all[0], "/"))
	spec := lookup(name)
	if spec == nil || (spec.facilitator && !in.m.You.Facilitator) {
		return request{}, unknownCommand(name, in.m.You.Facilitator)
	}
	in.fields = all[1:]
	if len(in.fields) < spec.min {
		return request{}, usageError(spec)
	}
	r, err := spec.build(in)
	if errors.Is(err, errUsage) {
		return request{}, usageError(spec)
	}
	return r, err
}

func usageError(spec *cmdSpec) error {
	u := "/" + spec.name
	if spec.usage != "" {
		u += " " + spec.usage
	}
	return fmt.Errorf("usage: %s — %s", u, spec.help)
}

func unknownCommand(name string, facilitator bool) error {
	var near []string
	for _, c := range commands() {
		if (!c.facilitator || facilitator) && name != "" && (strings.HasPrefix(c.name, name) || strings.HasPrefix(name, c.name) || levenshtein.Distance(name, c.name, nil) <= 1) {
			near = append(near, "/"+c.name)
		}
	}
	msg := fmt.Sprintf("there is no command /%s; /help lists them", name)
	if len(near) > 0 {
		msg = fmt.Sprintf("there is no command /%s; did you mean %s?", name, strings.Join(near, " or "))
	}
	return errors.New(msg)
}

// number normalises a record number as people type it: "pg4" is PG0004,
// "wr1" is WR01. Anything else is returned as typed.
func number(s string) string {
	s = strings.TrimSpace(s)
	u := strings.ToUpper(s)
	for _, p := range []struct {
		prefix string
		width  int
	}{{"TASK", 4}, {"INC", 4}, {"PRB", 4}, {"CHG", 4}, {"PG", 4}, {"WR", 2}, {"IA", 4}} {
		digits, ok := strings.CutPrefix(u, p.prefix)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
			continue
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			return s
		}
		return fmt.Sprintf("%s%0*d", p.prefix, p.width, n)
	}
	return s
}

func none(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func level(s string) (engine.Level, error) {
	switch strings.ToLower(s) {
	case "h", "high", "1":
		return engine.LevelHigh, nil
	case "m", "medium", "med", "2":
		return engine.LevelMedium, nil
	case "l", "low", "3":
		return engine.LevelLow, nil
	}
	return "", fmt.Errorf("impact and urgency are high, medium or low, not %q", s)
}

// offset reads a stated time since the start: "14m", "T+14", "0:14",
// "T+0:14:30".
func offset(s string) (time.Duration, error) {
	t := strings.TrimPrefix(strings.ToUpper(s), "T+")
	if d, err := time.ParseDuration(strings.ToLower(t)); err == nil && d >= 0 {
		return d, nil
	}
	parts := strings.Split(t, ":")
	var d time.Duration
	switch len(parts) {
	case 1:
		n, err := strconv.Atoi(parts[0])
		if err == nil && n >= 0 {
			return time.Duration(n) * time.Minute, nil
		}
	case 2, 3:
		units := []time.Duration{time.Hour, time.Minute, time.Second}
		ok := true
		for i, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 {
				ok = false
				break
			}
			d += time.Duration(n) * units[i]
		}
		if ok {
			return d, nil
		}
	}
	return 0, fmt.Errorf("say the time since the start, such as 14m or T+0:14, not %q", s)
}

// roleFor picks which of the seat's roles takes an action: the main role
// when it may, else the first that may (a service owner validates as
// service owner even when their main role is technician).
func roleFor(you protocol.You, op engine.Op) engine.Role {
	if you.Facilitator || you.Role == "" || engine.Permitted(op, you.Role) {
		return ""
	}
	for _, r := range you.Roles {
		if engine.Permitted(op, r) {
			return r
		}
	}
	return "" // the server explains who may
}
