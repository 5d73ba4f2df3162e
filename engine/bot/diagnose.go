package bot

import (
	"fmt"
	"slices"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// reexamine is how long a technician trusts what it read in a failing
// service's logs and traffic view before reading them again.
const reexamine = 10 * time.Minute

// myServices lists the services of the groups the technician works for.
func (b *Bot) myServices() []string {
	var out []string
	for _, g := range b.tech.groups {
		out = append(out, b.dir.servicesOf(g)...)
	}
	return out
}

func (b *Bot) watchOf(service string) *watch {
	w := b.tech.health[service]
	if w == nil {
		w = &watch{}
		b.tech.health[service] = w
	}
	return w
}

// investigate is one look at the dashboards: the error rate of every
// service of its groups, then logs and traffic for those failing.
func (b *Bot) investigate() {
	r := &round{then: b.examine}
	if !b.up(engine.OpQueryTelemetry) {
		b.blindInvestigate(r)
		return
	}
	for _, s := range b.myServices() {
		b.query(engine.Action{Op: engine.OpQueryTelemetry, Service: s, Metric: string(scenario.MetricErrorRate)}, r, func(res engine.ResultData) {
			b.reading(s, res)
		})
	}
	if r.left == 0 {
		b.tech.polling = false
	}
}

// blindInvestigate is the look without dashboards: while the telemetry tool
// is down, the error rate a service's logs report is the reading.
func (b *Bot) blindInvestigate(r *round) {
	for _, s := range b.myServices() {
		w := b.watchOf(s)
		b.query(engine.Action{Op: engine.OpQueryLogs, Service: s}, r, func(res engine.ResultData) {
			w.clues = clues(res.Lines)
			// A page of logs without the service's own failure line says
			// nothing new: the last reading stands.
			if rate, ok := loggedFailure(res.Lines); ok {
				w.bad = b.dir.unhealthy(s, rate)
			}
			w.known = true
			if w.bad {
				w.everBad, w.streak = true, 0
			} else {
				w.streak++
			}
		})
	}
	if r.left == 0 {
		b.pollAgain() // nothing to read with: look again later
	}
}

// reading records one dashboard reading of a service.
func (b *Bot) reading(service string, res engine.ResultData) {
	v, ok := latest(res)
	if !ok {
		return
	}
	w := b.watchOf(service)
	w.errRate, w.known = v, true
	w.bad = b.dir.unhealthy(service, v)
	if w.bad {
		w.everBad, w.streak = true, 0
	} else {
		w.streak++
	}
}

// examine reads the logs and the traffic view of each failing service it
// has not read lately.
func (b *Bot) examine() {
	b.soon(func() {
		r := &round{then: b.diagnose}
		for _, s := range b.myServices() {
			w := b.watchOf(s)
			if !w.bad || (w.looked && b.now-w.examined < reexamine) {
				continue
			}
			w.looked, w.examined = true, b.now
			// Read the dashboard again with the logs and the traffic view,
			// so the three agree on the moment they describe.
			b.query(engine.Action{Op: engine.OpQueryTelemetry, Service: s, Metric: string(scenario.MetricErrorRate)}, r, func(res engine.ResultData) {
				b.reading(s, res)
			})
			b.query(engine.Action{Op: engine.OpQueryLogs, Service: s}, r, func(res engine.ResultData) {
				w.clues = clues(res.Lines)
			})
			b.query(engine.Action{Op: engine.OpQueryTraffic, Service: s}, r, func(res engine.ResultData) {
				w.edges = edges(res.Lines)
			})
		}
		if r.left == 0 {
			b.diagnose()
		}
	})
}

// diagnose decides what the readings mean. A failing service of its own
// whose logs show the signs of one of the briefing's hypotheses about it,
// with healthy dependencies, is the cause: work it. Otherwise a failing
// dependency is: bring in the group that owns it. A bot that slips blames
// its own service anyway, because its logs are full of errors.
func (b *Bot) diagnose() {
	b.declare()
	if len(b.tech.sources) == 0 {
		for _, s := range b.myServices() {
			w := b.watchOf(s)
			if !w.bad || len(w.clues) == 0 {
				continue
			}
			if (len(b.failing(w.edges)) == 0 && b.causeHere(s, w.clues)) || b.errs("blame-own") {
				b.work(s)
				break
			}
		}
	}
	if len(b.tech.sources) == 0 {
		for _, s := range b.myServices() {
			w := b.watchOf(s)
			if !w.bad {
				continue
			}
			for _, e := range b.failing(w.edges) {
				b.escalate(s, e)
			}
		}
	}
	b.pollAgain()
}

// causeHere reports whether what the logs say points to a cause on the
// service: a hypothesis the team was briefed on about it, whose signs the
// clues show. A scenario without hypotheses gives no such knowledge, and
// then any service failing on its own is a suspect.
func (b *Bot) causeHere(service string, clues []string) bool {
	if len(b.dir.hypotheses) == 0 {
		return true
	}
	for _, h := range b.dir.hypothesesOn(service) {
		if signsMatch(h.signs, clues) {
			return true
		}
	}
	return false
}

// failing keeps the edges whose far end answers beyond its normal error
// rate.
func (b *Bot) failing(es []edge) []edge {
	var out []edge
	for _, e := range es {
		if b.dir.unhealthy(e.to, e.errRate) {
			out = append(out, e)
		}
	}
	return out
}

// escalate brings in the owner of a failing dependency: a word in their
// channel and a page. A dependency its own group owns it looks at itself.
func (b *Bot) escalate(service string, e edge) {
	if b.inGroup(e.owner) {
		if !slices.Contains(b.tech.groups, e.owner) {
			b.tech.groups = append(b.tech.groups, e.owner)
		}
		return
	}
	b.takeHand("")
	if inc := b.recs.LiveOn(e.to); inc != nil && inc.Group == e.owner && inc.State != engine.StateNew && inc.State != engine.StateAssigned {
		b.askLink(e.to, inc.Number) // they are on it already: one incident, not two
		return
	}
	if slices.Contains(b.tech.paged, e.owner) {
		return
	}
	b.tech.paged = append(b.tech.paged, e.owner)
	msg := fmt.Sprintf("%s calls to %s are failing at %.0f%% in the traffic view; %s is yours, can you look?", service, e.to, 100*e.errRate, e.to)
	if b.tech.hand != "" {
		msg += " Re " + b.tech.hand + "."
	}
	b.do(engine.Action{Op: engine.OpChat, Channel: "group:" + e.owner, Text: msg})
	b.do(engine.Action{Op: engine.OpPage, Group: e.owner, Record: b.tech.hand, Text: msg})
}

// askLink asks the incident manager to put its incident under the family
// of the incident about the failing dependency: the outage it sees is
// theirs.
func (b *Bot) askLink(dep, theirs string) {
	mine := b.tech.hand
	if mine == "" || slices.Contains(b.recs.Family(theirs), mine) || b.errs("no-link-ask") || !b.first("link:"+mine) {
		return
	}
	b.do(engine.Action{Op: engine.OpChat, Channel: "command-center",
		Text: fmt.Sprintf("%s is downstream of %s (%s fails): please link %s under %s.", mine, theirs, dep, mine, theirs)})
}

// pollAgain plans the next look while there is something to watch: a
// failing service, a repair under way or an incident not yet restored.
func (b *Bot) pollAgain() {
	busy := b.tech.repair.active
	for _, s := range b.myServices() {
		if w := b.watchOf(s); w.bad {
			busy = true
		}
	}
	for _, n := range b.tech.mine {
		if inc := b.recs.Incident(n); inc != nil && inc.Live() && inc.State != engine.StateRestored && inc.Parent == "" {
			busy = true
		}
	}
	if !busy {
		b.tech.polling = false
		return
	}
	b.react(b.investigate)
}
