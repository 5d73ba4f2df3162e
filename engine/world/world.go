package world

import (
	"math/rand/v2"
	"time"

	"github.com/firedrill/firedrill/engine/scenario"
)

// Tick is the telemetry sampling interval.
const Tick = 10 * time.Second

// BaselineSaturation is the saturation of a service with no fault on it;
// the scenario model has no baseline saturation.
const BaselineSaturation = 0.3

// maxPrealloc bounds the series preallocated from the scenario's duration,
// so a nonsense duration cannot ask for a huge allocation up front.
const maxPrealloc = int(24 * time.Hour / Tick)

// World is the simulated estate of one exercise. See the package doc.
type World struct {
	sc  *scenario.Scenario
	rng *rand.Rand

	services []*service
	order    []int // service indices, dependencies first
	faults   []*fault
	remedies []*remedy
	alerts   []*alertRule
	vendors  map[string]*scenario.Vendor

	serviceIdx, faultIdx, remedyIdx map[string]int

	queue  []event // pending discrete events, ordered by (at, seq)
	seq    uint64
	spikes []spike

	next    time.Duration // time of the next sample
	present time.Duration // latest time given to Advance
	logSalt uint64        // seeds Logs without touching rng, so queries never shift telemetry
}

// New builds the world of sc. Randomness (telemetry noise, log lines) comes
// only from rng; a nil rng is seeded from the scenario's seed. A nil
// scenario gives an empty world.
func New(sc *scenario.Scenario, rng *rand.Rand) *World {
	if sc == nil {
		sc = &scenario.Scenario{}
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(sc.Seed, sc.Seed))
	}
	w := &World{
		sc:         sc,
		rng:        rng,
		vendors:    make(map[string]*scenario.Vendor, len(sc.Vendors)),
		serviceIdx: make(map[string]int, len(sc.Services)),
		faultIdx:   make(map[string]int, len(sc.Faults)),
		remedyIdx:  make(map[string]int, len(sc.Remedies)),
	}
	w.logSalt = rng.Uint64()
	w.buildServices()
	w.buildFaults()
	w.buildRemedies()
	w.buildAlerts()
	for _, v := range sc.Vendors {
		if v != nil {
			if _, dup := w.vendors[v.Name]; !dup {
				w.vendors[v.Name] = v
			}
		}
	}
	return w
}

// Now returns the world's present: the latest time given to Advance.
func (w *World) Now() time.Duration { return w.present }

// Advance runs the world up to virtual time to: every discrete event due by
// then, and a telemetry sample at each whole Tick up to and including to.
// It returns what changed, in time order (at a sample: discrete events due
// at that time, then service health in scenario order, then alerts in
// scenario order). A to before the present does nothing.
func (w *World) Advance(to time.Duration) []Change {
	var out []Change
	for w.next <= to {
		out = w.runEvents(w.next, out)
		out = w.sample(w.next, out)
		w.next += Tick
	}
	out = w.runEvents(to, out)
	if to > w.present {
		w.present = to
	}
	return out
}

// clampAt maps a caller's time to no earlier than the present.
func (w *World) clampAt(at time.Duration) time.Duration {
	return max(at, w.present, 0)
}

type eventKind uint8

const (
	evFaultStart eventKind = iota
	evFaultFull
	evFaultHeal
	evRemedyDone
	evFaultRecovered
)

type event struct {
	at    time.Duration
	seq   uint64 // ties at the same time run in the order scheduled
	kind  eventKind
	idx   int    // fault or remedy index
	cause string // evFaultStart: the remedy that triggered it, if any
}

func (w *World) schedule(e event) {
	w.seq++
	e.seq = w.seq
	// Few events are pending at a time: an insertion keeps them ordered.
	i := len(w.queue)
	for i > 0 && w.queue[i-1].at > e.at {
		i--
	}
	w.queue = append(w.queue, event{})
	copy(w.queue[i+1:], w.queue[i:])
	w.queue[i] = e
}

// runEvents runs every pending event due at or before t; an event may
// schedule more, which run in the same pass when due.
func (w *World) runEvents(t time.Duration, out []Change) []Change {
	for len(w.queue) > 0 && w.queue[0].at <= t {
		e := w.queue[0]
		w.queue = w.queue[1:]
		switch e.kind {
		case evFaultStart:
			out = w.startFault(e, out)
		case evFaultFull:
			out = w.faultFull(e, out)
		case evFaultHeal:
			out = w.healFault(e, out)
		case evRemedyDone:
			out = w.completeRemedy(e, out)
		case evFaultRecovered:
			out = w.recoverFault(e, out)
		}
	}
	return out
}
