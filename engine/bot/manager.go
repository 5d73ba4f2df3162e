package bot

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// correlateWindow is how close together incidents on different services
// must arrive for the incident manager to treat them as one issue.
const correlateWindow = 15 * time.Minute

// managerState is the incident manager's work in hand.
type managerState struct {
	reviewing bool
}

// managerObserve: the incident manager watches the ITSM queue and reviews
// it a reaction delay after it changes.
func (b *Bot) managerObserve(ev engine.Event) {
	if c, ok := ev.Data.(engine.ChatData); ok && c.Channel == "command-center" && c.From != b.v.Name {
		b.linkAsked(c.Text)
		return
	}
	if _, ok := ev.Data.(engine.ActionData); !ok || b.im.reviewing {
		return
	}
	b.im.reviewing = true
	b.react(func() {
		b.im.reviewing = false
		b.review()
	})
}

// review correlates incidents under one parent, keeps the parent's priority
// at its worst child's, hands P1/P2s to the command center and pages groups
// that have not picked their incident up.
func (b *Bot) review() {
	linked := b.correlate()
	for _, inc := range b.recs.Incidents {
		if !inc.Live() || inc.Class != engine.ClassIncident {
			continue
		}
		b.reprioritise(inc)
		if inc.Parent == "" && b.dir.policy.NeedsCommandCenter(inc.Priority) {
			b.engageByKnowledge(inc)
		}
		if inc.Parent == "" && !contains(linked, inc.Number) && b.dir.policy.NeedsCommandCenter(inc.Priority) && b.first("handover:"+inc.Number) {
			b.do(engine.Action{Op: engine.OpChat, Channel: "command-center",
				Text: fmt.Sprintf("Command center, please take %s (P%d, %s): incident alert and one war room.", inc.Number, inc.Priority, inc.ShortDescription)})
		}
		if inc.State == engine.StateAssigned && inc.Assigned.Set && b.now-inc.Assigned.At >= b.dir.escalateAfter(inc.Group) && b.first("page:"+inc.Number) {
			b.do(engine.Action{Op: engine.OpPage, Group: inc.Group, Record: inc.Number,
				Text: fmt.Sprintf("%s has been waiting for %s since %s; please acknowledge.", inc.Number, inc.Group, clock(b.dir.start, inc.Assigned.At))})
		}
	}
	// Look again later for incidents waiting to be picked up.
	for _, inc := range b.recs.Incidents {
		if inc.Live() && inc.State == engine.StateAssigned {
			wait := inc.Assigned.At + b.dir.escalateAfter(inc.Group) - b.now
			if wait > 0 && !b.im.reviewing {
				b.im.reviewing = true
				b.after(wait, func() {
					b.im.reviewing = false
					b.review()
				})
			}
			break
		}
	}
}

// engageByKnowledge looks a major incident's service up in the knowledge
// base and pages the groups its articles say to bring in at once.
func (b *Bot) engageByKnowledge(inc engine.Incident) {
	if inc.Service == "" || !b.first("kb:"+inc.Number) {
		return
	}
	number := inc.Number
	b.query(engine.Action{Op: engine.OpSearchKnowledge, Text: inc.Service}, nil, func(r engine.ResultData) {
		for _, l := range r.Lines {
			_, groups, ok := strings.Cut(l, " — escalate to: ")
			if !ok {
				continue
			}
			for _, g := range strings.Split(groups, ", ") {
				if g != "" && b.first("escalate:"+number+"/"+g) {
					b.do(engine.Action{Op: engine.OpPage, Group: g, Record: number,
						Text: fmt.Sprintf("%s: the knowledge base says to bring %s in at once.", number, g)})
				}
			}
		}
	})
}

