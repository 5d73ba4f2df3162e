package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/firedrill/firedrill/engine"
)

// deskState is the service desk's work in hand.
type deskState struct {
	creating []deskCall // records asked for, waiting for their numbers
}

// deskCall is one contact the service desk is recording.
type deskCall struct {
	text   string // the short description asked for
	parent string // a parent to link the new record to
	high   bool   // P1/P2: engage the incident manager
}

// deskObserve: callers reach the service desk by phone, ticket and email.
func (b *Bot) deskObserve(ev engine.Event) {
	switch d := ev.Data.(type) {
	case engine.InjectData:
		switch d.Channel {
		case "phone", "ticket", "email":
		default:
			return
		}
		r := b.dir.readings[d.Name]
		if r.record == "" {
			return // nothing to record: the contact needs no ticket
		}
		d.Record, d.About = r.record, r.about
		b.react(func() { b.takeCall(d) })
	case engine.ActionData:
		if ev.Actor == b.v.Name && d.Role == b.v.Role && d.Action.Op == engine.OpCreateIncident {
			b.recorded(d)
		}
	}
}

// takeCall records a contact. The inject's About is what the caller named;
// its Record says whether they reported a failure or asked for something.
func (b *Bot) takeCall(call engine.InjectData) {
	request := call.Record == "request"
	if request && b.errs("request-as-incident:"+call.Name) {
		request = false // the classic mistake: every call is an incident
	}
	if request || call.About == "" || b.skill == Novice {
		// Novices never look for a parent; requests have none.
		b.record(call, request, "")
		return
	}
	// The major incident board first: a parent the desk has seen covering
	// the service, whatever its description says.
	var known []string
	for _, inc := range b.recs.Incidents {
		known = append(known, inc.Number)
	}
	if parent := b.coveringParent(known, call.About); parent != "" {
		b.record(call, false, parent)
		return
	}
	q := call.About
	if s := b.dir.service(call.About); s != nil && s.title != "" {
		q += " " + s.title
	}
	b.query(engine.Action{Op: engine.OpSearchParents, Text: q}, nil, func(r engine.ResultData) {
		parent := b.coveringParent(r.Lines, call.About)
		b.soon(func() { b.record(call, false, parent) })
	})
}

var incNumber = regexp.MustCompile(`\bINC\d+\b`)

// coveringParent is the first live parent named in lines (a search
// result, or record numbers) that already covers the service: the parent
// or one of its children is about it.
func (b *Bot) coveringParent(lines []string, service string) string {
	for _, l := range lines {
		n := incNumber.FindString(l)
		p := b.recs.Incident(n)
		if p == nil || !p.Live() || !p.IsParent {
			continue
		}
		if p.Service == service || strings.Contains(strings.ToLower(p.ShortDescription), service) {
			return n
		}
		for _, c := range p.Children {
			if ci := b.recs.Incident(c); ci != nil && ci.Service == service {
				return n
			}
		}
	}
	return ""
}

// record creates the record for a call and assigns it to the service's
// owning group. A critical service's outage is high impact and urgency;
// anything else medium; a request low.
func (b *Bot) record(call engine.InjectData, request bool, parent string) {
	a := engine.Action{
		Op:             engine.OpCreateIncident,
		Text:           shortDescription(b.dir.service(call.About), call.Text),
		Service:        call.About,
		Caller:         call.From,
		Impact:         engine.LevelMedium,
		Urgency:        engine.LevelMedium,
		Classification: engine.ClassIncident,
	}
	if s := b.dir.service(call.About); s != nil {
		a.Group = s.group
		// The slip of the moment: a critical service's outage taken for an
		// ordinary one; the incident manager's review catches it later.
		if s.critical && !request && !b.errs("under-prioritise:"+call.Name) {
			a.Impact, a.Urgency = engine.LevelHigh, engine.LevelHigh
		}
	}
	if request {
		a.Classification = engine.ClassServiceRequest
		a.Impact, a.Urgency = engine.LevelLow, engine.LevelLow
	}
	if b.do(a) {
		pr := b.dir.policy.Priority(a.Impact, a.Urgency)
		b.desk.creating = append(b.desk.creating, deskCall{text: a.Text, parent: parent, high: !request && b.dir.policy.NeedsCommandCenter(pr)})
	}
}

// recorded follows up a record the desk created: link it to the parent it
// found, and bring the incident manager in for a P1/P2.
func (b *Bot) recorded(d engine.ActionData) {
	if len(d.Records) == 0 || d.Records[0].Incident == nil {
		return
	}
	inc := *d.Records[0].Incident
	i := slices.IndexFunc(b.desk.creating, func(c deskCall) bool { return c.text == d.Action.Text })
	if i < 0 {
		return
	}
	call := b.desk.creating[i]
	b.desk.creating = slices.Delete(b.desk.creating, i, i+1)
	b.soon(func() {
		if cur := b.recs.Incident(inc.Number); call.parent != "" && cur != nil && cur.Parent == "" {
			b.do(engine.Action{Op: engine.OpLinkParent, Record: inc.Number, Parent: call.parent})
		}
		if call.high {
			msg := fmt.Sprintf("New P%d %s on %s (%s), assigned to %s. Incident manager, please engage.",
				inc.Priority, inc.Number, inc.Service, inc.ShortDescription, inc.Group)
			if call.parent != "" {
				msg = fmt.Sprintf("New P%d %s on %s linked to parent %s.", inc.Priority, inc.Number, inc.Service, call.parent)
			}
			b.do(engine.Action{Op: engine.OpChat, Channel: "command-center", Text: msg})
		}
	})
}

// shortDescription is what an analyst types: the service, then the
// caller's first sentence, cut at a word near 90 characters.
func shortDescription(s *dirService, text string) string {
	first := text
	for i, r := range text {
		// A sentence ends at punctuation and a space, and is long enough to
		// say something ("Module 1." is not a description).
		if strings.ContainsRune(".?!", r) && i >= 25 && i+1 < len(text) && text[i+1] == ' ' {
			first = text[:i]
			break
		}
	}
	if len(first) > 90 {
		cut := strings.LastIndex(first[:90], " ")
		if cut < 40 {
			cut = 90
		}
		first = first[:cut] + "…"
	}
	if s == nil {
		return first
	}
	name := s.title
	if name == "" {
		name = s.name
	}
	return name + ": " + first
}
