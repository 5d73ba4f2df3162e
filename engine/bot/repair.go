package bot

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// changeWait is how long a technician waits for an approved change before
// moving on to the next runbook step without it.
const changeWait = 15 * time.Minute

// repair is a technician working through the runbooks of the service it
// found to be the cause.
type repair struct {
	active   bool
	service  string
	runbooks []*dirRunbook
	rb, step int
	waiting  string // a remedy waiting for its change record
}

// work names the cause and starts on its runbooks: record the root cause,
// make sure there is an incident to record the work against, check the
// vendor's change log and call its helpdesk, then follow the runbooks. A
// bot that slips chases a plausible wrong hypothesis first, and only after
// a while of finding nothing names the one its clues point to.
func (b *Bot) work(service string) {
	b.tech.sources = append(b.tech.sources, service)
	w := b.watchOf(service)
	clue := w.clues[0]
	b.ensureIncident(service, clue)
	right, wrong := b.hypotheses(service, w.clues)
	if len(wrong) > 0 && b.errs("hypothesis:"+service) {
		h := wrong[min(int(b.chance("wrong-hypothesis:"+service)*float64(len(wrong))), len(wrong)-1)]
		b.claim(service, h.name, clue)
		b.do(engine.Action{Op: engine.OpChat, Channel: b.workChannel(), Text: fmt.Sprintf("Looks like %s on %s. Checking that first.", h.title, service)})
		b.after(b.delay()+b.delay(), func() {
			b.claim(service, right, clue)
			b.startRepair(service, clue)
		})
		return
	}
	b.claim(service, right, clue)
	b.startRepair(service, clue)
}

// hypotheses sorts the briefing's hypotheses about a service: the one the
// clues point to (the first when none does: a guess), and the others.
func (b *Bot) hypotheses(service string, clues []string) (right string, wrong []dirHypothesis) {
	hs := b.dir.hypothesesOn(service)
	if len(hs) == 0 {
		return "", nil
	}
	pick := 0
	for i, h := range hs {
		if signsMatch(h.signs, clues) {
			pick = i
			break
		}
	}
	for i, h := range hs {
		if i != pick {
			wrong = append(wrong, h)
		}
	}
	return hs[pick].name, wrong
}

// signsMatch reports whether a clue read shows one of the signs.
func signsMatch(signs, clues []string) bool {
	for _, s := range signs {
		s = strings.ToLower(s)
		for _, c := range clues {
			c = strings.ToLower(c)
			if s != "" && c != "" && (strings.Contains(c, s) || strings.Contains(s, c)) {
				return true
			}
		}
	}
	return false
}

// claim records the root cause on the incident in hand: by hypothesis
// when the service has some, else in words.
func (b *Bot) claim(service, hypothesis, clue string) {
	a := engine.Action{Op: engine.OpIdentifyRootCause, Record: b.tech.hand, Service: service, Text: clue}
	if hypothesis != "" {
		a.Service, a.Hypothesis = "", hypothesis
	}
	b.do(a)
}

// workChannel is where the technician talks about the work: its incident's
// war room when it is in it, the command center's channel otherwise.
func (b *Bot) workChannel() string {
	if room := b.recs.OpenRoom(b.tech.hand); room != nil && slices.Contains(b.tech.rooms, room.Number) {
		return "warroom:" + room.Number
	}
	return "command-center"
}

// startRepair says the cause is found, brings in the vendor and works the
// runbooks.
func (b *Bot) startRepair(service, clue string) {
	b.do(engine.Action{Op: engine.OpChat, Channel: b.workChannel(), Text: fmt.Sprintf("Cause found on %s: %s. Working its runbooks now.", service, clue)})
	if s := b.dir.service(service); s != nil && s.vendor != "" && !b.errs("skip-vendor") {
		b.query(engine.Action{Op: engine.OpQueryVendorChanges, Vendor: s.vendor}, nil, nil)
		b.do(engine.Action{Op: engine.OpContactVendor, Vendor: s.vendor, Record: b.tech.hand, Text: clue})
	}
	b.tech.repair = repair{active: true, service: service, runbooks: b.dir.runbooksFor(service, b.v.Groups)}
	b.soon(b.nextStep)
}

