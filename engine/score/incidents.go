package score

import (
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/facts"
	"github.com/firedrill/firedrill/engine/scenario"
)

// record is one incident record as the log tells it: its final state from
// the one fold of the log (engine/records, through engine/facts) and the
// moments the measures need, which a final snapshot does not keep.
type record struct {
	first time.Duration // when the record first appeared in the log
	last  engine.Incident

	prioritySince time.Duration // when last.Priority was set
	// highest is the most severe priority the record ever had, and
	// highestAt when it first had it: lowering a priority later does not
	// move when the incident was declared.
	highest   engine.Priority
	highestAt time.Duration

	alertAt  time.Duration
	hasAlert bool

	// closedIdx is the log index of the action that took the record out of
	// the workflow (closed, merged or declined); -1 while it is in it.
	closedIdx int
	// restoredAt is when the record was last declared restored; restored
	// says it stands (a reopen undoes it).
	restoredAt time.Duration
	restored   bool

	// Log indexes of the actions behind first, prioritySince, highestAt
	// and alertAt, and of the last change, for the review's evidence.
	firstIdx, priorityIdx, highestIdx, alertIdx, lastIdx int
}

// history walks the log once through the fold and keeps each incident
// record's history. It returns the records by number and the facts at the
// end of the log.
func history(sc *scenario.Scenario, log []engine.Event) (map[string]*record, *facts.State) {
	f := facts.New(sc)
	recs := map[string]*record{}
	for i, e := range log {
		f.Apply(e)
		d, ok := e.Data.(engine.ActionData)
		if !ok {
			continue
		}
		for _, rc := range d.Records {
			if rc.Alert != nil && rc.Alert.Incident != "" {
				if r := recs[rc.Alert.Incident]; r != nil && !r.hasAlert {
					r.alertAt, r.alertIdx, r.hasAlert = e.At, i, true
				}
			}
			if rc.Incident == nil {
				continue
			}
			inc := f.Incident(rc.Incident.Number)
			if inc == nil {
				continue
			}
			r, seen := recs[inc.Number]
			if !seen {
				r = &record{first: e.At, prioritySince: e.At, firstIdx: i, priorityIdx: i, closedIdx: -1}
				recs[inc.Number] = r
			}
			if inc.Priority != r.last.Priority || !seen {
				r.prioritySince, r.priorityIdx = e.At, i
			}
			if inc.Priority >= 1 && (r.highest < 1 || inc.Priority < r.highest) {
				r.highest, r.highestAt, r.highestIdx = inc.Priority, e.At, i
			}
			r.lastIdx = i
			switch {
			case !inc.Live() && (r.last.Live() || !seen):
				r.closedIdx = i
			case inc.Live():
				r.closedIdx = -1
			}
			switch {
			case inc.State == engine.StateRestored && (r.last.State != engine.StateRestored || !seen):
				r.restoredAt, r.restored = e.At, true
			case inc.State == engine.StateInProgress || inc.State == engine.StateMitigated:
				r.restored = false
			}

			r.last = *inc
			if inc.Alert != "" && !r.hasAlert {
				r.alertAt, r.alertIdx, r.hasAlert = e.At, i, true
			}
		}
	}
	return recs, f
}

// snapshotNumber is the number of the first incident an action changed.
func snapshotNumber(a actionEvent) string {
	for _, rc := range a.records {
		if rc.Incident != nil {
			return rc.Incident.Number
		}
	}
	return ""
}

// relevant picks the records about this incident: opened at or after t0 on
// a service it is about, and the parents they were linked under (a parent
// often names no service of its own). Records opened before t0 were about
// something else.
func relevant(recs map[string]*record, about map[string]bool, t0 time.Duration) map[string]bool {
	out := map[string]bool{}
	for n, r := range recs {
		if r.first >= t0 && about[r.last.Service] {
			out[n] = true
		}
	}
	for n, r := range recs {
		if out[n] && r.last.Parent != "" {
			out[r.last.Parent] = true
		}
	}
	for n, r := range recs {
		if !r.last.IsParent || out[n] {
			continue
		}
		for _, c := range r.last.Children {
			if out[c] {
				out[n] = true
				break
			}
		}
	}
	return out
}
