package bot

import (
	"fmt"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// ownerState is the service-level owner's work in hand.
type ownerState struct {
	checking []string // restored incidents it is checking
}

// ownerObserve: a service-level owner validates the restoration of
// incidents on its services and states their business impact.
func (b *Bot) ownerObserve(ev engine.Event) {
	d, ok := ev.Data.(engine.ActionData)
	if !ok {
		return
	}
	for _, rc := range d.Records {
		inc := rc.Incident
		if inc == nil || inc.State != engine.StateRestored || inc.Validated.Set || contains(b.owner.checking, inc.Number) {
			continue
		}
		if s := b.dir.service(inc.Service); s == nil || s.owner != b.v.Name {
			continue
		}
		b.owner.checking = append(b.owner.checking, inc.Number)
		n := inc.Number
		b.react(func() { b.checkRestored(n, 0) })
	}
}

// checkRestored looks at the service's dashboard before signing anything:
// healthy means validate and state the impact; still failing means look
// again later: soon at first, then every ten minutes while the incident
// waits for the owner's word.
func (b *Bot) checkRestored(number string, tries int) {
	inc := b.recs.Incident(number)
	if inc == nil || inc.State != engine.StateRestored || inc.Validated.Set {
		return
	}
	service := inc.Service
	if !b.up(engine.OpQueryTelemetry) {
		// No dashboard to read while the telemetry tool is down: nothing
		// is signed unseen.
		b.after(5*time.Minute, func() { b.checkRestored(number, tries) })
		return
	}
	b.query(engine.Action{Op: engine.OpQueryTelemetry, Service: service, Metric: string(scenario.MetricErrorRate)}, nil, func(r engine.ResultData) {
		v, ok := latest(r)
		if !ok || b.dir.unhealthy(service, v) {
			if tries < 5 {
				b.react(func() { b.checkRestored(number, tries+1) })
			} else {
				b.after(10*time.Minute, func() { b.checkRestored(number, tries+1) })
			}
			return
		}
		b.soon(func() {
			cur := b.recs.Incident(number)
			if cur == nil || cur.State != engine.StateRestored || cur.Validated.Set {
				return
			}
			b.do(engine.Action{Op: engine.OpValidateRestoration, Record: number})
			b.do(engine.Action{Op: engine.OpBusinessImpact, Record: number, Text: b.impactStatement(*cur, r)})
		})
	})
}

// impactStatement is the owner's account of the impact: how long, how bad
// at worst, as the dashboard shows it.
func (b *Bot) impactStatement(inc engine.Incident, r engine.ResultData) string {
	worst := 0.0
	for _, p := range r.Series {
		worst = max(worst, p.Value)
	}
	end := inc.Restored.At
	return fmt.Sprintf("%s degraded from before %s until %s; error rate peaked at %.0f%% in the last half hour. %s",
		inc.Service, clock(b.dir.start, inc.Opened.At), clock(b.dir.start, end), 100*worst, critical(b.dir.service(inc.Service)))
}

func critical(s *dirService) string {
	if s != nil && s.critical {
		return "A critical business application: customers were affected while it was degraded."
	}
	return "Internal impact only."
}