// ensureIncident finds or records the incident the work goes against: the
// one it was paged or assigned about, a live one about the service, or a
// new one it records itself, as technicians do for what no caller reported.
func (b *Bot) ensureIncident(service, clue string) {
	if inc := b.recs.Incident(b.tech.hand); inc != nil && inc.Live() {
		return
	}
	if inc := b.recs.LiveOn(service); inc != nil {
		b.tech.hand = inc.Number
		return
	}
	s := b.dir.service(service)
	if s == nil {
		return
	}
	a := engine.Action{Op: engine.OpCreateIncident, Service: service, Group: s.group, Person: b.v.Name,
		Text: shortDescription(s, clue), Impact: engine.LevelMedium, Urgency: engine.LevelMedium, Classification: engine.ClassIncident}
	if s.critical {
		a.Impact, a.Urgency = engine.LevelHigh, engine.LevelHigh
	}
	if b.do(a) {
		b.tech.creating = true
	}
}

// nextStep runs the next runbook step. A step that applies a remedy the
// technician's groups may not carry out is skipped; one that needs a change
// waits for an approved change (asked of the command center).
func (b *Bot) nextStep() {
	rp := &b.tech.repair
	if !rp.active {
		return
	}
	if rp.rb >= len(rp.runbooks) {
		rp.active = false
		return
	}
	rb := rp.runbooks[rp.rb]
	if rp.step >= len(rb.steps) {
		b.finishRunbook()
		return
	}
	st := rb.steps[rp.step]
	if st.applies != "" {
		rm := b.dir.remedy(st.applies)
		switch {
		case rm == nil || !rm.mayApply(b.v.Groups):
			rp.step++
			b.soon(b.nextStep)
			return
		case slices.Contains(b.tech.started, rm.name) && !slices.Contains(b.tech.finished, rm.name):
			rp.step++ // already under way
			b.soon(b.nextStep)
			return
		case rm.requiresChange && b.recs.ApprovedChange(b.tech.hand, rm.name) == nil:
			b.askChange(rm)
			return
		}
		b.tech.started = appendNew(b.tech.started, rm.name)
		b.tech.finished = slices.DeleteFunc(b.tech.finished, func(r string) bool { return r == rm.name })
	}
	b.do(engine.Action{Op: engine.OpRunRunbookStep, Runbook: rb.name, Step: st.name, Record: b.tech.hand})
	rp.step++
	b.after(max(st.takes, b.quick(), 10*time.Second), b.nextStep)
}

// askChange asks the command center for an emergency change for a remedy
// and waits for its approval; without one in time, it moves on.
func (b *Bot) askChange(rm *dirRemedy) {
	rp := &b.tech.repair
	if b.tech.hand == "" {
		// The incident record is on its way; ask once it exists.
		b.soon(b.nextStep)
		return
	}
	rp.waiting = rm.name
	if b.first("change:" + rm.name) {
		b.do(engine.Action{Op: engine.OpChat, Channel: "command-center",
			Text: fmt.Sprintf("Requesting an emergency change for remedy %s on %s: %s.", rm.name, b.tech.hand, rm.title)})
	}
	at := rp.rb*100 + rp.step
	b.after(changeWait, func() {
		if rp.active && rp.waiting == rm.name && rp.rb*100+rp.step == at {
			rp.waiting = ""
			rp.step++
			b.nextStep()
		}
	})
}

// changeApproved resumes the step that waited for the change.
func (b *Bot) changeApproved(c engine.Change) {
	rp := &b.tech.repair
	if !rp.active || rp.waiting == "" || rp.waiting != c.Remedy || !slices.Contains(b.recs.Family(b.tech.hand), c.Incident) {
		return
	}
	rp.waiting = ""
	b.soon(b.nextStep)
}

