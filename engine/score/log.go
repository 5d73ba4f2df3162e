package score

import (
	"fmt"
	"math"
	"time"

	"github.com/firedrill/firedrill/engine"
)

// view is the part of a log the measures read, decoded and checked once so
// that the measures themselves cannot meet a malformed event. Every slice is
// in log order; idx is the event's position in the log, which breaks ties
// between events at the same virtual time.
type view struct {
	started engine.StartedData
	end     time.Duration

	world      []worldEvent
	ticks      []tick
	alerts     []alertEvent // fired only
	pages      []pageEvent  // acknowledged and escalated
	actions    []actionEvent
	claims     []claimEvent
	impactOver []mark
	restored   []serviceMark
	// The impact tracker's changes (engine/exercise's impact.go): a service
	// joining the impact, mitigation reached and lost, restoration lost,
	// a validation that counts; and the world's health verdicts.
	impacted  []serviceMark
	mitigated []mark
	resumed   []mark
	lost      []mark
	validated []validatedEvent
	health    []healthEvent

	// What only Score reads: the story, refusals and remedies. They are
	// few, so keeping them whole costs nothing.
	endReason string
	endIdx    int // log index of exercise.ended
	injects   []injectEvent
	offered   []offeredEvent
	answered  []answeredEvent
	expects   []expectEvent
	refused   []refusedEvent
	remedies  []remedyEvent
}

type injectEvent struct {
	mark
	to engine.Audience
	engine.InjectData
}

type validatedEvent struct {
	mark
	incident string
}

type healthEvent struct {
	mark
	engine.HealthData
}

type offeredEvent struct {
	mark
	engine.DecisionData
}

type answeredEvent struct {
	mark
	engine.AnswerData
}

type expectEvent struct {
	mark
	engine.ExpectData
}

type refusedEvent struct {
	mark
	actor string
	engine.RefusedData
}

type remedyEvent struct {
	mark
	actor string
	engine.RemedyData
}

type mark struct {
	idx int
	at  time.Duration
}

type worldEvent struct {
	mark
	engine.WorldData
}

type tick struct {
	mark
	samples []engine.ServiceSample
}

type alertEvent struct {
	mark
	engine.AlertData
}

type pageEvent struct {
	mark
	kind engine.Kind
	engine.PageData
}

// actionEvent keeps only what the measures read of an action: the whole
// Action is some 400 bytes, and a busy log holds thousands.
type actionEvent struct {
	mark
	actor   string
	role    engine.Role
	op      engine.Op
	record  string // Action.Record
	service string // Action.Service
	records []engine.RecordChange
}

type claimEvent struct {
	mark
	actor string
	engine.RootClaimData
}

type serviceMark struct {
	mark
	service string
}

// Fault changes of WorldData.Change.
const (
	changeStarted   = "fault_started"
	changeFull      = "fault_full"
	changeHealed    = "fault_healed"
	changeMitigated = "fault_mitigated"
	changeFixed     = "fault_fixed"
	changeHarm      = "harm"
)

