package score

import (
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// The recovery phases: what the team found and how the service came back.
// Each returns the event that ended the phase.

// identified is the first claim that names the right cause, at or after
// t0; wrong ones do not stop the clock.
func (c *run) identified() (mark, bool) {
	for _, cl := range c.v.claims {
		if cl.Correct && cl.at >= c.t0 {
			return cl.mark, true
		}
	}
	return mark{}, false
}

// mitigated is when customer impact fell to the scenario's share of its
// peak for good: the last impact.mitigated not followed by impact.resumed.
// A log recorded before the engine logged mitigation reads impact.ended
// (every service within thresholds) instead.
func (c *run) mitigated() (mark, bool) {
	marks, undone := c.v.mitigated, c.v.resumed
	if len(marks) == 0 && len(undone) == 0 {
		marks = c.v.impactOver
	}
	return lastStanding(marks, undone, c.t0)
}

// lastStanding is the last of marks at or after from that no mark of
// undone follows.
func lastStanding(marks, undone []mark, from time.Duration) (mark, bool) {
	for i := len(marks) - 1; i >= 0; i-- {
		m := marks[i]
		if m.at < from {
			break
		}
		if slices.ContainsFunc(undone, func(u mark) bool { return u.idx > m.idx }) {
			return mark{}, false
		}
		return m, true
	}
	return mark{}, false
}

// CauseOutcome is what became of one root cause: fixed by a remedy,
// healed by itself, or still there when the exercise ended.
type CauseOutcome struct {
	Fault   string `json:"fault"`
	Service string `json:"service"`
	// Outcome is "fixed", "healed" or "active".
	Outcome string        `json:"outcome"`
	At      time.Duration `json:"at,omitempty"`
	// Remedy is the remedy whose completion fixed it; Mitigated lists the
	// remedies that stopped its impact before that.
	Remedy    string    `json:"remedy,omitempty"`
	Mitigated []string  `json:"mitigated,omitempty"`
	Evidence  *Evidence `json:"evidence,omitempty"`
}

// Outcomes of a root cause.
const (
	CauseFixed  = "fixed"
	CauseHealed = "healed"
	CauseActive = "active"
)

// causes says, for every root cause that started, how it ended: each
// separately, so a review with several causes never says one healed by
// itself while another was fixed.
func (c *run) causes() []CauseOutcome {
	var out []CauseOutcome
	index := map[string]int{}
	for _, w := range c.v.world {
		i, known := index[w.Fault]
		switch w.Change {
		case changeStarted:
			if !w.RootCause {
				continue
			}
			if !known {
				index[w.Fault] = len(out)
				out = append(out, CauseOutcome{Fault: w.Fault, Service: w.Service})
				i = len(out) - 1
			}
			out[i].Outcome, out[i].At, out[i].Evidence, out[i].Remedy = CauseActive, 0, nil, ""
		case changeFixed, changeHealed:
			if !known || out[i].Outcome != CauseActive {
				continue
			}
			ev := c.evidence(w.idx, "")
			out[i].At, out[i].Evidence = w.at, &ev
			out[i].Outcome = CauseHealed
			if w.Change == changeFixed {
				out[i].Outcome, out[i].Remedy = CauseFixed, c.remedyAt(w.mark, w.Fault, func(d engine.RemedyData) []string { return d.Fixed })
			}
		case changeMitigated:
			if known {
				if r := c.remedyAt(w.mark, w.Fault, func(d engine.RemedyData) []string { return d.Mitigated }); r != "" {
					out[i].Mitigated = append(out[i].Mitigated, r)
				}
			}
		}
	}
	return out
}

// remedyAt names the remedy whose completion, at the same instant as m,
// did what faultsOf lists to fault.
func (c *run) remedyAt(m mark, fault string, faultsOf func(engine.RemedyData) []string) string {
	for _, r := range c.v.remedies {
		if r.at == m.at && r.Phase == "completed" && slices.Contains(faultsOf(r.RemedyData), fault) {
			return r.Remedy
		}
	}
	return ""
}

// fixed is when the last root cause went away, fixed or healed; not while
// any is still active.
func (c *run) fixed() (mark, bool) {
	causes := c.causes()
	if len(causes) == 0 {
		return mark{}, false
	}
	last := mark{idx: -1}
	for _, o := range causes {
		if o.Outcome == CauseActive {
			return mark{}, false
		}
		if idx := c.indexOf(o.Evidence); idx > last.idx {
			last = mark{idx: idx, at: o.At}
		}
	}
	return last, true
}

// indexOf is the log index of an evidence's event.
func (c *run) indexOf(ev *Evidence) int {
	if ev == nil {
		return -1
	}
	i, _ := slices.BinarySearchFunc(c.log, ev.Seq, func(e engine.Event, seq uint64) int {
		switch {
		case e.Seq < seq:
			return -1
		case e.Seq > seq:
			return 1
		}
		return 0
	})
	return i
}

// restored is when the world had every impacted service back at baseline
// with no root cause at work (service.restored), and an owner's validation
// of an incident about the impact stood, whichever came later; restoration
// lost after it (restoration.lost) puts the clock back.
func (c *run) restored() (mark, bool) {
	lost := c.v.lost
	var back []mark
	for _, r := range c.v.restored {
		back = append(back, r.mark)
	}
	world, ok := lastStanding(back, lost, c.t0)
	if !ok {
		return mark{}, false
	}
	var valid []mark
	for _, v := range c.v.validated {
		valid = append(valid, v.mark)
	}
	if len(c.v.validated) == 0 && len(c.v.restored) > 0 && len(c.v.lost) == 0 {
		valid = c.legacyValidations()
	}
	owner, ok := lastStanding(valid, lost, c.t0)
	if !ok {
		return mark{}, false
	}
	if owner.idx > world.idx {
		return owner, true
	}
	return world, true
}

// legacyValidations are the owners' validations of relevant records in a
// log recorded before the engine logged which validations count.
func (c *run) legacyValidations() []mark {
	var out []mark
	for _, a := range c.v.actions {
		if a.op == engine.OpValidateRestoration && c.rel[a.record] && a.at >= c.t0 {
			out = append(out, a.mark)
		}
	}
	return out
}

// closed is when the last incident of the outage was closed: none of its
// incidents (merged and declined ones aside) left in the workflow.
func (c *run) closed() (mark, bool) {
	last, any := mark{idx: -1}, false
	for n := range c.rel {
		r := c.recs[n]
		if r == nil || !counted(r.last) {
			continue
		}
		any = true
		if r.last.Live() {
			return mark{}, false
		}
		if r.closedIdx > last.idx {
			last = mark{idx: r.closedIdx, at: c.log[r.closedIdx].At}
		}
	}
	return last, any
}