// finishRunbook waits for the remedies it started to complete, then looks
// at the service: healthy means done, failing means the next runbook.
func (b *Bot) finishRunbook() {
	rp := &b.tech.repair
	for _, r := range b.tech.started {
		if !slices.Contains(b.tech.finished, r) {
			b.after(time.Minute, b.finishRunbook)
			return
		}
	}
	if !b.inGroup(b.dir.groupOf(rp.service)) {
		// A step carried out for another group: its dashboards are theirs
		// to read, so say it is done and leave the verdict to them.
		rp.active = false
		b.do(engine.Action{Op: engine.OpChat, Channel: "group:" + b.dir.groupOf(rp.service),
			Text: fmt.Sprintf("Done with runbook %s for %s; over to you to check the service.", rp.runbooks[min(rp.rb, len(rp.runbooks)-1)].name, rp.service)})
		return
	}
	next := func() {
		rp.rb++
		rp.step = 0
		b.soon(b.nextStep)
	}
	if !b.up(engine.OpQueryTelemetry) {
		// Without dashboards, the logs say whether it still fails.
		b.query(engine.Action{Op: engine.OpQueryLogs, Service: rp.service}, nil, func(res engine.ResultData) {
			if len(clues(res.Lines)) == 0 {
				b.pursueFix()
				return
			}
			next()
		})
		if !b.up(engine.OpQueryLogs) {
			b.after(5*time.Minute, b.finishRunbook)
		}
		return
	}
	b.query(engine.Action{Op: engine.OpQueryTelemetry, Service: rp.service, Metric: string(scenario.MetricErrorRate)}, nil, func(res engine.ResultData) {
		v, ok := latest(res)
		if ok && !b.dir.unhealthy(rp.service, v) {
			b.pursueFix()
			return
		}
		next()
	})
}

// declare moves the incidents it acknowledged along as their service
// recovers: a workaround when the impact stops, restored once the service
// has stayed healthy for a second look. A child follows its parent.
func (b *Bot) declare() {
	for _, n := range b.tech.mine {
		inc := b.recs.Incident(n)
		if inc == nil || !inc.Live() || inc.Parent != "" || inc.Service == "" {
			continue
		}
		w := b.tech.health[inc.Service]
		if w == nil || !w.known || w.bad || !w.everBad {
			continue
		}
		switch {
		case inc.State == engine.StateInProgress && b.first("workaround:"+n):
			b.do(engine.Action{Op: engine.OpDeclareWorkaround, Record: n,
				Text: fmt.Sprintf("Impact stopped: %s error rate back to %.1f%%; watching before declaring it restored.", inc.Service, 100*w.errRate)})
		case inc.State == engine.StateMitigated && w.streak >= 2 && b.first("restored:"+n):
			b.do(engine.Action{Op: engine.OpDeclareRestored, Record: n})
		}
	}
}

// pursueFix runs once the service is healthy again. Steps left in its
// runbooks that go through a change record are the permanent fix (changes
// are how fixes go in; a bot cannot know what a remedy does): the
// technician asks for the change under its incident while it is still open,
// then carries the step out itself, or hands it to the group that may.
func (b *Bot) pursueFix() {
	rp := &b.tech.repair
	rp.active = false
	for i, rb := range rp.runbooks {
		for j, st := range rb.steps {
			rm := b.dir.remedy(st.applies)
			if rm == nil || !rm.requiresChange || slices.Contains(b.tech.started, rm.name) || !b.first("fix:"+rm.name) {
				continue
			}
			if rm.mayApply(b.v.Groups) {
				rp.active, rp.rb, rp.step = true, i, j
				b.soon(b.nextStep)
				return
			}
			if b.tech.hand != "" && b.recs.ApprovedChange(b.tech.hand, rm.name) == nil {
				b.do(engine.Action{Op: engine.OpChat, Channel: "command-center",
					Text: fmt.Sprintf("Requesting an emergency change for remedy %s on %s: %s (to be carried out by %s).", rm.name, b.tech.hand, rm.title, rm.by[0])})
			}
			b.do(engine.Action{Op: engine.OpPage, Group: rm.by[0], Record: b.tech.hand, Runbook: rb.name, Step: st.name,
				Text: fmt.Sprintf("Impact is mitigated on %s; please carry out the fix: runbook %s, step %s (%s).", rp.service, rb.name, st.name, rm.title)})
		}
	}
}

// takeOver starts the work a page handed over: the named runbook from the
// named step, against the incident the page is about.
func (b *Bot) takeOver(p engine.PageData) {
	rb := b.dir.runbook(p.Runbook)
	if rb == nil {
		return
	}
	step := 0
	for i, st := range rb.steps {
		if st.name == p.RunbookStep {
			step = i
		}
	}
	if p.Incident != "" {
		b.tech.hand = p.Incident
	}
	b.tech.repair = repair{active: true, service: rb.service, runbooks: []*dirRunbook{rb}, step: step}
	b.soon(b.nextStep)
}