// read checks the log's shape and decodes the events the measures use.
// Kinds it does not use are skipped, so a newer engine's extra kinds do not
// break scoring of an older report.
func read(log []engine.Event) (*view, error) {
	if len(log) == 0 {
		return nil, fmt.Errorf("%w: no events", ErrMalformedLog)
	}
	// Actions are most of a busy log: size their slice once rather than
	// copying it as it grows.
	n, ended := 0, -1
	for i, e := range log {
		if e.Kind == engine.KindAction {
			n++
		}
		if e.Kind == engine.KindEnded && ended < 0 {
			ended = i
		}
	}
	v := &view{actions: make([]actionEvent, 0, n), endIdx: ended}
	last := map[string]engine.ServiceSample{} // counters must never fall
	for i, e := range log {
		if err := checkOrder(log, i, ended); err != nil {
			return nil, err
		}
		m := mark{idx: i, at: e.At}
		switch e.Kind {
		case engine.KindStarted:
			// Data is optional: only the scenario name is read, to catch a
			// log scored against the wrong scenario.
			if e.Data != nil {
				d, err := payload[engine.StartedData](e)
				if err != nil {
					return nil, err
				}
				v.started = d
			}
		case engine.KindEnded:
			v.end = e.At
			if e.Data != nil {
				d, err := payload[engine.EndedData](e)
				if err != nil {
					return nil, err
				}
				v.endReason = d.Reason
			}
		case engine.KindWorld:
			d, err := payload[engine.WorldData](e)
			if err != nil {
				return nil, err
			}
			if err := checkWorld(e, d); err != nil {
				return nil, err
			}
			v.world = append(v.world, worldEvent{m, d})
		case engine.KindTelemetry:
			d, err := payload[engine.TelemetryData](e)
			if err != nil {
				return nil, err
			}
			if err := checkSamples(e, d.Services, last); err != nil {
				return nil, err
			}
			v.ticks = append(v.ticks, tick{m, d.Services})
		case engine.KindAlertFired:
			d, err := payload[engine.AlertData](e)
			if err != nil {
				return nil, err
			}
			v.alerts = append(v.alerts, alertEvent{m, d})
		case engine.KindPageAcked, engine.KindPageEscalated:
			d, err := payload[engine.PageData](e)
			if err != nil {
				return nil, err
			}
			v.pages = append(v.pages, pageEvent{m, e.Kind, d})
		case engine.KindAction:
			d, err := payload[engine.ActionData](e)
			if err != nil {
				return nil, err
			}
			v.actions = append(v.actions, actionEvent{
				mark: m, actor: e.Actor, role: d.Role, op: d.Action.Op, record: d.Action.Record, service: d.Action.Service, records: d.Records,
			})
		case engine.KindRootClaim:
			d, err := payload[engine.RootClaimData](e)
			if err != nil {
				return nil, err
			}
			v.claims = append(v.claims, claimEvent{m, e.Actor, d})
		case engine.KindImpactOver:
			// The service, if any, is informative only: impact is over for
			// every service at once.
			v.impactOver = append(v.impactOver, m)
		case engine.KindMitigated:
			v.mitigated = append(v.mitigated, m)
		case engine.KindImpactResumed:
			v.resumed = append(v.resumed, m)
		case engine.KindRestorationLost:
			v.lost = append(v.lost, m)
		case engine.KindImpacted:
			d, err := payload[engine.ServiceData](e)
			if err != nil {
				return nil, err
			}
			if d.Service == "" {
				return nil, malformed(e, "names no service")
			}
			v.impacted = append(v.impacted, serviceMark{m, d.Service})
		case engine.KindValidated:
			d, err := payload[engine.ValidationData](e)
			if err != nil {
				return nil, err
			}
			v.validated = append(v.validated, validatedEvent{m, d.Incident})
		case engine.KindHealth:
			d, err := payload[engine.HealthData](e)
			if err != nil {
				return nil, err
			}
			v.health = append(v.health, healthEvent{m, d})
		case engine.KindRestored:
			d, err := payload[engine.ServiceData](e)
			if err != nil {
				return nil, err
			}
			if d.Service == "" {
				return nil, malformed(e, "names no service")
			}
			v.restored = append(v.restored, serviceMark{m, d.Service})
		case engine.KindInject:
			d, err := payload[engine.InjectData](e)
			if err != nil {
				return nil, err
			}
			v.injects = append(v.injects, injectEvent{m, e.To, d})
		case engine.KindOffered:
			d, err := payload[engine.DecisionData](e)
			if err != nil {
				return nil, err
			}
			v.offered = append(v.offered, offeredEvent{m, d})
		case engine.KindAnswered:
			d, err := payload[engine.AnswerData](e)
			if err != nil {
				return nil, err
			}
			v.answered = append(v.answered, answeredEvent{m, d})
		case engine.KindExpectMet:
			d, err := payload[engine.ExpectData](e)
			if err != nil {
				return nil, err
			}
			v.expects = append(v.expects, expectEvent{m, d})
		case engine.KindRefused:
			d, err := payload[engine.RefusedData](e)
			if err != nil {
				return nil, err
			}
			v.refused = append(v.refused, refusedEvent{m, e.Actor, d})
		case engine.KindRemedy:
			d, err := payload[engine.RemedyData](e)
			if err != nil {
				return nil, err
			}
			v.remedies = append(v.remedies, remedyEvent{m, e.Actor, d})
		}
	}
	return v, nil
}

