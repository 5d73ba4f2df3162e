package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// centerState is the command center's work in hand.
type centerState struct {
	reviewing bool
	updating  bool // the status-update cadence is running
	updates   int  // status updates sent
	// said is what the last update reported: once every major incident is
	// restored the cadence stops, and only news starts it again.
	said      string
	approving []string // changes it opened and approves
	held      []held   // new P1/P2s it holds back as probably related
	opening   []string // incidents it opened a war room for
}

// held is a P1/P2 the command center did not open a second bridge for,
// because it arrived close to one it already runs.
type held struct {
	incident string
	since    time.Duration
}

// holdFor is how long the command center waits for the incident manager to
// link a related P1/P2 before linking it itself.
const holdFor = 5 * time.Minute

// centerObserve: the command center runs every P1/P2 from the ITSM queue
// and handles change requests posted in its channel.
func (b *Bot) centerObserve(ev engine.Event) {
	switch d := ev.Data.(type) {
	case engine.ActionData:
		for _, rc := range d.Records {
			if c := rc.Change; c != nil && c.State == engine.ChangeRequested && c.RequestedBy == b.v.Name && !slices.Contains(b.cc.approving, c.Number) {
				b.cc.approving = append(b.cc.approving, c.Number)
				number := c.Number
				b.soon(func() { b.do(engine.Action{Op: engine.OpApproveChange, Record: number}) })
			}
		}
		if !b.cc.reviewing {
			b.cc.reviewing = true
			b.react(func() {
				b.cc.reviewing = false
				b.runHighPriority()
			})
		}
	case engine.ChatData:
		if d.Channel == "command-center" && d.From != b.v.Name && !d.Bot {
			b.changeAsked(d.Text)
		}
	}
}

// closeWatch is how long the command center keeps a validated major
// incident open before closing it.
const closeWatch = 10 * time.Minute

// runHighPriority does the command center's part for every P1/P2 that
// leads its family: incident alert, one war room, a problem record where
// the policy needs one, stakeholder updates, and closure once restored,
// validated and its business impact stated.
func (b *Bot) runHighPriority() {
	for _, inc := range b.recs.Incidents {
		if !inc.Live() || inc.Class != engine.ClassIncident || inc.Parent != "" || !b.dir.policy.NeedsCommandCenter(inc.Priority) {
			continue
		}
		n := inc.Number
		if b.holdBack(inc) {
			continue
		}
		if inc.Alert == "" && b.first("alert:"+n) {
			b.do(engine.Action{Op: engine.OpRaiseIncidentAlert, Record: n})
		}
		if b.dir.policy.NeedsWarRoom(inc.Priority) && b.recs.OpenRoom(n) == nil && b.first("room:"+n) {
			b.cc.opening = append(b.cc.opening, n)
			b.do(engine.Action{Op: engine.OpOpenWarRoom, Record: n, Text: inc.ShortDescription})
		}
		if len(inc.Problems) == 0 && b.needsProblem(inc) && b.first("problem:"+n) {
			b.do(engine.Action{Op: engine.OpOpenProblem, Record: n, Text: "Root cause of " + inc.ShortDescription})
		}
		ready := inc.State == engine.StateRestored && inc.Validated.Set && inc.BusinessImpact != "" &&
			(len(inc.Problems) > 0 || !b.dir.policy.NeedsProblem(inc.Priority)) && !b.recs.ChangePending(n)
		if ready && b.now-inc.Validated.At < closeWatch {
			// Watch a while before closing: late reports of the same outage
			// join the open incident instead of starting a new one.
			if b.first("close-watch:" + n) {
				b.after(closeWatch-(b.now-inc.Validated.At), b.runHighPriority)
			}
			continue
		}
		if ready && b.first("close:"+n) {
			b.do(engine.Action{Op: engine.OpClose, Record: n, Text: "Restored, validated by the service owner, business impact recorded."})
		}
	}
	if !b.cc.updating && len(b.highOpen()) > 0 && b.statusNow() != b.cc.said {
		b.cc.updating = true
		b.statusUpdate()
	}
}

