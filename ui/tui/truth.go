package tui

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/firedrill/firedrill/engine"
	"github.com/firedrill/firedrill/engine/scenario"
)

// idleAfter is how long without acting makes a person worth a
// facilitator's nudge, in virtual time.
const idleAfter = 5 * time.Minute

// Truth is what only a facilitator receives: the faults behind the story,
// root-cause claims, expectations met (the running score) and who is
// doing what.
type Truth struct {
	Faults     []*Fault
	Claims     []Claim
	Score      map[string]float64 // points per dimension from expect.met
	Met        []engine.ExpectData
	ImpactOver bool
	Restored   []string // services restored

	lastActed map[string]time.Duration
	firstSeen map[string]time.Duration
	groupOf   map[string]string
}

// Fault is a fault of the simulated world and where it stands.
type Fault struct {
	Name, Service string
	RootCause     bool
	State         string // started, full, mitigated, fixed, healed
	At            time.Duration
}

// Active reports whether the fault still hurts.
func (f *Fault) Active() bool { return f.State == "started" || f.State == "full" }

func newTruth() Truth {
	return Truth{Score: map[string]float64{}, lastActed: map[string]time.Duration{}, firstSeen: map[string]time.Duration{}, groupOf: map[string]string{}}
}

func (t *Truth) world(e engine.Event, d engine.WorldData) {
	if d.Fault == "" {
		return
	}
	i := slices.IndexFunc(t.Faults, func(f *Fault) bool { return f.Name == d.Fault })
	if i < 0 {
		t.Faults = append(t.Faults, &Fault{Name: d.Fault, Service: d.Service, RootCause: d.RootCause})
		i = len(t.Faults) - 1
	}
	f := t.Faults[i]
	f.At = e.At
	if d.Service != "" {
		f.Service = d.Service
	}
	f.RootCause = f.RootCause || d.RootCause
	switch d.Change {
	case "fault_started":
		f.State = "started"
	case "fault_full":
		f.State = "full"
	case "fault_mitigated":
		f.State = "mitigated"
	case "fault_fixed":
		f.State = "fixed"
	case "fault_healed":
		f.State = "healed"
	}
}

// remedy follows the facilitator's copy of a completed remedy, which names
// the faults it touched.
func (t *Truth) remedy(at time.Duration, d engine.RemedyData) {
	for _, name := range d.Fixed {
		t.world(engine.Event{At: at}, engine.WorldData{Change: "fault_fixed", Fault: name})
	}
}

// Claim is a root-cause claim and who made it.
type Claim struct {
	engine.RootClaimData
	By string
}

func (t *Truth) claim(by string, d engine.RootClaimData) {
	t.Claims = append(t.Claims, Claim{RootClaimData: d, By: by})
}

func (t *Truth) met(e engine.Event, d engine.ExpectData) {
	t.Met = append(t.Met, d)
	t.Score[d.Dimension] += d.Points
}

// Dimensions lists the score's dimensions: the scenario language's, then
// any other that expectations used.
func (t *Truth) Dimensions() []string {
	var out []string
	for _, d := range scenario.Dimensions() {
		out = append(out, string(d))
	}
	var extra []string
	for d := range t.Score {
		if !slices.Contains(out, d) {
			extra = append(extra, d)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// Total is the running score.
func (t *Truth) Total() float64 {
	var sum float64
	for _, v := range t.Score {
		sum += v
	}
	return sum
}

// acted notes who did something and when: any event a person caused.
func (t *Truth) acted(e engine.Event) {
	switch e.Kind {
	case engine.KindAction, engine.KindRefused, engine.KindChat, engine.KindPageAcked,
		engine.KindPageSilenced, engine.KindResult, engine.KindRootClaim:
		t.actedAs(e.Actor, e.At)
	}
}

func (t *Truth) actedAs(person string, at time.Duration) {
	if person == "" || person == botName {
		return
	}
	t.seen(person, at)
	t.lastActed[person] = at
}

func (t *Truth) seen(person string, at time.Duration) {
	if _, ok := t.firstSeen[person]; !ok && person != "" && person != botName {
		t.firstSeen[person] = at
	}
}

// member notes a person's group from a page or an assignment, and that
// the person is in the exercise.
func (t *Truth) member(person, group string) {
	if person == "" {
		return
	}
	if _, ok := t.firstSeen[person]; !ok {
		t.firstSeen[person] = -1 // seen, never acted; the time is unknown
	}
	if group != "" {
		t.groupOf[person] = group
	}
}

// Idle is a person who has not acted for a while.
type Idle struct {
	Name  string
	Group string
	For   time.Duration // since the last action (or since first seen)
	Never bool          // has not acted at all
}

// Idle lists the people who have not acted for idleAfter, longest first.
func (t *Truth) Idle(now time.Duration) []Idle {
	var out []Idle
	for p, first := range t.firstSeen {
		last, ok := t.lastActed[p]
		if !ok {
			last = max(first, 0)
		}
		if now-last < idleAfter {
			continue
		}
		out = append(out, Idle{Name: p, Group: t.groupOf[p], For: now - last, Never: !ok})
	}
	slices.SortFunc(out, func(a, b Idle) int {
		if c := cmp.Compare(b.For, a.For); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// LastActed returns when a person last acted.
func (t *Truth) LastActed(person string) (time.Duration, bool) {
	at, ok := t.lastActed[person]
	return at, ok
}
