package score

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// mins is n minutes; tests read in minutes, as the scenarios do.
func mins(n float64) time.Duration { return time.Duration(n * float64(time.Minute)) }

const (
	tickEvery = 30 * time.Second
	rps       = 10.0 // every service, so a tick is 300 requests
	badRate   = 0.4  // error rate while unhealthy; 0 while healthy
)

// egress is the test scenario: a shared proxy (the root cause lives there)
// and two critical apps behind it, of which only claims feels the fault.
func egress() *scenario.Scenario {
	return &scenario.Scenario{
		Name:     "egress",
		Duration: 90 * time.Minute,
		Services: []*scenario.Service{
			{Name: "egress-proxy", Owner: "kim"},
			{Name: "claims-api", Owner: "ana", Critical: true},
			{Name: "pharmacy-api", Owner: "raj", Critical: true},
		},
		Target:  scenario.Target{Detect: 5 * time.Minute, Acknowledge: 5 * time.Minute, Identify: 20 * time.Minute, Restore: 45 * time.Minute},
		Process: engine.DefaultPolicy(),
	}
}

// span is a time a service is unhealthy: samples at from ≤ t < to.
type span struct{ from, to time.Duration }

// story is a run in the making: telemetry every 30 s from the outages, the
// events of the story in any order, and the end. log() sorts by time
// (stably, so telemetry at an instant comes before what it caused) and
// numbers the events.
type story struct {
	end     time.Duration
	outages map[string][]span
	noTicks bool // a discussion scenario has no telemetry
	events  []engine.Event
}

func (s story) log() []engine.Event {
	sc := egress()
	evs := []engine.Event{ev(0, engine.KindStarted, "", engine.StartedData{Scenario: "egress", Duration: s.end, Exercise: true})}
	if !s.noTicks {
		type counters struct{ total, failed float64 }
		c := map[string]counters{}
		for at := time.Duration(0); at <= s.end; at += tickEvery {
			var samples []engine.ServiceSample
			for _, svc := range sc.Services {
				bad := down(s.outages[svc.Name], at)
				rate := 0.0
				if bad {
					rate = badRate
				}
				k := c[svc.Name]
				samples = append(samples, engine.ServiceSample{
					Service: svc.Name, ErrorRate: rate, LatencyMS: 50, RPS: rps, Healthy: !bad,
					Total: k.total, Failed: k.failed,
				})
				// The requests until the next sample fail at this sample's rate.
				n := rps * tickEvery.Seconds()
				c[svc.Name] = counters{k.total + n, k.failed + n*rate}
			}
			evs = append(evs, ev(at, engine.KindTelemetry, "", engine.TelemetryData{Services: samples}))
		}
	}
	evs = append(evs, s.worldTruth(sc)...)
	evs = append(evs, s.events...)
	slices.SortStableFunc(evs, func(a, b engine.Event) int { return cmp.Compare(a.At, b.At) })
	evs = append(evs, ev(s.end, engine.KindEnded, "", engine.EndedData{Reason: "duration"}))
	for i := range evs {
		evs[i].Seq = uint64(i + 1)
	}
	return evs
}

// worldTruth is what the engine logs of the outages as the world sees them
// at each tick: each service's health as it changes, and each service
// joining the impact, from the first root-cause fault on.
func (s story) worldTruth(sc *scenario.Scenario) []engine.Event {
	t0 := time.Duration(-1)
	for _, e := range s.events {
		if d, ok := e.Data.(engine.WorldData); ok && d.Change == changeStarted && d.RootCause && (t0 < 0 || e.At < t0) {
			t0 = e.At
		}
	}
	var out []engine.Event
	for _, svc := range sc.Services {
		healthy, impacted := true, false
		for at := time.Duration(0); at <= s.end; at += 10 * time.Second {
			bad := down(s.outages[svc.Name], at)
			if bad == healthy {
				healthy = !bad
				out = append(out, ev(at, engine.KindHealth, "", engine.HealthData{Service: svc.Name, Healthy: healthy}))
			}
			if bad && !impacted && t0 >= 0 && at >= t0 {
				impacted = true
				out = append(out, ev(at, engine.KindImpacted, "", engine.ServiceData{Service: svc.Name}))
			}
		}
	}
	return out
}

// unvalidated is s without the owner's validation: restoration never
// counts.
func (s story) unvalidated() story {
	return s.without(func(e engine.Event) bool {
		d, ok := e.Data.(engine.ActionData)
		return e.Kind == engine.KindValidated || (ok && d.Action.Op == engine.OpValidateRestoration)
	})
}

func down(spans []span, at time.Duration) bool {
	for _, sp := range spans {
		if at >= sp.from && at < sp.to {
			return true
		}
	}
	return false
}