// holdBack keeps the command center from opening a second bridge: a new
// P1/P2 that arrives while it runs another is probably the same issue. It
// waits a while for the incident manager (or a resolver) to link the two.
// Then it links one that arrived within the correlation window itself, and
// treats any other as an incident of its own.
func (b *Bot) holdBack(inc engine.Incident) bool {
	if b.recs.OpenRoom(inc.Number) != nil || contains(b.cc.opening, inc.Number) {
		return false
	}
	var lead *engine.Incident
	for i := range b.recs.Incidents {
		o := &b.recs.Incidents[i]
		if o.Number != inc.Number && o.Live() && o.Parent == "" && (b.recs.OpenRoom(o.Number) != nil || contains(b.cc.opening, o.Number)) {
			lead = o
			break
		}
	}
	if lead == nil {
		return false
	}
	i := slices.IndexFunc(b.cc.held, func(h held) bool { return h.incident == inc.Number })
	if i < 0 {
		b.cc.held = append(b.cc.held, held{incident: inc.Number, since: b.now})
		b.after(holdFor, b.runHighPriority)
		return true
	}
	if b.now-b.cc.held[i].since < holdFor {
		return true
	}
	if absDuration(inc.Opened.At-lead.Opened.At) > correlateWindow {
		return false
	}
	if b.first("link:" + inc.Number) {
		if !lead.IsParent {
			b.do(engine.Action{Op: engine.OpMakeParent, Record: lead.Number})
		}
		b.do(engine.Action{Op: engine.OpLinkParent, Record: inc.Number, Parent: lead.Number})
	}
	return true
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// needsProblem applies the policy: every P1, and a P2 on a critical
// service.
func (b *Bot) needsProblem(inc engine.Incident) bool {
	var why []engine.ProblemReason
	if s := b.dir.service(inc.Service); s != nil && s.critical {
		why = append(why, engine.CriticalService)
	}
	return b.dir.policy.NeedsProblem(inc.Priority, why...)
}

// highOpen lists the live P1/P2 family heads not yet restored.
func (b *Bot) highOpen() []engine.Incident {
	var out []engine.Incident
	for _, inc := range b.recs.Incidents {
		if inc.Live() && inc.Parent == "" && inc.Class == engine.ClassIncident && b.dir.policy.NeedsCommandCenter(inc.Priority) {
			out = append(out, inc)
		}
	}
	return out
}

// statusUpdate posts one stakeholder update and plans the next at the
// policy's cadence, until every P1/P2 is restored.
func (b *Bot) statusUpdate() {
	open := b.highOpen()
	if len(open) == 0 {
		b.cc.updating = false
		return
	}
	restored := true
	for _, inc := range open {
		restored = restored && inc.State == engine.StateRestored
	}
	b.cc.updates++
	b.cc.said = b.statusNow()
	every := b.dir.policy.StatusEvery
	text := fmt.Sprintf("Update %d at %s: %s. Next update by %s.", b.cc.updates, clock(b.dir.start, b.now), b.cc.said, clock(b.dir.start, b.now+every))
	b.do(engine.Action{Op: engine.OpStatusUpdate, Text: text})
	if restored || every <= 0 {
		b.cc.updating = false
		return
	}
	b.after(every, b.statusUpdate)
}

// statusNow is the state of the open major incidents, as an update says
// it.
func (b *Bot) statusNow() string {
	var parts []string
	for _, inc := range b.highOpen() {
		parts = append(parts, fmt.Sprintf("%s P%d %s (%s)", inc.Number, inc.Priority, strings.ReplaceAll(string(inc.State), "_", " "), inc.ShortDescription))
	}
	return strings.Join(parts, "; ")
}

var changeRemedy = regexp.MustCompile(`[a-z0-9][a-z0-9_-]*`)

// changeAsked reads a chat message for a change request: it names a remedy
// of the change catalogue and an incident. The command center opens an
// emergency change for it and approves it.
func (b *Bot) changeAsked(text string) {
	lower := strings.ToLower(text)
	if !strings.Contains(lower, "change") {
		return
	}
	inc := incNumber.FindString(text)
	remedy := ""
	for _, w := range changeRemedy.FindAllString(lower, -1) {
		if b.dir.remedy(w) != nil {
			remedy = w
			break
		}
	}
	if inc == "" || remedy == "" || !b.first("change:"+inc+"/"+remedy) {
		return
	}
	b.react(func() {
		if c := b.recs.ApprovedChange(inc, remedy); c != nil {
			return
		}
		if i := b.recs.Incident(inc); i == nil || !i.Live() {
			// A change record carries out a remedy for a live incident; the
			// rest of the fix belongs to the problem record.
			b.do(engine.Action{Op: engine.OpChat, Channel: "command-center",
				Text: fmt.Sprintf("%s is closed, so no change under it; take %s through the problem record.", inc, remedy)})
			return
		}
		b.do(engine.Action{Op: engine.OpOpenChange, Record: inc, Remedy: remedy, Emergency: true,
			Text: fmt.Sprintf("Emergency change to apply %s for %s", remedy, inc)})
	})
}