// checkOrder enforces the engine's framing: started first and once, ended
// once, and after it only the hotwash (chat, confidence ratings and lessons
// learned, or their refusals); sequence numbers rising; virtual time never
// negative, never going back.
func checkOrder(log []engine.Event, i, ended int) error {
	e := log[i]
	switch {
	case i == 0 && e.Kind != engine.KindStarted:
		return malformed(e, "is first; the log must open with %s", engine.KindStarted)
	case i > 0 && e.Kind == engine.KindStarted:
		return malformed(e, "is not first")
	case ended < 0 && i == len(log)-1:
		return malformed(e, "is last; the log must close with %s (is the exercise still running?)", engine.KindEnded)
	case i > ended && ended >= 0 && !hotwash(e):
		return malformed(e, "comes after %s but is not part of the hotwash", engine.KindEnded)
	case e.At < 0:
		return malformed(e, "is at %v, before the start", e.At)
	}
	if i == 0 {
		return nil
	}
	prev := log[i-1]
	if e.Seq <= prev.Seq {
		return malformed(e, "follows event %d: sequence numbers must rise", prev.Seq)
	}
	if e.At < prev.At {
		return malformed(e, "at %v follows event %d at %v: time went back", e.At, prev.Seq, prev.At)
	}
	return nil
}

func checkWorld(e engine.Event, d engine.WorldData) error {
	switch d.Change {
	case changeStarted, changeFull, changeHealed, changeMitigated, changeFixed:
		if d.Fault == "" {
			return malformed(e, "reports %s of no fault", d.Change)
		}
	case changeHarm:
	default:
		return malformed(e, "has unknown change %q", d.Change)
	}
	return nil
}

// checkSamples rejects samples the arithmetic would turn into nonsense:
// unnamed or repeated services, values that are not finite non-negative
// numbers, cumulative counters that fall.
func checkSamples(e engine.Event, samples []engine.ServiceSample, last map[string]engine.ServiceSample) error {
	seen := make(map[string]bool, len(samples))
	for _, s := range samples {
		if s.Service == "" {
			return malformed(e, "has a sample of no service")
		}
		if seen[s.Service] {
			return malformed(e, "samples %s twice", s.Service)
		}
		seen[s.Service] = true
		for _, x := range []float64{s.ErrorRate, s.LatencyMS, s.RPS, s.Saturation, s.Total, s.Failed} {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				return malformed(e, "has a sample of %s with value %v", s.Service, x)
			}
		}
		if p, ok := last[s.Service]; ok && (s.Total < p.Total || s.Failed < p.Failed) {
			return malformed(e, "has request counters of %s falling from %v/%v to %v/%v (failed/total)",
				s.Service, p.Failed, p.Total, s.Failed, s.Total)
		}
		last[s.Service] = s
	}
	return nil
}

// payload returns e's data as T. The engine emits values; a pointer is
// accepted too, since both mean the same payload.
func payload[T any](e engine.Event) (T, error) {
	switch d := e.Data.(type) {
	case T:
		return d, nil
	case *T:
		if d != nil {
			return *d, nil
		}
	}
	var zero T
	return zero, malformed(e, "carries %T, want %T", e.Data, zero)
}

func malformed(e engine.Event, format string, args ...any) error {
	return fmt.Errorf("%w: event %d (%s) %s", ErrMalformedLog, e.Seq, e.Kind, fmt.Sprintf(format, args...))
}

// hotwash reports whether e may follow the end: talk, and the players'
// closing confidence ratings and lessons learned.
func hotwash(e engine.Event) bool {
	switch d := e.Data.(type) {
	case engine.ChatData:
		return true
	case engine.ActionData:
		return d.Action.Op == engine.OpRateConfidence || d.Action.Op == engine.OpLessonsLearned
	case engine.RefusedData:
		return true
	}
	return false
}
