package score

import (
	"time"

	"github.com/firedrill/firedrill/engine"
)

// record is one incident record as the log tells it: its latest snapshot
// plus the moments the measures need, which a snapshot alone does not keep
// (when the priority it ends with was set, when its incident alert was
// raised, whether a validation still stands).
type record struct {
	first time.Duration // when the record first appeared in the log
	last  engine.Incident

	prioritySince time.Duration // when last.Priority was set

	alertAt  time.Duration
	hasAlert bool

	// validatedAt is the earliest validation not undone by a reopen.
	validatedAt time.Duration
	validated   bool

	// Log indexes of the actions behind first, prioritySince and alertAt,
	// and of the last change, for the report's evidence.
	firstIdx, priorityIdx, alertIdx, lastIdx int
}

// records folds the accepted actions into incident records by number.
func records(actions []actionEvent) map[string]*record {
	recs := map[string]*record{}
	get := func(number string, m mark) *record {
		r, ok := recs[number]
		if !ok {
			r = &record{first: m.at, prioritySince: m.at, firstIdx: m.idx, priorityIdx: m.idx}
			recs[number] = r
		}
		return r
	}
	for _, a := range actions {
		for _, rc := range a.records {
			if inc := rc.Incident; inc != nil && inc.Number != "" {
				r := get(inc.Number, a.mark)
				if inc.Priority != r.last.Priority {
					r.prioritySince, r.priorityIdx = a.at, a.idx
				}
				r.lastIdx = a.idx
				// A reopen means the service was not restored after all,
				// so an earlier validation no longer counts.
				if inc.Reopened > r.last.Reopened {
					r.validated = false
				}
				r.last = *inc
			}
			if al := rc.Alert; al != nil && al.Incident != "" {
				r := get(al.Incident, a.mark)
				if !r.hasAlert {
					r.alertAt, r.alertIdx, r.hasAlert = a.at, a.idx, true
				}
			}
		}
		if a.op == engine.OpValidateRestoration {
			number := a.record
			if number == "" {
				number = snapshotNumber(a)
			}
			if number != "" {
				r := get(number, a.mark)
				if !r.validated {
					r.validatedAt, r.validated = a.at, true
				}
			}
		}
	}
	return recs
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