// correlate makes the earliest of several incidents on different services
// that arrived within the window a parent and links the others; later
// arrivals join the live parent. A novice waits for a third incident
// before believing in a pattern. It returns the incidents it linked.
func (b *Bot) correlate() []string {
	candidates := func() []engine.Incident {
		var out []engine.Incident
		for _, inc := range b.recs.Incidents {
			if inc.Live() && inc.Class == engine.ClassIncident && inc.Parent == "" && !inc.IsParent && inc.Service != "" {
				out = append(out, inc)
			}
		}
		return out
	}()
	var parent *engine.Incident
	for i := range b.recs.Incidents {
		if inc := &b.recs.Incidents[i]; inc.Live() && inc.IsParent {
			parent = inc
			break
		}
	}
	if parent != nil {
		last := parent.Opened.At
		for _, c := range parent.Children {
			if ci := b.recs.Incident(c); ci != nil && ci.Opened.At > last {
				last = ci.Opened.At
			}
		}
		var linked []string
		for _, inc := range candidates {
			if inc.Opened.At-last <= correlateWindow && b.do(engine.Action{Op: engine.OpLinkParent, Record: inc.Number, Parent: parent.Number}) {
				linked = append(linked, inc.Number)
			}
		}
		return linked
	}
	for i, first := range candidates {
		cluster := []engine.Incident{first}
		services := []string{first.Service}
		last := first.Opened.At
		for _, inc := range candidates[i+1:] {
			if inc.Opened.At-last > correlateWindow {
				break
			}
			cluster = append(cluster, inc)
			services = appendNew(services, inc.Service)
			last = inc.Opened.At
		}
		need := 2
		if b.errs("wait-for-pattern") {
			need = 3
		}
		if len(services) < need {
			continue
		}
		b.do(engine.Action{Op: engine.OpMakeParent, Record: first.Number})
		var linked []string
		for _, inc := range cluster[1:] {
			b.do(engine.Action{Op: engine.OpLinkParent, Record: inc.Number, Parent: first.Number})
			linked = append(linked, inc.Number)
		}
		return linked
	}
	return nil
}

// linkAsked handles "please link INCa under INCb" from a resolver: INCa
// goes under INCb's family, whose head becomes a parent if it is not one.
func (b *Bot) linkAsked(text string) {
	if !strings.Contains(strings.ToLower(text), "link") {
		return
	}
	nums := incNumber.FindAllString(text, -1)
	if len(nums) < 2 || nums[0] == nums[1] {
		return
	}
	child, target := nums[0], nums[1]
	b.react(func() {
		head := b.recs.Head(target)
		c, h := b.recs.Incident(child), b.recs.Incident(head)
		if c == nil || h == nil || !c.Live() || !h.Live() || c.IsParent || slices.Contains(b.recs.Family(head), child) {
			return
		}
		if !h.IsParent {
			b.do(engine.Action{Op: engine.OpMakeParent, Record: head})
		}
		b.do(engine.Action{Op: engine.OpLinkParent, Record: child, Parent: head})
	})
}

// reprioritise raises a parent to its worst child's priority, and an
// incident on a critical service to high impact and urgency.
func (b *Bot) reprioritise(inc engine.Incident) {
	impact, urgency := inc.Impact, inc.Urgency
	if s := b.dir.service(inc.Service); s != nil && s.critical {
		impact, urgency = engine.LevelHigh, engine.LevelHigh
	}
	for _, c := range inc.Children {
		if ci := b.recs.Incident(c); ci != nil && ci.Live() && ci.Priority < b.dir.policy.Priority(impact, urgency) {
			impact, urgency = ci.Impact, ci.Urgency
		}
	}
	if b.dir.policy.Priority(impact, urgency) < inc.Priority {
		b.do(engine.Action{Op: engine.OpPrioritise, Record: inc.Number, Impact: impact, Urgency: urgency})
	}
}

// clock is a virtual time as the fiction's time of day.
func clock(start, t time.Duration) string {
	tod := (start + t) % (24 * time.Hour)
	return fmt.Sprintf("%02d:%02d", int(tod.Hours()), int(tod.Minutes())%60)
}