func ev(at time.Duration, kind engine.Kind, actor string, data any) engine.Event {
	return engine.Event{At: at, Kind: kind, To: engine.Facilitators(), Actor: actor, Data: data}
}

func world(at time.Duration, change, fault, service string, root bool) engine.Event {
	return ev(at, engine.KindWorld, "", engine.WorldData{Change: change, Fault: fault, Service: service, RootCause: root})
}

func alertFired(at time.Duration, alert, service string) engine.Event {
	return ev(at, engine.KindAlertFired, "", engine.AlertData{Alert: alert, Service: service, Metric: "error_rate", Value: 0.4, Severity: "critical"})
}

func page(kind engine.Kind, at time.Duration, alert, person string, step int) engine.Event {
	return ev(at, kind, "", engine.PageData{Page: "PG0001", Alert: alert, Group: "claims", Person: person, Step: step})
}

func act(at time.Duration, actor string, role engine.Role, a engine.Action, recs ...engine.RecordChange) engine.Event {
	return ev(at, engine.KindAction, actor, engine.ActionData{Action: a, Role: role, Records: recs})
}

func op(o engine.Op, record string) engine.Action { return engine.Action{Op: o, Record: record} }

// inc is a snapshot of an incident record.
func inc(number, service string, p engine.Priority, state engine.State) engine.RecordChange {
	return engine.RecordChange{Incident: &engine.Incident{
		Number: number, Class: engine.ClassIncident, Service: service, Priority: p, State: state,
	}}
}

func child(rc engine.RecordChange, parent string) engine.RecordChange {
	rc.Incident.Parent = parent
	return rc
}

func parent(rc engine.RecordChange, children ...string) engine.RecordChange {
	rc.Incident.IsParent, rc.Incident.Children = true, children
	return rc
}

func reopened(rc engine.RecordChange, times int) engine.RecordChange {
	rc.Incident.Reopened = times
	return rc
}

func incAlert(at time.Duration, number, incNumber string, p engine.Priority) engine.RecordChange {
	return engine.RecordChange{Alert: &engine.IncidentAlert{
		Number: number, Incident: incNumber, Priority: p, RaisedBy: "cc", Raised: engine.Stamp{At: at, Set: true},
	}}
}

func warRoom(number, forInc, duplicateOf string) engine.RecordChange {
	return engine.RecordChange{WarRoom: &engine.WarRoom{Number: number, Incident: forInc}, DuplicateOf: duplicateOf}
}

func claim(at time.Duration, correct bool) engine.Event {
	return ev(at, engine.KindRootClaim, "kim", engine.RootClaimData{Service: "egress-proxy", Text: "claim", Correct: correct})
}

// mitigated is customer impact down to the scenario's share of its peak;
// resumed, back above it.
func mitigated(at time.Duration) engine.Event {
	return ev(at, engine.KindMitigated, "", engine.ServiceData{})
}

func resumed(at time.Duration) engine.Event {
	return ev(at, engine.KindImpactResumed, "", engine.ServiceData{})
}

// ownerValidated is an owner's validation the engine counted; lost, the
// restoration lost again.
// ownerValidated is the engine's note that ana's validation counts.
func ownerValidated(at time.Duration, incident string) engine.Event {
	return ev(at, engine.KindValidated, "ana", engine.ValidationData{Incident: incident})
}

func lost(at time.Duration) engine.Event {
	return ev(at, engine.KindRestorationLost, "", engine.ServiceData{})
}

func restored(at time.Duration, service string) engine.Event {
	return ev(at, engine.KindRestored, "", engine.ServiceData{Service: service})
}

// want is the expectation for one phase: ended at At after Duration, or
// censored.
type want struct {
	at, dur  time.Duration
	censored bool
}

func checkMeasures(t *testing.T, got Result, want map[Phase]want) {
	t.Helper()
	if len(got.Measures) != len(Phases()) {
		t.Fatalf("%d measures, want %d", len(got.Measures), len(Phases()))
	}
	for i, m := range got.Measures {
		if m.Phase != Phases()[i] {
			t.Errorf("measure %d is %s, want %s", i, m.Phase, Phases()[i])
			continue
		}
		w, ok := want[m.Phase]
		if !ok {
			t.Errorf("%s: no expectation in the test", m.Phase)
			continue
		}
		if m.At != w.at || m.Duration != w.dur || m.Censored != w.censored {
			t.Errorf("%s = at %v, %v, censored %v; want at %v, %v, censored %v",
				m.Phase, m.At, m.Duration, m.Censored, w.at, w.dur, w.censored)
		}
	}
}

// rate is the raw error rate of n unhealthy ticks among ticks of one
// service, computed the way the counters add up.
func rate(bad, ticks int) ErrorRate {
	n := rps * tickEvery.Seconds()
	return newErrorRate(float64(ticks)*n, float64(bad)*n*badRate)
}
