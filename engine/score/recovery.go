package score

import "time"

// The recovery phases: what the team found and how the service came back.

// identified is the first correct root-cause claim; wrong ones do not stop
// the clock.
func (c *run) identified() (time.Duration, bool) {
	for _, cl := range c.v.claims {
		if cl.Correct && cl.at >= c.t0 {
			return cl.at, true
		}
	}
	return 0, false
}

// mitigated is the first "impact over" after the last unhealthy sample of
// an impacted service: if impact came back (a harmful remedy, a flapping
// workaround) it had not stopped.
func (c *run) mitigated() (time.Duration, bool) {
	for _, m := range c.v.impactOver {
		if m.at >= c.t0 && m.idx > c.im.lastAny {
			return m.at, true
		}
	}
	return 0, false
}

// fixed is when the last root-cause fault ended, fixed or healed by itself
// (healed is then true). A fault that starts again needs fixing again.
func (c *run) fixed() (at time.Duration, ok, healed bool) {
	type state struct {
		active bool
		ended  time.Duration
		healed bool
	}
	roots := map[string]*state{}
	for _, w := range c.v.world {
		st := roots[w.Fault]
		switch w.Change {
		case changeStarted:
			if st == nil && w.RootCause {
				st = &state{}
				roots[w.Fault] = st
			}
			if st != nil {
				st.active = true
			}
		case changeFixed, changeHealed:
			if st != nil && st.active {
				st.active, st.ended, st.healed = false, w.at, w.Change == changeHealed
			}
		}
	}
	ok = len(roots) > 0
	for _, st := range roots {
		if st.active {
			ok = false
		}
		at = max(at, st.ended)
		healed = healed || st.healed
	}
	return at, ok, healed
}

// restored is the later of every impacted service back at baseline and
// the owner's validation of restoration on a relevant record.
func (c *run) restored() (time.Duration, bool) {
	baseline := c.t0
	for _, s := range c.im.services {
		back, ok := mark{}, false
		for _, r := range c.v.restored {
			if r.service == s && r.idx > c.im.lastBad[s] {
				back, ok = r.mark, true // the last one: a service may come back more than once
			}
		}
		if !ok {
			return 0, false
		}
		baseline = max(baseline, back.at)
	}
	validated, ok := time.Duration(0), false
	for n := range c.rel {
		r := c.recs[n]
		if r != nil && r.validated && r.validatedAt >= c.t0 && (!ok || r.validatedAt < validated) {
			validated, ok = r.validatedAt, true
		}
	}
	if !ok {
		return 0, false
	}
	return max(baseline, validated), true
}
